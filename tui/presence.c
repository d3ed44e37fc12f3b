/*
 * presence.c - who is here: the workbench's side of store/presence.h.
 *
 * A session with a name (tui_options.who) on a workbook file joins the
 * workbook's presence when it starts and leaves when it quits. The main loop
 * (run.c) wakes at least every TICK_MS while it waits for a key and calls
 * who_tick(), also after every key: the session beats when its place (the
 * process, scenario, screen, cursor's step) changed, or BEAT_S after its
 * last beat, and reads who else is here every LIST_S. The title says
 * "N here" when others are; the map and the lane view mark the step each
 * other person's cursor is on ("◂ana", who_draw_marks).
 *
 * `:who` lists the sessions (Enter follows one); `:follow NAME` makes this
 * screen show what that person's screen shows: the same process, scenario,
 * step and screen (the map, the lane view or presentation mode; on another
 * screen, the map at their step), read every FOLLOW_MS, until a key is
 * pressed (the key does nothing else) or `:follow` alone. A leader who
 * leaves ends the following.
 *
 * Nothing here is needed for the work: when the sidecar cannot be opened
 * the workbench runs without presence, and :who says why.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "store/presence.h"
#include "tui/app.h"

#define TICK_MS 250                  /* the loop's longest wait while present */
#define FOLLOW_MS 40                 /* ... while following someone */
#define BEAT_S 0.5                   /* a beat at least this often */
#define LIST_S 0.25                  /* who is here, read this often */

struct who {
	struct presence *pres;       /* NULL: no presence (why says why) */
	char why[ERR_MSG_MAX];
	struct presence_where sent;  /* the place of the last beat */
	double beat_at, list_at;     /* monotonic seconds of the last beat, list */
	struct presence_row *rows;   /* the last list, self included */
	size_t nrows;
	long long follow;            /* the session followed (its id), 0: none */
	char follow_name[PRESENCE_NAME_MAX + 1];
	char follow_said[128];       /* the status last said while following */
	long long *pick;             /* :who's list, by line: the session ids */
	size_t npick;
};

