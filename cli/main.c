/*
 * main.c - stepmap's entry point: the subcommand table, --help, --version.
 *
 *   stepmap [WORKBOOK]        the workbench (no file: the bundled demo)
 *   stepmap COMMAND ARGS...   one of the subcommands in cli.h
 */
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"

static const struct {
	const char *name;
	int (*run)(int argc, char **argv);
	const char *usage;
	const char *summary;
} commands[] = {
#define CLI_ENTRY_(name, usage, summary) { #name, cmd_##name, usage, summary },
	CLI_COMMAND_INFO(CLI_ENTRY_)
#undef CLI_ENTRY_
};

static void
usage(FILE *f)
{
	size_t i;

	fprintf(f, "usage: stepmap [WORKBOOK]\n");
	for (i = 0; i < sizeof commands / sizeof commands[0]; i++)
		fprintf(f, "       stepmap %s\n", commands[i].usage);
	fprintf(f, "       stepmap --help | --version\n\n");
	fprintf(f, "A terminal workbench for process mapping. With no WORKBOOK it opens the\n"
	           "bundled demo in memory. Commands:\n");
	for (i = 0; i < sizeof commands / sizeof commands[0]; i++)
		fprintf(f, "  %-9s %s\n", commands[i].name, commands[i].summary);
	fprintf(f, "\nExit codes: 0 ok, 1 bad input, 2 bad usage, 3 internal error.\n"
	           "See stepmap(1) for the keys of the workbench and every option.\n");
}

/* True when a subcommand's arguments ask for its help (before any "--"). */
static bool
wants_help(int argc, char **argv)
{
	int i;

	for (i = 1; i < argc && strcmp(argv[i], "--"); i++)
		if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h"))
			return true;
	return false;
}

int
main(int argc, char **argv)
{
	size_t i;

	if (argc < 2)
		return cmd_open(NULL);
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
		usage(stdout);
		return 0;
	}
	if (!strcmp(argv[1], "--version") || !strcmp(argv[1], "-V")) {
		printf("stepmap %s\n", STEPMAP_VERSION);
		return 0;
	}
	for (i = 0; i < sizeof commands / sizeof commands[0]; i++)
		if (!strcmp(argv[1], commands[i].name)) {
			if (wants_help(argc - 1, argv + 1)) {
				printf("usage: stepmap %s\n\n%c%s.\nSee stepmap(1) for every option.\n",
				       commands[i].usage, commands[i].summary[0] - 'a' + 'A',
				       commands[i].summary + 1);
				return 0;
			}
			return commands[i].run(argc - 1, argv + 1);
		}
	if (argv[1][0] == '-')
		return cli_usage("unknown option '%s'", argv[1]);
	if (argc > 2)
		return cli_usage("the workbench takes one WORKBOOK, got %d arguments", argc - 1);
	return cmd_open(argv[1]);
}
