/*
 * simrun.c - running the simulation from the workbench: the baseline and a
 * scenario as variants (each simulated from its own copy of the process),
 * and a run that draws its progress and can be cancelled.
 *
 * A run happens inside a key's handler, so the main loop neither draws nor
 * reads keys meanwhile; the engine's progress callback does both here: it
 * draws a bar in a box over the middle of the screen when the fraction has
 * moved by a per cent, and reads the keys that are waiting, without
 * blocking. Esc cancels. Other keys typed during the run are kept and given
 * back to ncurses afterwards (in their order), so nothing typed ahead is
 * lost. A pending key script (STEPMAP_SCRIPT, or the screen tests') counts
 * as typed ahead: when its next key is Esc, that key cancels the run, and
 * anything else stays for the main loop. The test terminal has no keyboard,
 * so there only the script is read.
 */
#define _XOPEN_SOURCE_EXTENDED 1
#include <curses.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "model/scenario.h"
#include "model/simcheck.h"
#include "tui/sim_views.h"

#define TYPEAHEAD_MAX 32

static void simv_release(struct sim_variant *v, size_t n);

/* v[0]: the baseline (a copy of base); v[1], when sc is not NULL: sc
 * applied to base. Returns how many (1 or 2), or 0 with err when out of
 * memory. */
static size_t
simv_prepare(struct sim_variant *v, const struct process *base, const struct scenario *sc,
             struct err *err)
{
	size_t n = 1;

	memset(v, 0, 2 * sizeof *v);
	snprintf(v[0].name, sizeof v[0].name, "baseline");
	if (!(v[0].proc = process_copy(base))) {
		err_set(err, STATUS_NOMEM, "out of memory");
		return 0;
	}
	if (sc) {
		bool *stale = NULL;
		size_t i;

		snprintf(v[1].name, sizeof v[1].name, "%s", sc->name);
		v[1].scenario = sc->id;
		if (scenario_apply(base, sc, &v[1].proc, &stale, err) != STATUS_OK || !v[1].proc) {
			free(stale);
			simv_release(v, 2);
			return 0;
		}
		for (i = 0; stale && i < sc->ncuts; i++)
			v[1].nstale += stale[i];
		free(stale);
		v[1].marks = scenario_marks(base, sc);      /* NULL: no tags, no harm */
		n = 2;
	}
	return n;
}

static size_t
simv_reprepare(struct app *a, sm_id proc, sm_id scenario, struct sim_variant *v,
               struct err *err)
{
	const struct process *p = workbook_process(a->wb, proc);
	const struct scenario *sc = NULL;
	size_t i;

	if (!p) {
		err_set(err, STATUS_NOT_FOUND, "the process is gone (deleted or undone)");
		return 0;
	}
	for (i = 0; scenario && i < p->nscenarios; i++)
		if (p->scenarios[i]->id == scenario)
			sc = p->scenarios[i];
	return simv_prepare(v, p, sc, err);
}

static void
simv_release(struct sim_variant *v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		sim_result_done(&v[i].r);
		process_free(&v[i].proc);
		free(v[i].marks);
		v[i].marks = NULL;
		v[i].done = false;
	}
}

/* --- the run and its progress ------------------------------------------------------- */

struct progress {
	struct app *a;
	const char *what;            /* "Simulating the baseline..." */
	size_t part, parts;
	double last;                 /* fraction last drawn */
	double at;                   /* fraction reached */
	bool cancel;
	struct {
		int r;
		wint_t wc;
	} kept[TYPEAHEAD_MAX];
	size_t nkept;
};

static void
progress_draw(struct progress *pg, double done)
{
	struct app *a = pg->a;
	struct rect r;
	char line[64];
	int bw;

	r.w = COLS - 4 < 64 ? COLS - 4 : 64;
	r.h = 6;
	if (r.w < 12 || LINES < 8) {
		/* no room for a box: a line where the status goes */
		snprintf(line, sizeof line, "%3.0f %% Esc", done * 100);
		draw_blank(LINES - 1, 0, COLS, ST_STATUS);
		draw_text(LINES - 1, 0, COLS, line, ST_STATUS);
	} else {
		r.x = (COLS - r.w) / 2;
		r.y = (LINES - r.h) / 2;
		draw_box(a, r, "Simulation");
		draw_text(r.y + 1, r.x + 2, r.w - 4, pg->what, ST_NORMAL);
		bw = r.w - 4 - 7;
		draw_bar(a, r.y + 2, r.x + 2, bw, done, true, ST_CAPTURE);
		snprintf(line, sizeof line, "%3.0f %%", done * 100);
		draw_text_right(r.y + 2, r.x + 2 + bw, 7, line, ST_NORMAL);
		if (pg->parts > 1) {
			snprintf(line, sizeof line, "run %zu of %zu", pg->part + 1, pg->parts);
			draw_text(r.y + 3, r.x + 2, r.w - 4, line, ST_DIM);
		}
		draw_text(r.y + 4, r.x + 2, r.w - 4, "Esc cancels", ST_DIM);
	}
	move(LINES - 1, 0);
	wnoutrefresh(stdscr);
	doupdate();
}

