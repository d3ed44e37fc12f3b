/*
 * exec.c - what the workbench does with a key once it has it: the top view's
 * handler first, then the app's own commands (help, quit, undo, search, the
 * views that open from anywhere), and the `:` command line (process, lane,
 * measure, import, export, scenario, cut...).
 *
 * Handlers change state and return FL_* flags; nothing here draws.
 */
#define _XOPEN_SOURCE_EXTENDED 1
#include <curses.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tui/app.h"
#include "tui/sim_views.h"

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

static bool
parse_int(const char *s, long *v)
{
	char *end;

	errno = 0;
	*v = strtol(s, &end, 10);
	return *s && !*end && errno == 0;
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
			app_open_process(a, store_new_id(a->store, id));
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

static enum status
write_text(FILE *f, void *ctx, struct err *err)
{
	(void)err;
	return fputs(ctx, f) == EOF ? STATUS_IO : STATUS_OK;
}

int
app_save_display(struct app *a, const char *path)
{
	char *text = screen_text();
	FILE *f;

	if (!text) {
		app_error(a, "out of memory");
		return FL_REDRAW;
	}
	if (a->opt.write_file) {   /* the one way files are written (cli_write_atomic) */
		struct err err = { 0 };

		if (a->opt.write_file(path, write_text, text, &err) != STATUS_OK) {
			app_error(a, "%s", err.msg[0] ? err.msg : "cannot write");
			free(text);
			return FL_REDRAW;
		}
	} else if (!(f = fopen(path, "w")) || fputs(text, f) == EOF || fclose(f) != 0) {
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
			char typed[1024], path[2048];

			app_join_words(w, 1, n, typed, sizeof typed);
			app_expand_path(typed, path, sizeof path);
			if (c == CMD_IMPORT)
				return app_import(a, path);
			if (c == CMD_EXPORT)
				return app_export(a, path);
			return app_save_display(a, path);
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
	case CMD_WHO:
	case CMD_FOLLOW:
		return who_exec(a, c, w + 1, n - 1);
	case CMD_GOTO:
		if (n < 2)
			break;
		return app_exec(a, w[1]);
	case CMD_VARIANTS:
		if (n > 1 && strcmp(w[1], "off"))
			break;
		if (n > 1) {
			app_variant_clear(a);
			app_say(a, "no variant shown");
			return FL_REDRAW;
		}
		return dispatch_cmd(a, c, 0);
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
	       app_top(a)->ops != &lanes_view_ops && app_top(a)->ops != &present_view_ops)
		app_pop(a);
	return app_push(a, ops, NULL);
}

int
app_command(struct app *a, enum cmd c)
{
	const char *label = NULL;
	struct err err = { 0 };
	enum status st;
	int64_t gen;

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
		if (app_readonly(a))
			return FL_REDRAW;
		gen = store_generation(a->store);
		st = c == CMD_UNDO ? store_undo(a->store, a->wb, &label, &err)
		                   : store_redo(a->store, a->wb, &label, &err);
		if (st != STATUS_OK && store_generation(a->store) != gen)
			app_changed(a);   /* others' changes came in with the refusal */
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
	case CMD_PRESENT:
		if (app_top(a)->ops == &present_view_ops) {
			app_pop(a);
			app_say(a, "presentation mode ended");
		} else if (view_open(a, &present_view_ops))
			app_say(a, "presentation mode: j/k step, a add steps, q back to the map");
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
	case CMD_PROCESS_FORM:
		if (!app_process(a)) {
			app_error(a, "no process is open (:process new NAME)");
			return FL_REDRAW;
		}
		/* from the simulation screen, the lane it says is overloaded */
		process_form_open(a, sims_overloaded_lane(a));
		return FL_REDRAW;
	case CMD_VARIANTS:
		if (!app_process(a) || !app_process(a)->log) {
			app_error(a, "variants: this process was not made from an event log "
			          "(:import LOG.xes makes one)");
			return FL_REDRAW;
		}
		view_open(a, &variants_view_ops);
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
int
app_dispatch(struct app *a, tkey k)
{
	struct view *v = app_top(a);
	bool typing;
	enum cmd c;
	char name[32];

	if (a->prompt.active)
		return app_prompt_handle(a, cmd_for_key(k, true), k);
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
