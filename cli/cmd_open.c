/*
 * cmd_open.c - stepmap [WORKBOOK] (placeholder until the workbench lands:
 * replace this file).
 */
#include <stdio.h>

#include "cli/cli.h"

int
cmd_open(const char *path)
{
	(void)path;
	fprintf(stderr, "stepmap: the workbench is not built yet\n");
	return 3;
}
