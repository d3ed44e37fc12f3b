/*
 * app.c - the workbench's main loop and the state every view shares.
 *
 * The loop (tig's, htop's): draw every visible view from state, read one key
 * (from the key script first, then the terminal), look its command up in the
 * key table (commands.h), give both to the top view's handle(), and let the
 * app take what the view did not (help, quit, undo, the `:` line...). A
 * handler returns flags; only this loop draws, and it owns KEY_RESIZE.
 *
 * Figures follow every edit. Computing them is linear in the process, so on
 * a process whose last computation took more than a few milliseconds they
 * are computed once the keys stop (80 ms without input) instead of after
 * every key, and the panel marks them as updating meanwhile; on the demo they
 * are current after every key.
 *
 * The terminal is restored on every way out: a normal quit, a crash signal
 * (SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGABRT: endwin, then the default action,
 * so a core is still dumped), SIGTERM, SIGHUP and SIGINT.
 */
#define _XOPEN_SOURCE_EXTENDED 1
#include <curses.h>
#include <errno.h>
#include <langinfo.h>
#include <locale.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "tui/app.h"

/* Computations slower than this (ms) wait for the keys to stop. */
#define FIG_DEFER_MS 4.0
#define IDLE_MS 80

/* --- state helpers --------------------------------------------------------------- */

struct process *
app_process(const struct app *a)
{
	return a->proc ? workbook_process(a->wb, a->proc) : NULL;
}

struct step *
app_step(const struct app *a)
{
	struct process *p = app_process(a);

	return p && a->cur < p->nsteps ? p->steps[a->cur] : NULL;
}

void
app_set_cursor(struct app *a, size_t i)
{
	struct process *p = app_process(a);

	if (!p || p->nsteps == 0) {
		a->cur = 0;
		a->cur_id = 0;
		return;
	}
	if (i >= p->nsteps)
		i = p->nsteps - 1;
	a->cur = i;
	a->cur_id = p->steps[i]->id;
}

/* Drop the figures (they were of another process, or of none), and the
 * scenario applied with them. */
static void
figures_drop(struct app *a)
{
	if (a->fig_valid)
		figures_done(&a->fig);
	a->fig_valid = false;
	a->fig_stale = true;
	scen_drop(a);
}

void
app_open_process(struct app *a, sm_id id)
{
	scen_switch_process(a, a->proc, id);
	a->proc = id;
	figures_drop(a);
	app_set_cursor(a, 0);
}

static void
vsay(struct app *a, bool error, const char *fmt, va_list ap)
{
	vsnprintf(a->status, sizeof a->status, fmt, ap);
	a->status_error = error;
}

void
app_say(struct app *a, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsay(a, false, fmt, ap);
	va_end(ap);
}

void
app_error(struct app *a, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsay(a, true, fmt, ap);
	va_end(ap);
}

int
app_do(struct app *a, enum status st, struct edit **pe, const char *what)
{
	struct err err = { 0 };
	char label[256];
	struct edit *e = *pe;

	*pe = NULL;
	if (st != STATUS_OK || !e) {
		edit_free(&e);
		if (st == STATUS_INPUT || st == STATUS_NOT_FOUND)
			app_error(a, "%s: %s", what, status_text(st));
		else
			app_error(a, "%s: %s", what, status_text(st == STATUS_OK ? STATUS_NOMEM : st));
		return FL_REDRAW;
	}
	snprintf(label, sizeof label, "%s", e->label ? e->label : what);
	st = store_do(a->store, a->wb, e, &err);
	if (st != STATUS_OK) {
		app_error(a, "%s", err.msg[0] ? err.msg : status_text(st));
		return FL_REDRAW;
	}
	app_say(a, "%s%s", label, a->opt.demo ? " (demo: not saved)" : "");
	return FL_CHANGED | FL_REDRAW;
}

/* --- the view stack ----------------------------------------------------------------- */

bool
app_push(struct app *a, const struct view_ops *ops, void *state)
{
	struct view *v;

	if (a->nviews >= VIEW_STACK_MAX) {
		app_error(a, "too many screens open: close one with q");
		return false;
	}
	v = &a->views[a->nviews];
	memset(v, 0, sizeof *v);
	v->ops = ops;
	v->state = state;
	if (ops->open && !ops->open(a, v)) {
		app_error(a, "out of memory");
		return false;
	}
	a->nviews++;
	return true;
}

void
app_pop(struct app *a)
{
	struct view *v;

	if (a->nviews == 0)
		return;
	v = &a->views[--a->nviews];
	if (v->ops->done)
		v->ops->done(a, v);
	memset(v, 0, sizeof *v);
}

