/*
 * app.c - the state every view shares: the process and step under the
 * cursor, the status line, the stack of views, the edits handed to the store,
 * the figures that follow every edit, the flows index the views draw from,
 * and the question on the bottom line.
 *
 * Figures follow every edit. Computing them is linear in the process, so on
 * a process whose last computation took more than a few milliseconds they
 * are computed once the keys stop (80 ms without input, run.c) instead of
 * after every key, and the panel marks them as updating meanwhile; on the
 * demo they are current after every key.
 *
 * The main loop, the terminal and the test terminal are in run.c; the `:`
 * command line and the commands no view takes, in exec.c.
 */
#define _XOPEN_SOURCE_EXTENDED 1
#include <curses.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "tui/app.h"

/* Computations slower than this (ms) wait for the keys to stop. */
#define FIG_DEFER_MS 4.0

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

	a->cur_flow = 0;
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
void
app_figures_drop(struct app *a)
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
	app_figures_drop(a);
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

/* What an edit changes, as bits: 1 a scenario's cuts, 2 the baseline (its
 * lanes, steps, flows, measures, process), 4 scenarios themselves; 0
 * none of these. */
static int
edit_reach(const struct edit *e)
{
	int r = 0;
	size_t i;

	switch (e->kind) {
	case EDIT_GROUP:
		for (i = 0; i < e->u.group.n; i++)
			r |= edit_reach(e->u.group.items[i]);
		return r;
	case EDIT_CUT_ADD:
	case EDIT_CUT_DEL:
		return 1;
	case EDIT_SCENARIO_ADD:
	case EDIT_SCENARIO_DEL:
	case EDIT_SCENARIO_SET:
		return 4;
	case EDIT_PROCESS_ADD:
	case EDIT_PROCESS_DEL:
		return 0;
	default:
		return 2;
	}
}

bool
app_readonly(struct app *a)
{
	const char *why = store_readonly_reason(a->store);

	if (!why)
		return false;
	app_error(a, "read-only: %s; nothing changed", why);
	return true;
}

