/*
 * cmd_demo.c - stepmap demo (placeholder until its issue lands: replace this file).
 */
#include <stdio.h>

#include "cli/cli.h"

int
cmd_demo(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	fprintf(stderr, "stepmap: 'demo' is not built yet\n");
	return 3;
}