void
view_state_free(struct app *a, struct view *v)
{
	(void)a;
	free(v->state);
	v->state = NULL;
}

struct view *
app_top(struct app *a)
{
	return a->nviews ? &a->views[a->nviews - 1] : NULL;
}

struct view *
app_below(struct app *a, const struct view *v)
{
	size_t i = (size_t)(v - a->views);

	return i > 0 && i < a->nviews ? &a->views[i - 1] : NULL;
}

/* --- figures and the flow index -------------------------------------------------------- */

static double
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

/* The figures of the baseline, then the scenario shown applied and its
 * figures (scen.c), each through a workspace kept between calls. */
static void
figures_refresh(struct app *a)
{
	struct process *p = app_process(a);
	enum status st;
	double t0;

	if (a->fig_valid)
		figures_done(&a->fig);
	a->fig_valid = false;
	a->fig_stale = false;
	if (!p) {
		scen_drop(a);
		return;
	}
	t0 = now_ms();
	if (!a->ws_base)
		a->ws_base = figures_ws_new();
	st = a->ws_base ? figures_compute_ws(p, a->ws_base, &a->fig) : figures_compute(p, &a->fig);
	a->fig_valid = st == STATUS_OK;
	scen_compute(a);
	a->fig_ms = now_ms() - t0;
}

/* Bring the figures up to date if that is cheap or the user is idle. */
static void
figures_settle(struct app *a, bool idle)
{
	if (a->fig_stale && (idle || a->fig_ms < FIG_DEFER_MS))
		figures_refresh(a);
}

const struct figures *
app_figures(struct app *a, bool *stale)
{
	*stale = a->fig_stale;
	return a->fig_valid ? &a->fig : NULL;
}

const struct figures *
app_figures_scen(struct app *a, bool *stale)
{
	*stale = a->fig_stale;
	return a->scen && a->fig_sc_valid ? &a->fig_sc : NULL;
}

void
app_figures_now(struct app *a)
{
	if (a->fig_stale)
		figures_refresh(a);
}

static int
flow_from_cmp(const void *x, const void *y)
{
	const struct flow *f = *(const struct flow *const *)x, *g = *(const struct flow *const *)y;

	if (f->from != g->from)
		return f->from < g->from ? -1 : 1;
	return f->id < g->id ? -1 : f->id > g->id;
}

static void
flows_index(struct app *a)
{
	struct process *p = app_process(a);
	const struct flow **arr;

	if (a->flows_gen == a->gen && a->flows_proc == a->proc && a->flows_by_from)
		return;
	free(a->flows_by_from);
	a->flows_by_from = NULL;
	a->nflows_by_from = 0;
	a->flows_gen = a->gen;
	a->flows_proc = a->proc;
	if (!p)
		return;
	arr = malloc((p->nflows + 1) * sizeof *arr);
	if (!arr)
		return;
	if (p->nflows)
		memcpy(arr, p->flows, p->nflows * sizeof *arr);
	qsort(arr, p->nflows, sizeof *arr, flow_from_cmp);
	a->flows_by_from = arr;
	a->nflows_by_from = p->nflows;
}

const struct flow *const *
app_flows_from(struct app *a, const struct step *s, size_t *n)
{
	size_t lo = 0, hi, first;

	*n = 0;
	flows_index(a);
	hi = a->nflows_by_from;
	if (!a->flows_by_from)
		return NULL;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (a->flows_by_from[mid]->from < s->id)
			lo = mid + 1;
		else
			hi = mid;
	}
	first = lo;
	while (lo < a->nflows_by_from && a->flows_by_from[lo]->from == s->id)
		lo++;
	*n = lo - first;
	return a->flows_by_from + first;
}

bool
app_is_handoff(const struct process *p, const struct step *x, const struct step *y)
{
	const struct lane *lx, *ly;

	if (!x->lane || !y->lane || x->lane == y->lane)
		return false;
	lx = process_lane(p, x->lane);
	ly = process_lane(p, y->lane);
	return lx && ly && lx->stage != STAGE_CUSTOMER && ly->stage != STAGE_CUSTOMER;
}

bool
app_handoff_after(struct app *a, const struct process *p, size_t i)
{
	size_t n;

	if (i + 1 >= p->nsteps || p->steps[i]->type == STEP_END)
		return false;
	app_flows_from(a, p->steps[i], &n);
	return n == 0 && app_is_handoff(p, p->steps[i], p->steps[i + 1]);
}

static const struct process *lane_sort_proc;