int
app_do(struct app *a, enum status st, struct edit **pe, const char *what)
{
	struct err err = { 0 };
	char label[256];
	struct edit *e = *pe;
	int64_t gen;

	*pe = NULL;
	if (app_readonly(a)) {
		edit_free(&e);
		return FL_REDRAW;
	}
	if (st != STATUS_OK || !e) {
		edit_free(&e);
		if (st == STATUS_INPUT || st == STATUS_NOT_FOUND)
			app_error(a, "%s: %s", what, status_text(st));
		else
			app_error(a, "%s: %s", what, status_text(st == STATUS_OK ? STATUS_NOMEM : st));
		return FL_REDRAW;
	}
	snprintf(label, sizeof label, "%s", e->label ? e->label : what);
	/* With a scenario shown the status line says which one an edit
	 * changed: the scenario's cuts, or the baseline every scenario sees. */
	if (app_scenario(a) && e->process == a->proc) {
		int reach = edit_reach(e);
		char said[sizeof label];

		snprintf(said, sizeof said, "%s", label);
		if (reach == 1)
			snprintf(label, sizeof label, "scenario '%.80s': %.160s", app_scenario(a)->name, said);
		else if (reach == 2)
			snprintf(label, sizeof label, "baseline (every scenario sees it): %.200s", said);
	}
	gen = store_generation(a->store);
	st = store_do(a->store, a->wb, e, &err);
	if (st != STATUS_OK) {
		/* refused, but what others did meanwhile came in with it */
		if (store_generation(a->store) != gen)
			app_changed(a);
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
void
app_figures_refresh(struct app *a)
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
void
app_figures_settle(struct app *a, bool idle)
{
	if (a->fig_stale && (idle || a->fig_ms < FIG_DEFER_MS))
		app_figures_refresh(a);
}

bool
app_figures_deferred(const struct app *a)
{
	return a->fig_ms >= FIG_DEFER_MS;
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
		app_figures_refresh(a);
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
flows_index(struct app *a, const struct process *p)
{
	const struct flow **arr;

	if (a->flows_gen == a->gen && a->flows_of == p && a->flows_of_gen == a->derived_gen &&
	    a->flows_proc == a->proc && a->flows_by_from)
		return;
	free(a->flows_by_from);
	a->flows_by_from = NULL;
	a->nflows_by_from = 0;
	a->flows_gen = a->gen;
	a->flows_proc = a->proc;
	a->flows_of = p;
	a->flows_of_gen = a->derived_gen;
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
	const struct process *l = a->listed;

	*n = 0;
	/* A step of the process listed with a scenario shown has the flows
	 * the scenario gives it; a baseline step, the baseline's. */
	flows_index(a, l && process_step(l, s->id) == s ? l : app_process(a));
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

size_t
app_branch_rows(struct app *a, const struct process *p, size_t i)
{
	size_t n;
	const struct flow *const *f = app_flows_from(a, p->steps[i], &n);
	const struct step *to;

	if (n == 0)
		return 0;
	if (n == 1) {
		to = process_step(p, f[0]->to);
		if (to && to->index == i + 1 && !f[0]->label)
			return 0;
	}
	return n > BRANCHES_SHOWN ? BRANCHES_SHOWN + 1 : n;
}

const struct flow *
app_cur_flow(struct app *a)
{
	struct process *p = app_process(a);
	const struct flow *f = p && a->cur_flow ? process_flow(p, a->cur_flow) : NULL;

	return f && f->from == a->cur_id ? f : NULL;
}

bool
app_handoff_after(struct app *a, const struct process *p, size_t i)
{
	const struct flow *const *f;
	size_t n, next = i + 1;

	if (i + 1 >= p->nsteps)
		return false;
	/* A step a scenario removes hands nothing on: the hand-off is drawn
	 * after the removed steps, from the step before them. */
	if (p == a->listed) {
		if (app_mark(a, p->steps[i + 1]->id) == MARK_REMOVED)
			return false;
		while (app_mark(a, p->steps[i]->id) == MARK_REMOVED)
			if (i-- == 0)
				return false;
	}
	if (p->steps[i]->type == STEP_END)
		return false;
	/* The step's real way on: with explicit flows, its one flow when that
	 * leads to the next row unlabelled (no branch row shows it; a branch
	 * row marks its own hand-off); without, the next step in order, unless
	 * the process's flows are all explicit (then it has no way on). */
	f = app_flows_from(a, p->steps[i], &n);
	if (n == 0)
		return !p->flows_explicit && app_is_handoff(p, p->steps[i], p->steps[next]);
	return app_branch_rows(a, p, i) == 0 && f[0]->to == p->steps[next]->id &&
	       app_is_handoff(p, p->steps[i], p->steps[next]);
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

sm_id
app_lane_step(const struct process *p, sm_id id, int dir)
{
	const struct lane **ls;
	size_t n, i, at, slots;
	bool none = false;
	sm_id r;

	if (p->nlanes == 0)
		return 0;
	/* "no lane" is a place to go only while some step has none */
	for (i = 0; i < p->nsteps && !none; i++)
		none = p->steps[i]->lane == 0 || !process_lane(p, p->steps[i]->lane);
	ls = malloc(p->nlanes * sizeof *ls);
	if (!ls)
		return id;
	n = app_lanes_ordered(p, ls);
	slots = n + (none ? 1 : 0);
	/* positions 0..n-1 the lanes, n "no lane" */
	at = n;
	for (i = 0; i < n; i++)
		if (ls[i]->id == id)
			at = i;
	if (at == n && !none)        /* from no lane: the first lane, or the last */
		at = dir > 0 ? n - 1 : 0;
	at = (at + (dir > 0 ? 1 : slots - 1)) % slots;
	r = at < n ? ls[at]->id : 0;
	free(ls);
	return r;
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

enum time_unit
app_unit(const struct app *a)
{
	const struct process *p = app_process(a);

	return p ? p->time_unit : TIME_UNIT_AUTO;
}

char *
fmt_time(double seconds, enum time_unit u, char *buf, size_t size)
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
	/* the rounding is auto's; a unit of its own rounds the time itself */
	return duration_show(u == TIME_UNIT_AUTO ? r : seconds, u, buf, size);
}

char *
fmt_time_fit(double seconds, enum time_unit u, int w, bool approx, char *buf, size_t size)
{
	static const double units[] = { 60, 3600, 86400 };
	char t[DIST_TEXT_MAX];
	size_t k;

	fmt_time(seconds, u, t, sizeof t);
	snprintf(buf, size, "%s%s", approx ? "~" : "", t);
	if (!(seconds == seconds) || text_width(buf) <= w)
		return buf;
	if (u != TIME_UNIT_AUTO) {
		/* whole units: "26.8m" in 4 cells is "~27m" */
		double one = time_unit_seconds(u);

		duration_show(one * (double)(long long)(seconds / one + 0.5), u, t, sizeof t);
		snprintf(buf, size, "~%s", t);
		return buf;
	}
	/* too wide: rounded to a coarser unit, whole, its last unit kept
	 * ("1d10h46m" in 6 cells is "~1d11h", never "1d10h4") */
	for (k = 0; k < sizeof units / sizeof units[0]; k++) {
		double r = units[k] * (double)(long long)(seconds / units[k] + 0.5);

		duration_format(r, t, sizeof t);
		snprintf(buf, size, "~%s", t);
		if (text_width(buf) <= w)
			return buf;
	}
	return buf;
}

char *
fit_time_text(const char *text, enum time_unit u, int w, char *buf, size_t size)
{
	struct dist d;

	if (text_width(text) <= w || dist_parse(text, NULL, &d, NULL) != STATUS_OK ||
	    d.kind != DIST_FIXED) {
		snprintf(buf, size, "%s", text);
		return buf;
	}
	return fmt_time_fit(d.p[0], u, w, false, buf, size);
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
	/* its mean, "~" (and rounded to what fits when it must be) */
	return fmt_time_fit(dist_mean(d), TIME_UNIT_AUTO, w, true, buf, size);
}

/* The workbook changed: caches, the cursor, and every view's own state. */
void
app_changed(struct app *a)
{
	struct process *p;
	struct step *s;
	const struct flow *f;
	sm_id cur_flow;
	size_t i;

	a->gen++;
	a->fig_stale = true;
	if (a->proc && !app_process(a)) {
		a->proc = a->wb->nprocs ? a->wb->procs[0]->id : 0;
		app_figures_drop(a);
		a->cur_id = 0;
		a->cur = 0;
	} else if (!a->proc && a->wb->nprocs)
		a->proc = a->wb->procs[0]->id;
	p = app_process(a);
	if (p && a->cur_id && (s = process_step(p, a->cur_id)))
		a->cur = s->index;
	cur_flow = a->cur_flow;
	app_set_cursor(a, a->cur);
	/* the cursor stays on its branch line while the branch is the step's */
	if (p && cur_flow && (f = process_flow(p, cur_flow)) && f->from == a->cur_id)
		a->cur_flow = cur_flow;
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
	a->prompt.pick = false;
	a->prompt.keys[0] = '\0';
}

void
app_prompt_pick(struct app *a, const char *label, const char *initial,
                int (*accept)(struct app *a, const char *text, void *ctx), void *ctx)
{
	app_prompt(a, label, initial, accept, ctx);
	a->prompt.pick = true;
	a->prompt.pick_at = a->cur;
}

size_t
app_pick(const struct app *a)
{
	return a->prompt.active && a->prompt.pick ? a->prompt.pick_at : (size_t)-1;
}

/* Up, Down and Tab in a step prompt: FL_* flags, FL_UNHANDLED for others. */
static int
prompt_pick(struct app *a, tkey k)
{
	struct prompt *pr = &a->prompt;
	struct process *p = app_process(a);
	const char *b = pr->line.buf ? pr->line.buf : "";
	char num[32];
	size_t n = p ? p->nsteps : 0;

	if (!pr->pick || !n)
		return FL_UNHANDLED;
	if (pr->pick_at >= n)
		pr->pick_at = n - 1;
	if (k == TK_DOWN || k == TK_UP) {
		if (k == TK_DOWN && pr->pick_at + 1 < n)
			pr->pick_at++;
		else if (k == TK_UP && pr->pick_at > 0)
			pr->pick_at--;
		return FL_REDRAW;
	}
	if (k != TK_TAB)
		return FL_UNHANDLED;
	/* the number, after a blank unless the line ends in one */
	snprintf(num, sizeof num, "%s%zu", pr->line.len && b[pr->line.len - 1] != ' ' ? " " : "",
	         pr->pick_at + 1);
	pr->line.cur = pr->line.len;
	for (const char *c = num; *c; c++)
		line_edit(&pr->line, CMD_NONE, (tkey)(unsigned char)*c);
	return FL_REDRAW;
}

void
app_ask(struct app *a, const char *label, const char *keys,
        int (*accept)(struct app *a, const char *text, void *ctx), void *ctx)
{
	app_prompt(a, label, "", accept, ctx);
	snprintf(a->prompt.keys, sizeof a->prompt.keys, "%s", keys);
}

/* A key while a one-key question is asked. */
static int
ask_handle(struct app *a, enum cmd c, tkey k)
{
	struct prompt *pr = &a->prompt;
	char answer[2] = "";

	if (c == CMD_CANCEL) {
		answer[0] = '\0';
	} else if (k > 0 && k < 128 && strchr(pr->keys, k >= 'A' && k <= 'Z' ? k - 'A' + 'a' : k)) {
		answer[0] = (char)(k >= 'A' && k <= 'Z' ? k - 'A' + 'a' : k);
	} else {
		return FL_NONE;          /* not an answer: the question stays */
	}
	pr->active = false;
	pr->keys[0] = '\0';
	a->status[0] = '\0';
	return (pr->accept ? pr->accept(a, answer, pr->ctx) : FL_NONE) | FL_REDRAW;
}

int
app_prompt_handle(struct app *a, enum cmd c, tkey k)
{
	struct prompt *pr = &a->prompt;
	char *text;
	int fl;

	if (pr->keys[0])
		return ask_handle(a, c, k);
	if (pr->pick && (fl = prompt_pick(a, k)) != FL_UNHANDLED)
		return fl;
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

char *
app_join_words(char **w, size_t from, size_t to, char *buf, size_t size)
{
	size_t i, n = 0;

	buf[0] = '\0';
	for (i = from; i < to && n + 1 < size; i++)
		n += (size_t)snprintf(buf + n, size - n, "%s%s", i > from ? " " : "", w[i]);
	return buf;
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
	if (!strcmp(answer, "y") || !strcmp(answer, "Y"))
		return true;
	app_say(a, "nothing deleted");
	return false;
}

int
app_delete_step(struct app *a, const struct step *s)
{
	const struct process *p = app_process(a);
	struct edit *e = NULL;
	size_t i, out = 0, in = 0, meas = 0;
	char what[300] = "", label[600];
	int fl;

	for (i = 0; i < p->nflows; i++) {
		out += p->flows[i]->from == s->id;
		in += p->flows[i]->to == s->id && p->flows[i]->from != s->id;
	}
	for (i = 0; i < p->nmeasures; i++)
		meas += p->measures[i]->from == s->id || p->measures[i]->to == s->id;
	if (out)
		snprintf(what + strlen(what), sizeof what - strlen(what), "%s %zu branch%s", "; with it its",
		         out, out == 1 ? "" : "es");
	if (in)
		snprintf(what + strlen(what), sizeof what - strlen(what), "%s %zu flow%s into it",
		         out ? " and the" : "; with it the", in, in == 1 ? "" : "s");
	if (meas)
		snprintf(what + strlen(what), sizeof what - strlen(what), "; %zu measure%s moved to a "
		         "neighbour or deleted", meas, meas == 1 ? "" : "s");
	a->cur_id = 0;
	fl = app_do(a, edit_step_del(a->wb, s->id, &e), &e, "delete step");
	if (fl & FL_CHANGED) {
		snprintf(label, sizeof label, "%s", a->status);
		app_say(a, "%.200s%s (u undoes)", label, what);
	}
	return fl;
}

int
app_delete_lane(struct app *a, const struct lane *l)
{
	const struct process *p = app_process(a);
	struct edit *e = NULL;
	size_t i, n = 0;
	char label[600];
	int fl;

	for (i = 0; i < p->nsteps; i++)
		n += p->steps[i]->lane == l->id;
	fl = app_do(a, edit_lane_del(a->wb, l->id, &e), &e, "delete lane");
	if (fl & FL_CHANGED) {
		snprintf(label, sizeof label, "%s", a->status);
		if (n)
			app_say(a, "%.200s: its %zu step%s now ha%s no lane (u undoes)", label, n,
			        n == 1 ? "" : "s", n == 1 ? "s" : "ve");
		else
			app_say(a, "%.200s: it held no steps (u undoes)", label);
	}
	return fl;
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
