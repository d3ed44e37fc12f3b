/*
 * run.c - the workbench's main loop, the terminal, and the test terminal.
 *
 * The loop (tig's, htop's): draw every visible view from state, read one key
 * (from the key script first, then the terminal), hand it to app_dispatch()
 * (exec.c), and draw again. A handler returns flags; only this loop draws,
 * and it owns KEY_RESIZE. While figures lag behind the last edit (a large
 * process) the loop waits IDLE_MS for a key, then brings them up to date.
 * Otherwise it waits SHARE_POLL_MS at a time and takes in what other
 * sessions changed in the workbook (share.c), and does so again before
 * each key.
 * While the session has presence (presence.c: who else is in the workbook)
 * it waits no longer than a quarter of a second, 40 ms while following
 * someone, and who_tick() beats, looks who is here and follows.
 *
 * The terminal is restored on every way out: a normal quit, a crash signal
 * (SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGABRT: endwin, then the default action,
 * so a core is still dumped), SIGTERM, SIGHUP and SIGINT.
 *
 * Screen tests (tui.h: tui_test_*) drive the same app on a terminal of a
 * given size over /dev/null, with keys from a script.
 */
#define _XOPEN_SOURCE_EXTENDED 1
#include <curses.h>
#include <errno.h>
#include <langinfo.h>
#include <locale.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "tui/app.h"

#define IDLE_MS 80
/* After this long without a key, edits since the last checkpoint are made
 * durable (store_checkpoint: the fsyncs a commit no longer waits for). */
#define SYNC_IDLE_MS 1000
/* While no key comes, the others' changes to a shared workbook are taken in
 * this often (share.c): a quarter of a second at most from their commit to
 * this screen. */
#define SHARE_POLL_MS 100

/* --- drawing the frame ----------------------------------------------------------------------- */

static void
draw_title(struct app *a)
{
	struct process *p = app_process(a);
	const struct scenario *sc = app_scenario(a);
	const struct view *top = app_top(a);
	char left[512], here[32] = "";
	int w;

	draw_blank(0, 0, COLS, ST_TITLE);
	if (who_count(a) > 1)        /* others in the workbook (presence.c) */
		snprintf(here, sizeof here, "  %s %zu here", a->utf8 ? "·" : "-", who_count(a));
	snprintf(left, sizeof left, " stepmap %s %s%s%s%s%s%s", a->utf8 ? "·" : "-",
	         p ? p->name : "(no process)",
	         !p || !p->nscenarios ? "" : a->utf8 ? " · " : " - ",
	         sc ? "scenario: " : p && p->nscenarios ? "baseline" : "", sc ? sc->name : "",
	         a->opt.demo ? "  [demo, not saved]"
	                     : store_readonly_reason(a->store) ? "  [read-only]" : "", here);
	/* The screen's name and "? help" keep their place on the right while
	 * the screen is wide enough; a long process or scenario name is cut. */
	w = COLS;
	if (top) {
		char right[64];
		int rw;

		snprintf(right, sizeof right, " %s  ? help ", top->ops->name);
		rw = text_width(right);
		if (COLS - rw >= 24) {
			w = COLS - rw;
			draw_text_right(0, w, rw, right, ST_TITLE);
		}
	}
	draw_text(0, 0, w, left, ST_TITLE);
}

static void
draw_status(struct app *a)
{
	int y = LINES - 1;
	struct process *p = app_process(a);

	if (y < 1)
		return;
	draw_blank(y, 0, COLS, ST_STATUS);
	if (a->prompt.active) {
		int lw = draw_text(y, 0, COLS, a->prompt.label, ST_STATUS);

		line_draw(a, &a->prompt.line, y, lw, COLS - lw, ST_STATUS);
		return;
	}
	if (p && p->nsteps && COLS >= 40) {
		const char *by = share_last_by(a);
		/* where the view walks (presentation of a scenario), else the
		 * cursor among the baseline's steps */
		size_t at = a->pos_count ? a->pos_number : a->cur + 1;
		size_t of = a->pos_count ? a->pos_count : p->nsteps;
		char pos[128];
		int pw;

		if (by && COLS >= 80)
			snprintf(pos, sizeof pos, " last changed by %.40s  %zu/%zu ", by, at, of);
		else
			snprintf(pos, sizeof pos, " %zu/%zu ", at, of);
		pw = text_width(pos);
		draw_text_right(y, COLS - pw, pw, pos, ST_DIM);
		draw_text(y, 0, COLS - pw - 1, a->status, a->status_error ? ST_ERROR : ST_STATUS);
	} else
		draw_text(y, 0, COLS, a->status, a->status_error ? ST_ERROR : ST_STATUS);
}