static int
lane_stage_cmp(const void *x, const void *y)
{
	const struct lane *l = *(const struct lane *const *)x, *m = *(const struct lane *const *)y;

	(void)lane_sort_proc;
	if (l->stage != m->stage)
		return l->stage < m->stage ? -1 : 1;
	if (l->key != m->key)
		return l->key < m->key ? -1 : 1;
	return l->id < m->id ? -1 : l->id > m->id;
}

size_t
app_lanes_ordered(const struct process *p, const struct lane **out)
{
	size_t i;

	for (i = 0; i < p->nlanes; i++)
		out[i] = p->lanes[i];
	qsort(out, p->nlanes, sizeof *out, lane_stage_cmp);
	return p->nlanes;
}

bool
app_replace(struct app *a, struct view *v, const struct view_ops *ops)
{
	struct view old = *v;

	if (v->ops->done)
		v->ops->done(a, v);
	memset(v, 0, sizeof *v);
	v->ops = ops;
	if (ops->open && !ops->open(a, v)) {
		*v = old;
		v->state = NULL;
		if (old.ops->open)
			old.ops->open(a, v);
		app_error(a, "out of memory");
		return false;
	}
	return true;
}

char *
fmt_time(double seconds, char *buf, size_t size)
{
	double r;

	if (!(seconds == seconds)) {
		snprintf(buf, size, "-");
		return buf;
	}
	if (seconds >= 600)
		r = 60 * (double)(long long)(seconds / 60 + 0.5);
	else if (seconds >= 10)
		r = (double)(long long)(seconds + 0.5);
	else
		r = (double)(long long)(seconds * 10 + 0.5) / 10;
	return duration_format(r, buf, size);
}

char *
fmt_dist(const struct dist *d, int w, char *buf, size_t size)
{
	char t[DIST_TEXT_MAX];

	if (d->kind == DIST_NONE) {
		snprintf(buf, size, "%s", "");
		return buf;
	}
	dist_format(d, t, sizeof t);
	if ((int)strlen(t) <= w) {
		snprintf(buf, size, "%s", t);
		return buf;
	}
	fmt_time(dist_mean(d), t, sizeof t);
	snprintf(buf, size, "~%s", t);
	return buf;
}

/* The workbook changed: caches, the cursor, and every view's own state. */
static void
app_changed(struct app *a)
{
	struct process *p;
	struct step *s;
	size_t i;

	a->gen++;
	a->fig_stale = true;
	if (a->proc && !app_process(a)) {
		a->proc = a->wb->nprocs ? a->wb->procs[0]->id : 0;
		figures_drop(a);
		a->cur_id = 0;
		a->cur = 0;
	} else if (!a->proc && a->wb->nprocs)
		a->proc = a->wb->procs[0]->id;
	p = app_process(a);
	if (p && a->cur_id && (s = process_step(p, a->cur_id)))
		a->cur = s->index;
	app_set_cursor(a, a->cur);
	scen_changed(a);
	for (i = 0; i < a->nviews; i++)
		if (a->views[i].ops->changed)
			a->views[i].ops->changed(a, &a->views[i]);
}

int
list_move(size_t *cur, size_t n, int rows, enum cmd c)
{
	size_t page = rows > 2 ? (size_t)rows - 1 : 1;

	switch (c) {
	case CMD_DOWN:
		if (*cur + 1 < n)
			(*cur)++;
		break;
	case CMD_UP:
		if (*cur > 0)
			(*cur)--;
		break;
	case CMD_PAGE_DOWN:
		*cur = *cur + page < n ? *cur + page : n ? n - 1 : 0;
		break;
	case CMD_PAGE_UP:
		*cur = *cur > page ? *cur - page : 0;
		break;
	case CMD_FIRST:
		*cur = 0;
		break;
	case CMD_LAST:
		*cur = n ? n - 1 : 0;
		break;
	default:
		return FL_UNHANDLED;
	}
	return FL_REDRAW;
}

void
list_scroll(size_t cur, size_t *top, size_t n, int rows)
{
	if (rows < 1)
		rows = 1;
	if (cur < *top)
		*top = cur;
	if (cur >= *top + (size_t)rows)
		*top = cur - (size_t)rows + 1;
	if (*top + (size_t)rows > n)
		*top = n > (size_t)rows ? n - (size_t)rows : 0;
}

/* --- the prompt ---------------------------------------------------------------------- */

void
app_prompt(struct app *a, const char *label, const char *initial,
           int (*accept)(struct app *a, const char *text, void *ctx), void *ctx)
{
	a->prompt.active = true;
	snprintf(a->prompt.label, sizeof a->prompt.label, "%s", label);
	line_set(&a->prompt.line, initial ? initial : "");
	a->prompt.accept = accept;
	a->prompt.ctx = ctx;
}