/* Esc waiting? The script's next key, then what the terminal has. */
static bool
progress_poll(struct progress *pg)
{
	struct app *a = pg->a;
	int r;
	wint_t wc;

	if (a->script && a->script[a->script_pos]) {
		size_t pos = a->script_pos, arglen;
		const char *arg;
		tkey k;

		if (tk_script_next(a->script, &pos, &k, &arg, &arglen) && k == TK_ESC) {
			a->script_pos = pos;
			return true;
		}
		return false;
	}
	if (a->term_in)              /* the test terminal: no keyboard */
		return false;
	timeout(0);
	while ((r = get_wch(&wc)) != ERR) {
		if (r == OK && wc == 27)
			return true;
		if (pg->nkept < TYPEAHEAD_MAX) {
			pg->kept[pg->nkept].r = r;
			pg->kept[pg->nkept].wc = wc;
			pg->nkept++;
		}
	}
	return false;
}

static bool
on_progress(void *ctx, double frac)
{
	struct progress *pg = ctx;
	double done = ((double)pg->part + frac) / (double)(pg->parts ? pg->parts : 1);

	pg->at = done;
	if (progress_poll(pg)) {
		pg->cancel = true;
		return false;
	}
	if (done - pg->last >= 0.01 || frac >= 1) {
		pg->last = done;
		progress_draw(pg, done);
	}
	return true;
}

static double
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static enum status
simv_run(struct app *a, struct sim_variant *v, const struct sim_options *o, const char *what,
         size_t part, size_t parts, double *at, double *ms, struct err *err)
{
	struct progress pg;
	struct sim_options opt = *o;
	enum status st;
	double t0;
	size_t i;

	memset(&pg, 0, sizeof pg);
	pg.a = a;
	pg.what = what;
	pg.part = part;
	pg.parts = parts;
	pg.last = -1;
	opt.progress = on_progress;
	opt.ctx = &pg;
	sim_result_done(&v->r);
	v->done = false;
	progress_draw(&pg, (double)part / (double)(parts ? parts : 1));
	t0 = now_ms();
	st = sim_run(v->proc, &opt, &v->r, err);
	*ms += now_ms() - t0;
	*at = pg.at;
	v->done = st == STATUS_OK;
	/* what was typed meanwhile goes back, the first key on top */
	for (i = pg.nkept; i-- > 0;) {
		if (pg.kept[i].r == KEY_CODE_YES)
			ungetch((int)pg.kept[i].wc);
		else
			unget_wch((wchar_t)pg.kept[i].wc);
	}
	return st;
}

/* --- what both screens share ------------------------------------------------------------ */

bool
sims_open(struct app *a, const struct view_ops *ops, void *state, struct sim_screen *s,
          const struct process *base, const struct scenario *sc)
{
	struct err err = { 0 };

	s->proc = base->id;
	s->scen = sc ? sc->id : 0;
	sim_options_init(&s->opt);
	s->nvar = simv_prepare(s->var, base, sc, &err);
	if (!s->nvar) {
		app_error(a, "%s: %s", ops->name, err.msg);
		return false;
	}
	if (!app_push(a, ops, state)) {
		sims_release(s);
		return false;
	}
	return true;
}

bool
sims_begin(struct app *a, struct sim_screen *s)
{
	struct err err = { 0 };

	s->at = 0;
	s->ms = 0;
	if (s->stale || !s->nvar) {
		sims_release(s);
		s->nvar = simv_reprepare(a, s->proc, s->scen, s->var, &err);
		if (!s->nvar) {
			s->state = RUN_FAILED;
			snprintf(s->error, sizeof s->error, "%s", err.msg);
			return false;
		}
	}
	s->stale = false;
	return true;
}

bool
sims_run(struct app *a, struct sim_screen *s, size_t i, const char *what, size_t part,
         size_t parts)
{
	struct err err = { 0 };
	enum status st = simv_run(a, &s->var[i], &s->opt, what, part, parts, &s->at, &s->ms, &err);

	if (st == STATUS_OK)
		return true;
	if (st == STATUS_CANCELLED) {
		s->state = RUN_CANCELLED;
		return false;
	}
	s->state = RUN_FAILED;
	snprintf(s->error, sizeof s->error, "%s: %s", s->var[i].name,
	         err.msg[0] ? err.msg : status_text(st));
	return false;
}