static void
draw_all(struct app *a)
{
	struct rect r;
	size_t base, i;

	erase();
	a->cursor_y = -1;
	a->pos_number = a->pos_count = 0;
	a->rows = LINES;
	a->cols = COLS;
	if (LINES >= 1)
		draw_title(a);
	r.y = 1;
	r.x = 0;
	r.w = COLS;
	r.h = LINES - 2;
	if (r.h > 0 && a->nviews) {
		base = a->nviews - 1;
		while (base > 0 && a->views[base].ops->overlay)
			base--;
		for (i = base; i < a->nviews; i++)
			a->views[i].ops->draw(a, &a->views[i], r);
	}
	draw_status(a);
	if (a->cursor_y >= 0 && a->cursor_y < LINES && a->cursor_x >= 0 && a->cursor_x < COLS) {
		curs_set(1);
		move(a->cursor_y, a->cursor_x);
	} else {
		curs_set(0);
		move(LINES - 1, 0);
	}
	wnoutrefresh(stdscr);
	doupdate();
}

/* --- setting up and taking down ------------------------------------------------------------------ */

static volatile sig_atomic_t curses_on;

static void
on_fatal(int sig)
{
	if (curses_on) {
		curses_on = 0;
		endwin();
	}
	signal(sig, SIG_DFL);
	raise(sig);
}

static void
signals_install(void)
{
	static const int sigs[] = { SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGABRT, SIGTERM, SIGHUP,
	                            SIGINT };
	struct sigaction sa;
	size_t i;

	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_fatal;
	sigemptyset(&sa.sa_mask);
	sa.sa_flags = SA_RESETHAND;
	for (i = 0; i < sizeof sigs / sizeof sigs[0]; i++)
		sigaction(sigs[i], &sa, NULL);
}

static void
signals_restore(void)
{
	static const int sigs[] = { SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGABRT, SIGTERM, SIGHUP,
	                            SIGINT };
	size_t i;

	for (i = 0; i < sizeof sigs / sizeof sigs[0]; i++)
		signal(sigs[i], SIG_DFL);
}

static bool
locale_utf8(void)
{
	const char *cs = nl_langinfo(CODESET);

	return cs && (!strcmp(cs, "UTF-8") || !strcmp(cs, "utf8"));
}

static void
curses_setup(struct app *a)
{
	const char *nc = getenv("NO_COLOR");

	cbreak();
	noecho();
	nonl();
	keypad(stdscr, TRUE);
	set_escdelay(25);
	a->color = has_colors() && !(nc && *nc);
	if (a->color) {
		start_color();
		use_default_colors();
	}
	draw_styles_init(a->color);
	a->utf8 = locale_utf8();
	draw_set_ascii(!a->utf8);
	curses_on = 1;
}

static void
app_init(struct app *a, struct store *store, struct workbook *wb, const struct tui_options *opt)
{
	memset(a, 0, sizeof *a);
	a->store = store;
	a->wb = wb;
	if (opt)
		a->opt = *opt;
	a->show_figures = true;
	a->gen = 1;
	a->auto_time = 0.1;
	a->auto_error = 0.1;
	a->script = opt ? opt->script : NULL;
	if (wb->nprocs)
		app_open_process(a, wb->procs[0]->id);
	if (a->opt.demo)
		app_say(a, "Demo in memory: changes are not saved (stepmap demo FILE keeps a copy). "
		           "? help");
	else if (store_readonly_reason(store))
		app_error(a, "%s: read-only: %s. You can look; changes are refused.",
		          a->opt.name ? a->opt.name : "workbook", store_readonly_reason(store));
	else if (!wb->nprocs)
		app_say(a, "An empty workbook: :process new NAME to start. ? for help");
	else
		app_say(a, "%s: %zu process%s. a to add steps, ? for help",
		        a->opt.name ? a->opt.name : "workbook", wb->nprocs, wb->nprocs == 1 ? "" : "es");
	app_push(a, &map_view_ops, NULL);
	if (opt && opt->present)
		app_push(a, &present_view_ops, NULL);
	app_figures_refresh(a);
	who_start(a);
}

