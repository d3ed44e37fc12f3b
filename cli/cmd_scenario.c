/*
 * cmd_scenario.c - stepmap scenario (placeholder until its issue lands: replace this file).
 */
#include <stdio.h>

#include "cli/cli.h"

int
cmd_scenario(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	fprintf(stderr, "stepmap: 'scenario' is not built yet\n");
	return 3;
}