static int
prompt_handle(struct app *a, enum cmd c, tkey k)
{
	struct prompt *pr = &a->prompt;
	char *text;
	int fl;

	switch (c) {
	case CMD_CANCEL:
		pr->active = false;
		a->status[0] = '\0';
		return FL_REDRAW;
	case CMD_ACCEPT:
		pr->active = false;
		a->status[0] = '\0';
		text = strdup(pr->line.buf ? pr->line.buf : "");
		if (!text) {
			app_error(a, "out of memory");
			return FL_REDRAW;
		}
		fl = pr->accept ? pr->accept(a, text, pr->ctx) : FL_NONE;
		free(text);
		return fl | FL_REDRAW;
	case CMD_BACKSPACE:
		if (pr->line.len == 0) {
			pr->active = false;
			return FL_REDRAW;
		}
		/* fall through */
	default:
		line_edit(&pr->line, c, k);
		return FL_REDRAW;
	}
}

/* --- the `:` command line ----------------------------------------------------------------- */

/* Split s into words in place (blanks between; "double quotes" group). */
static size_t
split_words(char *s, char **w, size_t max)
{
	size_t n = 0;

	while (*s && n < max) {
		while (*s == ' ' || *s == '\t')
			s++;
		if (!*s)
			break;
		if (*s == '"') {
			w[n++] = ++s;
			while (*s && *s != '"')
				s++;
		} else {
			w[n++] = s;
			while (*s && *s != ' ' && *s != '\t')
				s++;
		}
		if (*s)
			*s++ = '\0';
	}
	return n;
}

char *
app_join_words(char **w, size_t from, size_t to, char *buf, size_t size)
{
	size_t i, n = 0;

	buf[0] = '\0';
	for (i = from; i < to && n + 1 < size; i++)
		n += (size_t)snprintf(buf + n, size - n, "%s%s", i > from ? " " : "", w[i]);
	return buf;
}

static bool
parse_int(const char *s, long *v)
{
	char *end;

	errno = 0;
	*v = strtol(s, &end, 10);
	return *s && !*end && errno == 0;
}

sm_id
app_added(const struct edit *e, enum edit_kind kind)
{
	size_t i;
	sm_id id;

	if (e->kind == EDIT_GROUP) {
		for (i = 0; i < e->u.group.n; i++)
			if ((id = app_added(e->u.group.items[i], kind)))
				return id;
		return 0;
	}
	if (e->kind != kind)
		return 0;
	switch (kind) {
	case EDIT_PROCESS_ADD:  return e->u.process.after ? e->u.process.after->id : 0;
	case EDIT_STEP_ADD:     return e->u.step.after ? e->u.step.after->id : 0;
	case EDIT_SCENARIO_ADD: return e->u.scenario.after ? e->u.scenario.after->id : 0;
	case EDIT_CUT_ADD:      return e->u.cut.after ? e->u.cut.after->id : 0;
	default:                return 0;
	}
}

bool
app_confirmed(struct app *a, const char *answer)
{
	if (answer[0] == 'y' || answer[0] == 'Y')
		return true;
	app_say(a, "nothing deleted");
	return false;
}

int
app_do_named(struct app *a, enum status st, struct edit **e, const char *name, const char *what)
{
	if (st == STATUS_INPUT && !*e) {
		app_error(a, "%s: '%s' is taken, or is not a name", what, name);
		return FL_REDRAW;
	}
	return app_do(a, st, e, what);
}

static int
cmd_process(struct app *a, char **w, size_t n)
{
	struct edit *e = NULL;
	enum status st;
	char name[512];
	sm_id id;
	int fl;

	if (n < 1)
		goto usage;
	app_join_words(w, 1, n, name, sizeof name);
	if (!strcmp(w[0], "new") || !strcmp(w[0], "copy")) {
		if (!name[0])
			goto usage;
		st = !strcmp(w[0], "new") ? edit_process_add(a->wb, name, &e)
		                          : edit_process_copy(a->wb, a->proc, name, &e);
		id = e ? app_added(e, EDIT_PROCESS_ADD) : 0;
		if (st == STATUS_INPUT && !e) {
			app_error(a, "process %s: there is already a process named '%s'", w[0], name);
			return FL_REDRAW;
		}
		fl = app_do(a, st, &e, "new process");
		if (fl & FL_CHANGED) {
			app_open_process(a, id);
			while (a->nviews > 1)
				app_pop(a);
		}
		return fl;
	}
	if (!strcmp(w[0], "rename")) {
		if (!name[0] || !a->proc)
			goto usage;
		st = edit_process_rename(a->wb, a->proc, name, &e);
		if (st == STATUS_INPUT && !e) {
			app_error(a, "process rename: there is already a process named '%s'", name);
			return FL_REDRAW;
		}
		return app_do(a, st, &e, "rename process");
	}
	if (!strcmp(w[0], "delete")) {
		if (!a->proc) {
			app_error(a, "process delete: no process is open");
			return FL_REDRAW;
		}
		return app_do(a, edit_process_del(a->wb, a->proc, &e), &e, "delete process");
	}
usage:
	app_error(a, "usage: :process new NAME | rename NAME | copy NAME | delete");
	return FL_REDRAW;
}