static void
app_done(struct app *a)
{
	who_stop(a);
	while (a->nviews)
		app_pop(a);
	app_figures_drop(a);
	scen_done(a);
	app_variant_clear(a);
	figures_ws_free(&a->ws_base);
	free(a->flows_by_from);
	a->flows_by_from = NULL;
	line_free(&a->prompt.line);
}

/* Normalise what get_wch() gave into a tkey. */
static tkey
to_tkey(int r, wint_t wc)
{
	if (r == KEY_CODE_YES) {
		if (wc == KEY_ENTER)
			return TK_ENTER;
		return TK_FN | (tkey)wc;
	}
	if (wc == '\r' || wc == '\n')
		return TK_ENTER;
	if (wc == 127 || wc == 8)
		return TK_BACKSPACE;
	return (tkey)wc;
}

static void
resize_directive(struct app *a, const char *arg, size_t len)
{
	int rows = 0, cols = 0;
	char buf[64];

	(void)a;
	snprintf(buf, sizeof buf, "%.*s", (int)len, arg);
	if (sscanf(buf, "resize %dx%d", &rows, &cols) == 2 && rows > 0 && cols > 0)
		resizeterm(rows, cols);
}

static void
dump_directive(struct app *a, const char *arg, size_t len)
{
	char path[1024];

	snprintf(path, sizeof path, "%.*s", (int)len - 5, arg + 5);
	app_save_display(a, path);
}

/* Handle one key or directive of a script; returns the flags. */
static int
script_key(struct app *a, tkey k, const char *arg, size_t arglen)
{
	if (k == TK_DIRECTIVE) {
		if (arglen > 7 && !strncmp(arg, "resize ", 7)) {
			resize_directive(a, arg, arglen);
			return FL_REDRAW;
		}
		dump_directive(a, arg, arglen);
		return FL_NONE;
	}
	return app_dispatch(a, k);
}

static void
after_key(struct app *a, int fl, bool idle)
{
	if (fl & FL_CHANGED)
		app_changed(a);
	if (fl & FL_QUIT)
		a->quit = true;
	app_figures_settle(a, idle);
}

bool
tui_has_terminal(void)
{
	if (isatty(STDIN_FILENO) && isatty(STDOUT_FILENO))
		return true;
	fprintf(stderr, "stepmap: the workbench needs a terminal (for scripts, see stepmap --help)\n");
	return false;
}

static double
mono_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

int
tui_run(struct store *store, struct workbook *wb, const struct tui_options *opt)
{
	struct app a;
	const char *term = getenv("TERM");
	SCREEN *scr;
	bool unsynced = false;       /* edits since the last checkpoint */
	double last_key = 0;

	setlocale(LC_ALL, "");
	if (!tui_has_terminal())
		return 1;
	if (!term || !*term)
		term = "xterm";
	signals_install();
	scr = newterm(term, stdout, stdin);
	if (!scr) {
		signals_restore();
		fprintf(stderr, "stepmap: cannot use the terminal '%s' (set TERM)\n", term);
		return 1;
	}
	app_init(&a, store, wb, opt);
	a.screen = scr;
	curses_setup(&a);
	draw_all(&a);
	while (!a.quit) {
		int r, fl;
		wint_t wc;

		if (a.script && a.script[a.script_pos]) {
			tkey k;
			const char *arg;
			size_t arglen;

			tk_script_next(a.script, &a.script_pos, &k, &arg, &arglen);
			fl = script_key(&a, k, arg, arglen);
			after_key(&a, fl, false);
			draw_all(&a);
			continue;
		}
		if (a.script && a.opt.script_only)
			break;
		/* presence (who_*) may wake the wait sooner to beat, look who is
		 * here and follow */
		timeout(who_wait(&a, a.fig_stale ? IDLE_MS : SHARE_POLL_MS));
		r = get_wch(&wc);
		if (r == ERR) {
			bool stale = a.fig_stale;

			fl = share_poll(&a);
			fl |= who_tick(&a, false);
			after_key(&a, fl, true);
			if (stale || (fl & (FL_REDRAW | FL_CHANGED)))
				draw_all(&a);
			if (!a.fig_stale && unsynced && mono_ms() - last_key >= SYNC_IDLE_MS) {
				/* a pause in the typing: the edits to the disk now */
				store_checkpoint(a.store, NULL);
				unsynced = false;
			}
			continue;
		}
		last_key = mono_ms();
		/* the key acts on the workbook as it is now */
		if (share_poll(&a) & FL_CHANGED)
			app_changed(&a);
		if (r == KEY_CODE_YES && wc == KEY_RESIZE) {
			draw_all(&a);
			continue;
		}
		if (who_key(&a)) {           /* the key that stops following */
			draw_all(&a);
			continue;
		}
		fl = app_dispatch(&a, to_tkey(r, wc));
		after_key(&a, fl, false);
		fl |= who_tick(&a, false);
		if (fl & FL_CHANGED)
			unsynced = true;
		if (fl & (FL_REDRAW | FL_CHANGED))
			draw_all(&a);
	}
	curses_on = 0;
	endwin();
	delscreen(scr);
	signals_restore();
	app_done(&a);
	return 0;
}

