/*
 * cmd_check.c - stepmap check (placeholder until its issue lands: replace this file).
 */
#include <stdio.h>

#include "cli/cli.h"

int
cmd_check(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	fprintf(stderr, "stepmap: 'check' is not built yet\n");
	return 3;
}