static int
cmd_lane(struct app *a, char **w, size_t n)
{
	struct edit *e = NULL;
	char name[512];
	long cap = 0;
	int stage;
	size_t end = n;
	enum status st;

	if (n < 3 || strcmp(w[0], "add")) {
		app_error(a, "usage: :lane add NAME STAGE [CAPACITY] (stage: customer, onstage, "
		             "offstage, support)");
		return FL_REDRAW;
	}
	if (!a->proc) {
		app_error(a, "lane add: no process is open (:process new NAME)");
		return FL_REDRAW;
	}
	if (n >= 4 && parse_int(w[n - 1], &cap))
		end = n - 1;
	if (cap < 0 || cap > 1000000) {
		app_error(a, "lane add: capacity must be 0 (unlimited) or more, got %ld", cap);
		return FL_REDRAW;
	}
	stage = stage_parse(w[end - 1]);
	if (stage < 0) {
		app_error(a, "lane add: stage must be customer, onstage, offstage or support, got '%s'",
		          w[end - 1]);
		return FL_REDRAW;
	}
	app_join_words(w, 1, end - 1, name, sizeof name);
	if (!name[0]) {
		app_error(a, "lane add: the lane needs a name");
		return FL_REDRAW;
	}
	st = edit_lane_add(a->wb, a->proc, name, (enum stage)stage, (int)cap, &e);
	if (st == STATUS_INPUT && !e) {
		app_error(a, "lane add: there is already a lane named '%s'", name);
		return FL_REDRAW;
	}
	return app_do(a, st, &e, "add lane");
}

static int
cmd_measure(struct app *a, char **w, size_t n)
{
	struct process *p = app_process(a);
	struct edit *e = NULL;
	char name[512];
	long from, to;
	int clock;
	enum status st;

	if (n < 5 || strcmp(w[0], "add")) {
		app_error(a, "usage: :measure add NAME FROM TO CLOCK (steps by number; clock: "
		             "customer or process)");
		return FL_REDRAW;
	}
	if (!p) {
		app_error(a, "measure add: no process is open");
		return FL_REDRAW;
	}
	clock = clock_parse(w[n - 1]);
	if (clock < 0) {
		app_error(a, "measure add: clock must be customer or process, got '%s'", w[n - 1]);
		return FL_REDRAW;
	}
	if (!parse_int(w[n - 3], &from) || from < 1 || (size_t)from > p->nsteps) {
		app_error(a, "measure add: FROM must be a step number from 1 to %zu, got '%s'",
		          p->nsteps, w[n - 3]);
		return FL_REDRAW;
	}
	if (!parse_int(w[n - 2], &to) || to < 1 || (size_t)to > p->nsteps) {
		app_error(a, "measure add: TO must be a step number from 1 to %zu, got '%s'",
		          p->nsteps, w[n - 2]);
		return FL_REDRAW;
	}
	app_join_words(w, 1, n - 3, name, sizeof name);
	if (!name[0]) {
		app_error(a, "measure add: the measure needs a name");
		return FL_REDRAW;
	}
	st = edit_measure_add(a->wb, p->id, name, p->steps[from - 1]->id, p->steps[to - 1]->id,
	                      (enum clock)clock, &e);
	if (st == STATUS_INPUT && !e) {
		app_error(a, "measure add: there is already a measure named '%s'", name);
		return FL_REDRAW;
	}
	return app_do(a, st, &e, "add measure");
}

static int
save_display(struct app *a, const char *path)
{
	char *text = screen_text();
	FILE *f;

	if (!text) {
		app_error(a, "out of memory");
		return FL_REDRAW;
	}
	f = fopen(path, "w");
	if (!f || fputs(text, f) == EOF || fclose(f) != 0) {
		app_error(a, "%s: cannot write: %s", path, strerror(errno));
		free(text);
		return FL_REDRAW;
	}
	free(text);
	app_say(a, "screen written to %s", path);
	return FL_REDRAW;
}