/* --- screen tests ------------------------------------------------------------------------------ */

struct tui {
	struct app a;
};

struct tui *
tui_test_open(struct store *store, struct workbook *wb, const struct tui_options *opt,
              int rows, int cols)
{
	struct tui *t = calloc(1, sizeof *t);
	FILE *in, *out;
	SCREEN *scr;
	char buf[16];

	if (!t)
		return NULL;
	in = fopen("/dev/null", "r");
	out = fopen("/dev/null", "w");
	if (!in || !out)
		goto fail;
	snprintf(buf, sizeof buf, "%d", rows);
	setenv("LINES", buf, 1);
	snprintf(buf, sizeof buf, "%d", cols);
	setenv("COLUMNS", buf, 1);
	use_env(TRUE);
	scr = newterm("xterm", out, in);
	if (!scr)
		goto fail;
	app_init(&t->a, store, wb, opt);
	t->a.screen = scr;
	t->a.term_in = in;
	t->a.term_out = out;
	curses_setup(&t->a);
	resizeterm(rows, cols);
	after_key(&t->a, FL_NONE, true);
	draw_all(&t->a);
	return t;
fail:
	if (in)
		fclose(in);
	if (out)
		fclose(out);
	free(t);
	return NULL;
}

bool
tui_test_keys(struct tui *t, const char *script)
{
	size_t pos = 0;
	tkey k;
	const char *arg;
	size_t arglen;

	/* As the main loop: each key handled and drawn (figures at once when
	 * they are cheap). */
	while (!t->a.quit && tk_script_next(script, &pos, &k, &arg, &arglen)) {
		int fl;

		if (k != TK_DIRECTIVE && who_key(&t->a)) {   /* the key that stops following */
			draw_all(&t->a);
			continue;
		}
		fl = script_key(&t->a, k, arg, arglen);
		after_key(&t->a, fl, false);
		who_tick(&t->a, false);
		draw_all(&t->a);
	}
	return !t->a.quit;
}

void
tui_test_tick(struct tui *t)
{
	int fl;

	if (t->a.quit)
		return;
	fl = who_tick(&t->a, true);
	if (fl)
		after_key(&t->a, fl, true);
	draw_all(&t->a);
}

void
tui_test_idle(struct tui *t)
{
	int fl;

	if (t->a.quit)
		return;
	/* as the main loop while no key comes: others' changes, then figures */
	fl = share_poll(&t->a);
	if (fl & FL_CHANGED)
		app_changed(&t->a);
	if (t->a.fig_stale || (fl & FL_REDRAW)) {
		app_figures_settle(&t->a, true);
		draw_all(&t->a);
	}
}

char *
tui_test_screen(struct tui *t)
{
	(void)t;
	return screen_text();
}

const char *
tui_test_status(const struct tui *t)
{
	return t->a.status;
}

void
tui_test_close(struct tui **pt)
{
	struct tui *t = *pt;

	if (!t)
		return;
	endwin();
	delscreen(t->a.screen);
	curses_on = 0;
	fclose(t->a.term_in);
	fclose(t->a.term_out);
	app_done(&t->a);
	free(t);
	*pt = NULL;
}