static double
mono_now(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

/* The screen a session is on: its top view that is not drawn over another. */
static const struct view *
base_screen(struct app *a)
{
	size_t i = a->nviews;

	while (i > 1 && a->views[i - 1].ops->overlay)
		i--;
	return i ? &a->views[i - 1] : NULL;
}

static void
where_now(struct app *a, struct presence_where *w)
{
	const struct view *v = base_screen(a);
	const struct step *s = app_step(a);

	memset(w, 0, sizeof *w);
	w->proc = a->proc;
	w->scen = a->scen;
	w->step = s ? s->id : 0;
	snprintf(w->screen, sizeof w->screen, "%s", v ? v->ops->name : "");
}

static bool
where_same(const struct presence_where *x, const struct presence_where *y)
{
	return x->proc == y->proc && x->scen == y->scen && x->step == y->step &&
	       !strcmp(x->screen, y->screen);
}

void
who_start(struct app *a)
{
	struct who *w = calloc(1, sizeof *w);
	const char *path = a->store ? store_path(a->store) : NULL;
	struct err err = { 0 };

	a->who = w;
	if (!w)
		return;
	if (!a->opt.who || !a->opt.who[0]) {
		snprintf(w->why, sizeof w->why, "this session has no name");
		return;
	}
	if (a->opt.demo || !path || !strcmp(path, ":memory:")) {
		snprintf(w->why, sizeof w->why, "the demo in memory is nobody else's");
		return;
	}
	where_now(a, &w->sent);
	if (presence_open(path, a->opt.who, &w->sent, &w->pres, &err) != STATUS_OK) {
		snprintf(w->why, sizeof w->why, "%s", err.msg);
		return;
	}
	w->beat_at = w->list_at = mono_now();
}

void
who_stop(struct app *a)
{
	struct who *w = a->who;

	if (!w)
		return;
	presence_leave(&w->pres);
	free(w->rows);
	free(w->pick);
	free(w);
	a->who = NULL;
}

int
who_wait(struct app *a, int ms)
{
	struct who *w = a->who;
	int tick;

	if (!w || !w->pres)
		return ms;
	tick = w->follow ? FOLLOW_MS : TICK_MS;
	return ms < 0 || ms > tick ? tick : ms;
}

static const struct presence_row *
row_of(const struct who *w, long long id)
{
	size_t i;

	for (i = 0; i < w->nrows; i++)
		if (w->rows[i].id == id)
			return &w->rows[i];
	return NULL;
}

/* Read who is here; true when what the screen shows of it changed (who,
 * or where another person is). */
static bool
list_now(struct app *a)
{
	struct who *w = a->who;
	struct presence_row *rows = NULL;
	struct err err = { 0 };
	size_t n = 0, i;
	bool changed;

	if (presence_list(w->pres, &rows, &n, &err) != STATUS_OK)
		return false;   /* busy or gone for a moment: the last list stands */
	changed = n != w->nrows;
	for (i = 0; !changed && i < n; i++)
		changed = rows[i].id != w->rows[i].id ||
		          (!rows[i].self && !where_same(&rows[i].at, &w->rows[i].at));
	free(w->rows);
	w->rows = rows;
	w->nrows = n;
	return changed;
}

static void
follow_say(struct app *a, const char *screen)
{
	struct who *w = a->who;
	char text[sizeof w->follow_said];

	snprintf(text, sizeof text, "following %s%s%s%s %s any key stops", w->follow_name,
	         strcmp(screen, "map") ? " (" : "", strcmp(screen, "map") ? screen : "",
	         strcmp(screen, "map") ? ")" : "", a->utf8 ? "·" : "-");
	if (strcmp(text, w->follow_said) || strcmp(a->status, text)) {
		snprintf(w->follow_said, sizeof w->follow_said, "%s", text);
		app_say(a, "%s", text);
	}
}

/* The view a screen name asks for, when this one can show it too. */
static const struct view_ops *
screen_ops(const char *name)
{
	static const struct view_ops *const shown[] = { &map_view_ops, &lanes_view_ops,
	                                                &present_view_ops };
	size_t i;

	for (i = 0; i < sizeof shown / sizeof shown[0]; i++)
		if (!strcmp(shown[i]->name, name))
			return shown[i];
	return NULL;
}

/* Make this screen show what the leader's does. FL_REDRAW when it moved. */
static int
follow_apply(struct app *a, const struct presence_row *l)
{
	/* a screen this one does not mirror: the map at their step */
	const struct view_ops *want = screen_ops(l->at.screen) ? screen_ops(l->at.screen)
	                                                       : &map_view_ops;
	struct process *p;
	const struct step *s;
	struct presence_where before, after;
	char said[sizeof a->status];
	bool presenting;

	where_now(a, &before);
	snprintf(said, sizeof said, "%s", a->status);
	if (l->at.proc && l->at.proc != a->proc && workbook_process(a->wb, l->at.proc))
		app_open_process(a, l->at.proc);
	p = app_process(a);
	if (p && l->at.proc == a->proc && l->at.scen != a->scen &&
	    (!l->at.scen || process_scenario(p, l->at.scen)))
		app_show_scenario(a, l->at.scen);
	/* the screen: the map or the lane view, presentation mode over it */
	presenting = a->nviews == 2 && a->views[1].ops == &present_view_ops;
	if (want == &present_view_ops ? !presenting : a->nviews != 1) {
		while (a->nviews > 1)
			app_pop(a);
		if (want == &present_view_ops)
			app_push(a, &present_view_ops, NULL);
	}
	if (want != &present_view_ops && a->nviews == 1 && a->views[0].ops != want)
		app_replace(a, &a->views[0], want);
	s = p && l->at.step ? process_step(p, l->at.step) : NULL;
	if (s && (a->cur_id != s->id || a->cur_flow))
		app_set_cursor(a, s->index);
	follow_say(a, l->at.screen);
	where_now(a, &after);
	return where_same(&before, &after) && !strcmp(said, a->status) ? FL_NONE : FL_REDRAW;
}

static void
follow_end(struct app *a, const char *fmt, const char *name)
{
	struct who *w = a->who;

	w->follow = 0;
	w->follow_said[0] = '\0';
	app_say(a, fmt, name);
}

int
who_tick(struct app *a, bool look)
{
	struct who *w = a->who;
	struct presence_where here;
	struct err err = { 0 };
	double now;
	int fl = FL_NONE;

	if (!w || !w->pres)
		return FL_NONE;
	now = mono_now();
	/* (a wait of TICK_MS can end a hair early: a little slack, or every
	 * other wake-up would skip) */
	if (look || w->follow || now - w->list_at >= LIST_S - 0.03) {
		w->list_at = now;
		if (list_now(a))
			fl |= FL_REDRAW;
	}
	if (w->follow) {
		const struct presence_row *l = row_of(w, w->follow);

		if (!l) {
			follow_end(a, "%s left: not following any more", w->follow_name);
			fl |= FL_REDRAW;
		} else
			fl |= follow_apply(a, l);
	}
	where_now(a, &here);
	if (!where_same(&here, &w->sent) || now - w->beat_at >= BEAT_S - 0.03) {
		if (presence_beat(w->pres, &here, &err) == STATUS_OK) {
			w->sent = here;
			w->beat_at = now;
		}
	}
	return fl;
}

bool
who_key(struct app *a)
{
	struct who *w = a->who;

	if (!w || !w->follow)
		return false;
	follow_end(a, "stopped following %s", w->follow_name);
	return true;
}

size_t
who_count(const struct app *a)
{
	return a->who && a->who->pres ? a->who->nrows : 0;
}

const char *
who_following(const struct app *a)
{
	return a->who && a->who->follow ? a->who->follow_name : NULL;
}

/* The marks of the others on step: "◂ana,bo" into buf; its width (0: none). */
static int
marks_text(struct app *a, sm_id step, char *buf, size_t size)
{
	struct who *w = a->who;
	size_t i, len = 0;

	buf[0] = '\0';
	if (!w || !w->pres || !step)
		return 0;
	for (i = 0; i < w->nrows && len + 2 < size; i++) {
		const struct presence_row *r = &w->rows[i];

		if (r->self || r->id == w->follow || r->at.proc != a->proc || r->at.step != step)
			continue;
		len += (size_t)snprintf(buf + len, size - len, "%s%s", len ? "," : a->utf8 ? "◂" : "<",
		                        r->name);
		if (len >= size)
			len = size - 1;
	}
	return len ? text_width(buf) : 0;
}

int
who_marks_width(struct app *a, sm_id step)
{
	char text[128];

	return marks_text(a, step, text, sizeof text);
}

int
who_draw_marks(struct app *a, sm_id step, int y, int xmin, int xend, int style)
{
	char text[128];
	int tw = marks_text(a, step, text, sizeof text), x = xend - tw;

	if (!tw)
		return 0;
	if (x < xmin)
		x = xmin;
	if (x >= xend)
		return 0;
	return draw_text(y, x, xend - x, text, style);
}

/* --- :who and :follow -------------------------------------------------------------------- */

/* Where a session is, in words: "map, step 4 Triage". */
static void
where_words(struct app *a, const struct presence_row *r, char *buf, size_t size)
{
	const struct process *p = workbook_process(a->wb, r->at.proc);
	const struct scenario *sc = p && r->at.scen ? process_scenario(p, r->at.scen) : NULL;
	const struct step *s = p && r->at.step ? process_step(p, r->at.step) : NULL;
	char step[200] = "";

	if (s)
		snprintf(step, sizeof step, ", step %zu %s", s->index + 1, s->name);
	snprintf(buf, size, "%s%s%s%s%s%s", r->at.screen[0] ? r->at.screen : "starting",
	         p && p->id != a->proc ? ", process " : "", p && p->id != a->proc ? p->name : "",
	         sc ? ", scenario " : "", sc ? sc->name : "", step);
}

static void
follow_start(struct app *a, const struct presence_row *r)
{
	struct who *w = a->who;

	w->follow = r->id;
	snprintf(w->follow_name, sizeof w->follow_name, "%s", r->name);
	w->follow_said[0] = '\0';
	follow_apply(a, r);
}

static void
who_pick(struct app *a, size_t i, void *ctx)
{
	struct who *w = ctx;
	const struct presence_row *r;

	if (i >= w->npick || !(r = row_of(w, w->pick[i]))) {
		app_error(a, "follow: that session has left");
		return;
	}
	if (r->self) {
		app_say(a, "that is you (%s)", r->name);
		return;
	}
	follow_start(a, r);
}

static int
who_list(struct app *a)
{
	struct who *w = a->who;
	const char **items;
	char (*text)[400], title[64];
	size_t i, me = 0;

	list_now(a);
	free(w->pick);
	w->npick = 0;
	w->pick = calloc(w->nrows ? w->nrows : 1, sizeof *w->pick);
	items = calloc(w->nrows ? w->nrows : 1, sizeof *items);
	text = calloc(w->nrows ? w->nrows : 1, sizeof *text);
	if (!w->pick || !items || !text) {
		free(items);
		free(text);
		app_error(a, "out of memory");
		return FL_REDRAW;
	}
	for (i = 0; i < w->nrows; i++) {
		const struct presence_row *r = &w->rows[i];
		char at[300];

		where_words(a, r, at, sizeof at);
		snprintf(text[i], sizeof text[i], "%-12s %s%s", r->name, at, r->self ? "  (you)" : "");
		items[i] = text[i];
		w->pick[i] = r->id;
		if (r->self)
			me = i;
	}
	w->npick = w->nrows;
	snprintf(title, sizeof title, "Who is here: %zu (Enter follows)", w->nrows);
	choose_open(a, title, items, w->nrows, me, who_pick, w);
	free(items);
	free(text);
	return FL_REDRAW;
}

/* The session named (or numbered, as :who lists them) text, not this one. */
static const struct presence_row *
who_find(struct who *w, const char *text)
{
	const struct presence_row *found = NULL;
	char *end;
	long n = strtol(text, &end, 10);
	size_t i;

	if (*text && !*end && n >= 1 && (size_t)n <= w->nrows)
		return &w->rows[n - 1];
	for (i = 0; i < w->nrows; i++)
		if (!strcmp(w->rows[i].name, text) &&
		    (!found || found->self || (!w->rows[i].self && w->rows[i].beat > found->beat)))
			found = &w->rows[i];
	return found;
}

int
who_exec(struct app *a, enum cmd c, char **words, size_t n)
{
	struct who *w = a->who;
	const struct presence_row *r;
	char name[256];

	if (!w || !w->pres) {
		app_error(a, "%s: nobody else can be seen here: %s", cmd_info(c)->name,
		          w ? w->why : "out of memory");
		return FL_REDRAW;
	}
	if (c == CMD_WHO)
		return who_list(a);
	if (n == 0) {
		if (!w->follow) {
			app_say(a, "not following anyone (:follow NAME; :who lists who is here)");
			return FL_REDRAW;
		}
		follow_end(a, "stopped following %s", w->follow_name);
		return FL_REDRAW;
	}
	app_join_words(words, 0, n, name, sizeof name);
	list_now(a);
	if (!(r = who_find(w, name))) {
		app_error(a, "follow: nobody named '%s' is here (:who lists who is)", name);
		return FL_REDRAW;
	}
	if (r->self) {
		app_error(a, "follow: '%s' is this session", name);
		return FL_REDRAW;
	}
	follow_start(a, r);
	return FL_REDRAW;
}