/* Search from the cursor (dir 1 forward, -1 back), wrapping. */
static int
search(struct app *a, int dir)
{
	struct process *p = app_process(a);
	size_t i, n;

	if (!a->search[0]) {
		app_error(a, "no search yet: / then the text");
		return FL_REDRAW;
	}
	if (!p || !p->nsteps) {
		app_error(a, "no steps to search");
		return FL_REDRAW;
	}
	n = p->nsteps;
	for (i = 1; i <= n; i++) {
		size_t j = dir > 0 ? (a->cur + i) % n : (a->cur + n - i % n) % n;

		if (text_contains(p->steps[j]->name, a->search)) {
			app_set_cursor(a, j);
			app_say(a, "/%s: step %zu%s", a->search, j + 1,
			        (dir > 0 ? j <= a->cur : j >= a->cur) && i > 1 ? "" : "");
			return FL_REDRAW;
		}
	}
	app_error(a, "/%s: not found", a->search);
	return FL_REDRAW;
}

static int
search_accept(struct app *a, const char *text, void *ctx)
{
	(void)ctx;
	if (!text[0])
		return search(a, 1);
	snprintf(a->search, sizeof a->search, "%s", text);
	return search(a, 1);
}

static int
command_accept(struct app *a, const char *text, void *ctx)
{
	(void)ctx;
	return app_exec(a, text);
}

static int dispatch_cmd(struct app *a, enum cmd c, tkey k);

int
app_exec(struct app *a, const char *line)
{
	char buf[2048], *w[64];
	size_t n;
	long num;
	enum cmd c;
	struct process *p = app_process(a);

	snprintf(buf, sizeof buf, "%s", line);
	n = split_words(buf, w, 64);
	if (n == 0)
		return FL_NONE;
	if (parse_int(w[0], &num) && n == 1) {
		if (!p || num < 1 || (size_t)num > p->nsteps) {
			app_error(a, ":%ld: no such step (there are %zu)", num, p ? p->nsteps : 0);
			return FL_REDRAW;
		}
		app_set_cursor(a, (size_t)num - 1);
		return FL_REDRAW;
	}
	if (!strcmp(w[0], "q") || !strcmp(w[0], "q!") || !strcmp(w[0], "wq") || !strcmp(w[0], "x"))
		return FL_QUIT;
	if (!strcmp(w[0], "w")) {
		app_say(a, "every edit is already saved%s",
		        a->opt.demo ? " (except in the demo: stepmap demo FILE)" : "");
		return FL_REDRAW;
	}
	c = cmd_by_name(w[0]);
	if (c == CMD_NONE && !strcmp(w[0], "h"))
		c = CMD_HELP;
	switch (c) {
	case CMD_NONE:
		app_error(a, ":%s: unknown command (? lists them)", w[0]);
		return FL_REDRAW;
	case CMD_IMPORT:
	case CMD_EXPORT:
	case CMD_SAVE_DISPLAY:
		if (n < 2) {
			app_error(a, "usage: :%s FILE", cmd_info(c)->name);
			return FL_REDRAW;
		}
		{
			char path[1024];

			app_join_words(w, 1, n, path, sizeof path);
			if (c == CMD_IMPORT)
				return app_import(a, path);
			if (c == CMD_EXPORT)
				return app_export(a, path);
			return save_display(a, path);
		}
	case CMD_PROCESS:
		return cmd_process(a, w + 1, n - 1);
	case CMD_LANE:
		return cmd_lane(a, w + 1, n - 1);
	case CMD_MEASURE:
		return cmd_measure(a, w + 1, n - 1);
	case CMD_SCENARIO:
	case CMD_CUT:
		return scen_exec(a, c, w + 1, n - 1);
	case CMD_GOTO:
		if (n < 2)
			break;
		return app_exec(a, w[1]);
	case CMD_SEARCH:
		if (n < 2) {
			app_prompt(a, "/", "", search_accept, NULL);
			return FL_REDRAW;
		}
		{
			char text[256];

			return search_accept(a, app_join_words(w, 1, n, text, sizeof text), NULL);
		}
	default:
		if (cmd_info(c)->scope == SCOPE_TEXT) {
			app_error(a, ":%s works while typing, from its key", w[0]);
			return FL_REDRAW;
		}
		return dispatch_cmd(a, c, 0);
	}
	app_error(a, "usage: :%s %s", cmd_info(c)->name, cmd_info(c)->args);
	return FL_REDRAW;
}

