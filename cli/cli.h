/*
 * cli.h - the command line: the table of subcommands and the helpers they
 * share (opening a workbook, choosing a process, reporting errors).
 *
 * Every subcommand is `int cmd_NAME(int argc, char **argv)` with argv[0] the
 * subcommand's name; it returns a process exit code: 0 ok, 1 bad input,
 * 2 bad usage, 3 internal failure (status_exit_code()). Errors go to stderr
 * as "stepmap: MESSAGE", the message naming the file, line or field.
 * Nothing is written unless the whole operation succeeds.
 */
#ifndef STEPMAP_CLI_H
#define STEPMAP_CLI_H

#include <stdbool.h>
#include <stdio.h>

#include "model/model.h"
#include "store/store.h"

/* _(name, usage, summary): the subcommands, in --help order. */
#define CLI_COMMAND_INFO(_) \
	_(demo,     "demo FILE",                                      "write the bundled demo workbook to FILE") \
	_(report,   "report WORKBOOK [-p PROCESS] [-s SCENARIO] [--json]", "print the figures of each process and scenario") \
	_(import,   "import FILE... -o WORKBOOK [-n NAME] [--append] [--keep-subprocesses] [--merge-pools]", "read BPMN or CSV files into a workbook") \
	_(export,   "export WORKBOOK -f bpmn|csv|json [-p PROCESS] [-s SCENARIO] -o FILE", "write a process as BPMN 2.0, CSV or JSON") \
	_(check,    "check FILE.bpmn... [--keep-subprocesses] [--merge-pools]", "validate a BPMN file and list what import would lose") \
	_(simulate, "simulate WORKBOOK [-p PROCESS] [-s SCENARIO|--all] [--cases N] [--seed S] [--replications R] [--warmup T] [--json]", "simulate cases through a process") \
	_(present,  "present [WORKBOOK]",                             "open the workbench in presentation mode, for a projector") \
	_(scenario, "scenario WORKBOOK list|show|new|copy|rename|delete|cut|uncut ...", "list and manage scenarios and their cuts")

#define CLI_DECL_(name, usage, summary) int cmd_##name(int argc, char **argv);
CLI_COMMAND_INFO(CLI_DECL_)
#undef CLI_DECL_

/* The workbench: stepmap [WORKBOOK]. path NULL opens the bundled demo in memory. */
int cmd_open(const char *path);
/* The workbench on path (NULL: the demo), in presentation mode or not. */
int cli_workbench(const char *path, bool present);

/* Print "stepmap: " and the message to stderr; return the exit code for s. */
int cli_fail(enum status s, const struct err *err);
/* Print "stepmap: " and a formatted message to stderr; return 2 (bad usage),
 * after a hint to see --help. */
int cli_usage(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/*
 * Open an existing workbook and load it. On success *store and *wb are set
 * (the caller closes and frees both). On error both are NULL and the message
 * has been printed; the return value is the exit code.
 */
int cli_open_workbook(const char *path, enum store_mode mode, struct store **store,
                      struct workbook **wb);

/* The process named by -p (name or 1-based number), or the only/first one
 * when name is NULL. Prints an error and returns NULL when there is none. */
struct process *cli_pick_process(const struct workbook *wb, const char *name,
                                 const char *path);

/* The scenario of p named by -s: its name or, failing that, its 1-based
 * number. Prints an error naming the process and returns NULL when there is
 * none. */
struct scenario *cli_pick_scenario(const struct process *p, const char *name);

/* Write data to path atomically: to a temporary file in the same folder,
 * then renamed over path, so a failure leaves no half-written file.
 * write_fn writes to the FILE and returns a status. "-" writes to stdout. */
enum status cli_write_atomic(const char *path,
                             enum status (*write_fn)(FILE *f, void *ctx, struct err *err),
                             void *ctx, struct err *err);

/* True when s ends with suffix, case-insensitively. */
bool cli_has_suffix(const char *s, const char *suffix);

#endif
