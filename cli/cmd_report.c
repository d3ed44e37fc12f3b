/*
 * cmd_report.c - stepmap report (placeholder until its issue lands: replace this file).
 */
#include <stdio.h>

#include "cli/cli.h"

int
cmd_report(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	fprintf(stderr, "stepmap: 'report' is not built yet\n");
	return 3;
}
