/*
 * cmd_import.c - stepmap import (placeholder until its issue lands: replace this file).
 */
#include <stdio.h>

#include "cli/cli.h"

int
cmd_import(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	fprintf(stderr, "stepmap: 'import' is not built yet\n");
	return 3;
}
