/*
 * cmd_export.c - stepmap export (placeholder until its issue lands: replace this file).
 */
#include <stdio.h>

#include "cli/cli.h"

int
cmd_export(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	fprintf(stderr, "stepmap: 'export' is not built yet\n");
	return 3;
}
