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
#include <sys/stat.h>

#include "model/model.h"
#include "store/store.h"

/* _(name, usage, summary): the subcommands, in --help order. */
#define CLI_COMMAND_INFO(_) \
	_(demo,     "demo FILE",                                      "write the bundled demo workbook to FILE") \
	_(report,   "report WORKBOOK [-p PROCESS] [-s SCENARIO] [--unit UNIT] [--json]", "print the figures of each process and scenario") \
	_(import,   "import FILE... -o WORKBOOK [-n NAME] [--append] [--keep-subprocesses] [--merge-pools] [--log] [--case COL] [--activity COL] [--timestamp COL] [--start COL] [--end COL] [--resource COL] [--lifecycle COL] [--instance COL] [--lane-by role|group|resource|none] [--coverage PCT]", "read BPMN, CSV or event logs (XES, .xes.gz, CSV) into a workbook") \
	_(export,   "export WORKBOOK -f bpmn|csv|json|svg|png|pdf|html|md [-p PROCESS] [-s SCENARIO] [--paper a4|a3] [--dpi N] [--chart KIND] -o FILE", "write a process as BPMN 2.0, CSV or JSON, draw it, or write its readout") \
	_(check,    "check FILE.bpmn... [--keep-subprocesses] [--merge-pools] | check WORKBOOK [--salvage -o NEW]", "validate a BPMN file and list what import would lose, or check a workbook") \
	_(simulate, "simulate WORKBOOK [-p PROCESS] [-s SCENARIO|--all] [--cases N] [--seed S] [--replications R] [--warmup T|auto] [--json]", "simulate cases through a process (default: 20 runs of 1 000 cases, more when the cases depend on each other, the warm-up found from the data)") \
	_(present,  "present [--name NAME] [WORKBOOK]",               "open the workbench in presentation mode, for a projector") \
	_(scenario, "scenario WORKBOOK list|show|new|copy|rename|delete|cut|uncut ...", "list and manage scenarios and their cuts")

#define CLI_DECL_(name, usage, summary) int cmd_##name(int argc, char **argv);
CLI_COMMAND_INFO(CLI_DECL_)
#undef CLI_DECL_

/* The workbench: stepmap [WORKBOOK]. path NULL opens the bundled demo in memory. */
int cmd_open(const char *path);
/* The workbench on path (NULL: the demo), in presentation mode or not. */
int cli_workbench(const char *path, bool present);
/* The workbench's arguments, [--name NAME] [WORKBOOK] (argv[0] the
 * command's name), then cli_workbench(). */
int cli_workbench_args(int argc, char **argv, bool present);
/* This session's name: --name's, else the login name. The workbench's
 * presence (tui_options.who) uses it, as may anything that names who did
 * what (an edit's author). */
const char *cli_who(void);

/* Print "stepmap: " and the message to stderr; return the exit code for s. */
int cli_fail(enum status s, const struct err *err);
/* cli_fail, with path in front of a message that does not name it ("out of
 * memory"). err may be NULL. */
int cli_fail_file(enum status s, struct err *err, const char *path);

/*
 * Commands that write a workbook are run again when another process changed
 * what they change between their load and their write (STATUS_CONFLICT,
 * STATUS_STALE) or held it past the busy timeout (STATUS_LOCKED): nothing
 * was written, so the command loads
 * the workbook again and applies itself again, for a bounded time
 * (main.c). While armed, cli_fail() keeps those errors quiet and
 * cli_retry_wanted() says one happened (*msg: its message).
 */
void cli_retry_arm(bool on);
bool cli_retry_wanted(const char **msg);

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

/*
 * Where writing path really writes: symbolic links followed to the file
 * itself (*real, malloc'd; a dangling link: where it points). *exists says
 * whether that file exists (*sb its lstat). A directory, FIFO, device or
 * socket there is refused (STATUS_INPUT, naming its kind): writers replace
 * files by renaming, which would replace the node itself.
 */
enum status cli_output_path(const char *path, char **real, struct stat *sb, bool *exists,
                            struct err *err);

/* Write data to path atomically, the one way every writer writes a file: to
 * a temporary file in the folder of the file path names (through symbolic
 * links: a link stays a link and its file is replaced), then renamed over
 * it, so a failure leaves no half-written file. A directory, FIFO or device
 * is refused, never replaced. An existing file keeps its permissions.
 * write_fn writes to the FILE and returns a status. "-" writes to stdout. */
enum status cli_write_atomic(const char *path,
                             enum status (*write_fn)(FILE *f, void *ctx, struct err *err),
                             void *ctx, struct err *err);

/*
 * Write w as the new workbook file out: built in a scratch folder beside it,
 * then linked into place, so out is never half-written and never replaces a
 * file. Prints the error; returns the exit code (0 when written).
 */
int cli_write_workbook(const char *out, const struct workbook *w);

/* True when s ends with suffix, case-insensitively. */
bool cli_has_suffix(const char *s, const char *suffix);

#endif