/* --- commands of the whole app ---------------------------------------------------------- */

static bool
view_open(struct app *a, const struct view_ops *ops)
{
	struct view *top = app_top(a);

	if (top && top->ops == ops)
		return true;
	/* One of each list screen: a second press brings it to the top. */
	while (a->nviews > 1 && app_top(a)->ops != &map_view_ops &&
	       app_top(a)->ops != &lanes_view_ops)
		app_pop(a);
	return app_push(a, ops, NULL);
}

int
app_command(struct app *a, enum cmd c)
{
	const char *label = NULL;
	struct err err = { 0 };
	enum status st;

	switch (c) {
	case CMD_HELP:
		if (app_top(a)->ops != &help_view_ops)
			app_push(a, &help_view_ops, NULL);
		return FL_REDRAW;
	case CMD_COMMAND:
		app_prompt(a, ":", "", command_accept, NULL);
		return FL_REDRAW;
	case CMD_SEARCH:
		app_prompt(a, "/", "", search_accept, NULL);
		return FL_REDRAW;
	case CMD_SEARCH_NEXT:
		return search(a, 1);
	case CMD_SEARCH_PREV:
		return search(a, -1);
	case CMD_CLOSE:
		if (a->nviews > 1) {
			app_pop(a);
			return FL_REDRAW;
		}
		return FL_QUIT;
	case CMD_QUIT:
		return FL_QUIT;
	case CMD_UNDO:
	case CMD_REDO:
		st = c == CMD_UNDO ? store_undo(a->store, a->wb, &label, &err)
		                   : store_redo(a->store, a->wb, &label, &err);
		if (st == STATUS_NOTHING) {
			app_say(a, "nothing to %s", c == CMD_UNDO ? "undo" : "redo");
			return FL_REDRAW;
		}
		if (st != STATUS_OK) {
			app_error(a, "%s", err.msg[0] ? err.msg : status_text(st));
			return FL_REDRAW;
		}
		app_say(a, "%s: %s", c == CMD_UNDO ? "undone" : "redone", label ? label : "edit");
		/* The cursor stays at its place in the order: where the undone
		 * change was, as a rule. */
		a->cur_id = 0;
		return FL_CHANGED | FL_REDRAW;
	case CMD_REFRESH:
		clearok(curscr, TRUE);
		return FL_REDRAW;
	case CMD_PROCESSES:
		view_open(a, &procs_view_ops);
		return FL_REDRAW;
	case CMD_LANES:
		if (!a->proc) {
			app_error(a, "no process is open (:process new NAME)");
			return FL_REDRAW;
		}
		view_open(a, &laneed_view_ops);
		return FL_REDRAW;
	case CMD_SIMULATE:
	case CMD_WALK:
		if (!app_process(a)) {
			app_error(a, "no process is open (:process new NAME)");
			return FL_REDRAW;
		}
		if (c == CMD_SIMULATE)
			sim_view_open(a, app_process(a), app_scenario(a));
		else
			walk_view_open(a, app_process(a), app_scenario(a));
		return FL_REDRAW;
	case CMD_MEASURES:
	case CMD_SCENARIOS:
	case CMD_CUTS:
		if (!a->proc) {
			app_error(a, "no process is open (:process new NAME)");
			return FL_REDRAW;
		}
		if (c == CMD_CUTS && !app_scenario(a)) {
			app_error(a, "cuts: the baseline is shown, it has none (s shows a scenario)");
			return FL_REDRAW;
		}
		view_open(a, c == CMD_MEASURES ? &measures_view_ops
		           : c == CMD_SCENARIOS ? &scen_view_ops : &cuts_view_ops);
		return FL_REDRAW;
	case CMD_COMPARE:
		if (!a->proc) {
			app_error(a, "no process is open (:process new NAME)");
			return FL_REDRAW;
		}
		if (!app_process(a)->nscenarios) {
			app_error(a, "compare: no scenario yet (s, then a adds one)");
			return FL_REDRAW;
		}
		view_open(a, &compare_view_ops);
		return FL_REDRAW;
	case CMD_CUT_REMOVE:
	case CMD_CUT_MERGE:
	case CMD_CUT_AUTOMATE:
	case CMD_CUT_PARALLEL:
	case CMD_SELECT:
	case CMD_UNCUT:
		if (app_top(a)->ops != &map_view_ops && app_top(a)->ops != &lanes_view_ops) {
			app_error(a, "%s: on the map or the lane view", cmd_info(c)->name);
			return FL_REDRAW;
		}
		return scen_command(a, c);
	case CMD_NONE:
		return FL_NONE;
	default:
		app_error(a, "%s: not available on this screen", cmd_info(c)->name);
		return FL_REDRAW;
	}
}

