/*
 * main.c - stepmap's entry point: the subcommand table, --help, --version.
 *
 *   stepmap [--name NAME] [WORKBOOK]  the workbench (no file: the bundled demo)
 *   stepmap COMMAND ARGS...   one of the subcommands in cli.h
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

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

	fprintf(f, "usage: stepmap [--name NAME] [WORKBOOK]\n");
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

/* How long a command whose workbook other writers keep changing is tried
 * again before it gives up (seconds). */
#define CLI_RETRY_S 60

static double
now_s(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

/*
 * Run a subcommand; when it failed only because another process changed the
 * workbook between its load and its write (it wrote nothing), run it again
 * (it loads the workbook again), after a short random pause so that writers
 * started together spread out, for at most CLI_RETRY_S seconds.
 */
static int
run_retrying(int (*run)(int argc, char **argv), const char *name, int argc, char **argv)
{
	double until = now_s() + CLI_RETRY_S;
	unsigned tries = 0, seed = (unsigned)getpid() ^ (unsigned)time(NULL);
	const char *msg;
	int rc;

	for (;;) {
		cli_retry_arm(true);
		rc = run(argc, argv);
		if (!cli_retry_wanted(&msg))
			break;
		if (now_s() >= until) {
			fprintf(stderr, "stepmap: %s\nstepmap: %s: gave up after %d s and %u tries: other "
			        "programs kept changing the workbook; this command wrote nothing\n",
			        msg, name, CLI_RETRY_S, tries + 1);
			break;
		}
		tries++;
		seed = seed * 1103515245u + 12345u;
		usleep(1000u * (2 + (seed >> 16) % (tries < 8 ? 4 * tries : 32)));
	}
	cli_retry_arm(false);
	return rc;
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
			return run_retrying(commands[i].run, commands[i].name, argc - 1, argv + 1);
		}
	return cli_workbench_args(argc, argv, false);   /* [--name NAME] WORKBOOK */
}