void
sims_draw_unfinished(struct app *a, const struct sim_screen *s, int y, int x, int w)
{
	char line[256], n[32];

	if (s->state == RUN_FAILED) {
		draw_text(y++, x, w, "Cannot simulate:", ST_ERROR);
		y += draw_wrapped(y, x + 2, w - 2, 4, s->error, ST_ERROR);
	} else {
		snprintf(line, sizeof line, "Cancelled at %.0f %% (%s cases a run, seed %llu).",
		         s->at * 100, sim_count(s->opt.cases, n, sizeof n),
		         (unsigned long long)s->opt.seed);
		draw_text(y++, x, w, line, ST_NORMAL);
		draw_bar(a, y++, x, w > 40 ? 40 : w, s->at, true, ST_CAPTURE);
	}
	draw_text(y + 1, x, w, s->nvar ? "r runs it again; q closes." : "q closes.", ST_KEY);
}

const char *
sims_step_no(const struct sim_screen *s, size_t v, size_t idx, char *num, size_t size)
{
	const struct process *p = s->var[v].proc, *b = s->var[0].proc;
	const struct step *st, *bs;

	if (!p || idx >= p->nsteps) {
		snprintf(num, size, "?");
		return NULL;
	}
	st = p->steps[idx];
	if (v == 0 || !(bs = process_step(b, st->id))) {
		snprintf(num, size, v == 0 ? "%zu" : "+", idx + 1);
		return v == 0 ? NULL : "the scenario's own";
	}
	snprintf(num, size, "%zu", bs->index + 1);
	if (strcmp(st->name, bs->name)) {
		size_t n = strlen(bs->name);

		/* a merge names the step "A + B" (scenario.h); a later cut on the
		 * same step may have taken its mark */
		if ((s->var[v].marks && s->var[v].marks[bs->index] == MARK_MERGED) ||
		    (!strncmp(st->name, bs->name, n) && !strncmp(st->name + n, " + ", 3)))
			return "merged in the scenario";
		return "renamed in the scenario";
	}
	return NULL;
}

bool
sims_customer_step(const struct process *p, const struct step *st)
{
	const struct lane *l = st->lane ? process_lane(p, st->lane) : NULL;

	return (l && l->stage == STAGE_CUSTOMER) || st->emotion != EMOTION_NONE;
}

void
sims_changed(struct app *a, struct view *v)
{
	struct sim_screen *s = v->state;

	(void)a;
	s->stale = true;
}

void
sims_release(struct sim_screen *s)
{
	simv_release(s->var, s->nvar);
	s->nvar = 0;
}

size_t
sims_warnings(struct app *a, const struct sim_screen *s, char lines[][400], size_t max)
{
	size_t v, i, k, n = 0;
	struct simwarn w[SIMS_WARN_MAX];
	char key[32];

	for (v = 0; v < s->nvar; v++) {
		const struct sim_variant *var = &s->var[v];

		if (!var->done || (v > 0 && var->proc->arrival.kind == DIST_NONE))
			continue;            /* the scenario's arrivals are the baseline's */
		k = sim_check(var->proc, &var->r, w, SIMS_WARN_MAX);
		for (i = 0; i < k && i < SIMS_WARN_MAX && n < max; i++, n++) {
			if (w[i].kind == SIMWARN_NO_ARRIVALS)
				snprintf(lines[n], sizeof lines[n], "%s %s: %s sets one (12/h) in the process form",
				         a->utf8 ? "⚠" : "!", w[i].text,
				         tk_name(cmd_info(CMD_PROCESS_FORM)->keys[0], key, sizeof key));
			else
				snprintf(lines[n], sizeof lines[n], "%s %s%s", a->utf8 ? "⚠" : "!",
				         v ? "scenario: " : "", w[i].text);
		}
	}
	return n;
}

sm_id
sims_overloaded_lane(struct app *a)
{
	struct view *v = app_top(a);
	const struct sim_screen *s;
	struct simwarn w[SIMS_WARN_MAX];
	size_t i, n;

	if (!v || (v->ops != &sim_view_ops && v->ops != &walk_view_ops) || !v->state)
		return 0;
	s = v->state;
	if (!s->nvar || !s->var[0].done)
		return 0;
	n = sim_check(s->var[0].proc, &s->var[0].r, w, SIMS_WARN_MAX);
	for (i = 0; i < n && i < SIMS_WARN_MAX; i++)
		if (w[i].kind == SIMWARN_OVERLOAD)
			return w[i].lane;
	return 0;
}