static int
dispatch_cmd(struct app *a, enum cmd c, tkey k)
{
	struct view *v = app_top(a);
	int fl;

	fl = v->ops->handle(a, v, c, k);
	if (fl & FL_UNHANDLED)
		fl = (fl & ~FL_UNHANDLED) | app_command(a, c);
	return fl;
}

/* One key, from the terminal or a script. */
static int
dispatch(struct app *a, tkey k)
{
	struct view *v = app_top(a);
	bool typing;
	enum cmd c;
	char name[32];

	if (a->prompt.active)
		return prompt_handle(a, cmd_for_key(k, true), k);
	typing = v->ops->typing && v->ops->typing(a, v);
	c = cmd_for_key(k, typing);
	if (!typing && c == CMD_NONE) {
		int fl = v->ops->handle(a, v, CMD_NONE, k);

		if (!(fl & FL_UNHANDLED))
			return fl;
		if (k == TK_ESC && v->ops->esc_closes && a->nviews > 1) {
			app_pop(a);
			return FL_REDRAW;
		}
		if (k != TK_RESIZE) {
			app_error(a, "%s: no command on this key (? lists the keys)",
			          tk_name(k, name, sizeof name));
		}
		return FL_REDRAW;
	}
	if (typing) {
		int fl = v->ops->handle(a, v, c, k);

		return fl & ~FL_UNHANDLED;
	}
	a->status_error = false;
	return dispatch_cmd(a, c, k);
}

/* --- drawing the frame ----------------------------------------------------------------------- */

static void
draw_title(struct app *a)
{
	struct process *p = app_process(a);
	const struct scenario *sc = app_scenario(a);
	const struct view *top = app_top(a);
	char left[512];
	int w;

	draw_blank(0, 0, COLS, ST_TITLE);
	snprintf(left, sizeof left, " stepmap %s %s%s%s%s%s", a->utf8 ? "·" : "-",
	         p ? p->name : "(no process)",
	         !p || !p->nscenarios ? "" : a->utf8 ? " · " : " - ",
	         sc ? "scenario: " : p && p->nscenarios ? "baseline" : "", sc ? sc->name : "",
	         a->opt.demo ? "  [demo, not saved]" : "");
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
		char pos[64];
		int pw;

		snprintf(pos, sizeof pos, " %zu/%zu ", a->cur + 1, p->nsteps);
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
	else if (!wb->nprocs)
		app_say(a, "An empty workbook: :process new NAME to start. ? for help");
	else
		app_say(a, "%s: %zu process%s. a to add steps, ? for help",
		        a->opt.name ? a->opt.name : "workbook", wb->nprocs, wb->nprocs == 1 ? "" : "es");
	app_push(a, &map_view_ops, NULL);
	figures_refresh(a);
}

static void
app_done(struct app *a)
{
	while (a->nviews)
		app_pop(a);
	figures_drop(a);
	scen_done(a);
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
	save_display(a, path);
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
	return dispatch(a, k);
}

static void
after_key(struct app *a, int fl, bool idle)
{
	if (fl & FL_CHANGED)
		app_changed(a);
	if (fl & FL_QUIT)
		a->quit = true;
	figures_settle(a, idle);
}

int
tui_run(struct store *store, struct workbook *wb, const struct tui_options *opt)
{
	struct app a;
	const char *term = getenv("TERM");
	SCREEN *scr;

	setlocale(LC_ALL, "");
	if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO)) {
		fprintf(stderr, "stepmap: the workbench needs a terminal (for scripts, see "
		                "stepmap --help)\n");
		return 1;
	}
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
		timeout(a.fig_stale ? IDLE_MS : -1);
		r = get_wch(&wc);
		if (r == ERR) {
			if (a.fig_stale) {
				figures_settle(&a, true);
				draw_all(&a);
			}
			continue;
		}
		if (r == KEY_CODE_YES && wc == KEY_RESIZE) {
			draw_all(&a);
			continue;
		}
		fl = dispatch(&a, to_tkey(r, wc));
		after_key(&a, fl, false);
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
		int fl = script_key(&t->a, k, arg, arglen);

		after_key(&t->a, fl, false);
		draw_all(&t->a);
	}
	return !t->a.quit;
}

void
tui_test_idle(struct tui *t)
{
	if (t->a.fig_stale && !t->a.quit) {
		figures_settle(&t->a, true);
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
