/*
 * cmd_simulate.c - stepmap simulate (placeholder until its issue lands: replace this file).
 */
#include <stdio.h>

#include "cli/cli.h"

int
cmd_simulate(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	fprintf(stderr, "stepmap: 'simulate' is not built yet\n");
	return 3;
}
