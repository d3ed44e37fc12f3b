/*
 * tui.h - the workbench: a full-screen ncursesw program over one workbook.
 *
 * The caller (cli/cmd_open.c) opens the store and loads the workbook; the
 * workbench shows it, and every edit the user makes goes through store_do()
 * (one transaction each, journaled for undo), so nothing on screen is ever
 * the only copy of anything and there is no save command.
 *
 * Two ways in: tui_run() takes the terminal; tui_test_open() runs the same
 * program on a virtual terminal of a fixed size (ncurses writing to
 * /dev/null) for the screen tests, which feed key scripts (tui/keys.h) and
 * read the screen back as text.
 *
 * Only tui/ includes curses; this header does not.
 */
#ifndef STEPMAP_TUI_H
#define STEPMAP_TUI_H

#include <stdbool.h>
#include <stdio.h>

#include "model/model.h"
#include "store/store.h"

struct tui_options {
	const char *name;            /* the workbook as the status line names it */
	bool demo;                   /* the in-memory demo: say changes are not saved */
	const char *script;          /* keys run before the keyboard (keys.h syntax);
	                                NULL for none */
	bool script_only;            /* quit when the script ends */
	bool present;                /* open in presentation mode (stepmap present) */
	/* This session's name for the others in the workbook (--name, else the
	 * login name); NULL or "" joins no presence (tui/presence.c). */
	const char *who;
	/* How :export writes a file: atomically, so that a failure leaves no
	 * half-written file (cli_write_atomic). NULL: :export is unavailable. */
	enum status (*write_file)(const char *path,
	                          enum status (*write_fn)(FILE *f, void *ctx, struct err *err),
	                          void *ctx, struct err *err);
};

/*
 * Run the workbench on the terminal until the user quits. store and wb stay
 * the caller's (wb is edited in place). Returns a process exit code; on a
 * terminal that cannot be set up (not a tty, unknown TERM) prints why and
 * returns 1 without touching the terminal. Crash signals (SIGSEGV, SIGBUS,
 * SIGFPE, SIGILL, SIGABRT) and SIGTERM, SIGHUP, SIGINT restore the terminal
 * and then take their default action.
 */
int tui_run(struct store *store, struct workbook *wb, const struct tui_options *opt);

/* True when standard input and output are a terminal the workbench can take;
 * otherwise says so on stderr and returns false. The caller asks before it
 * opens (or creates) a workbook, so a run without a terminal writes nothing. */
bool tui_has_terminal(void);

/* --- screen tests ---------------------------------------------------------- */

struct tui;

/*
 * The workbench on a virtual terminal of rows x cols (TERM=xterm, UTF-8 when
 * the locale is, colour unless NO_COLOR is set), drawn once. NULL when out of
 * memory or ncurses cannot start. Close with tui_test_close().
 */
struct tui *tui_test_open(struct store *store, struct workbook *wb,
                          const struct tui_options *opt, int rows, int cols);
/* Feed a key script (keys.h), each key handled and the screen drawn after it
 * as the main loop does. Returns false once the program has quit. */
bool tui_test_keys(struct tui *t, const char *script);
/* The keys stopped: do what waits for that (others' changes to a shared
 * workbook, figures of a large process, see app.c) and draw. */
void tui_test_idle(struct tui *t);
/* The loop woke without a key, as it does every quarter of a second while
 * others may be in the workbook: who is here, following (presence.c); draw. */
void tui_test_tick(struct tui *t);
/* The screen as UTF-8 text, one line per row, trailing blanks removed,
 * newline-terminated (caller frees). NULL when out of memory. */
char *tui_test_screen(struct tui *t);
/* The status line's current message ("" when none). */
const char *tui_test_status(const struct tui *t);
void tui_test_close(struct tui **t);

/* The key table of the man page, in roff (.SS per scope, .TP per command),
 * generated from tui/commands.h. */
void tui_keys_man(FILE *f);

#endif
