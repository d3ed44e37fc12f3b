/*
 * capture.c - quick capture: type a step's name, Enter, and the next line is
 * ready, in the same lane.
 *
 * The map view and presentation mode each keep a struct capture and hand it
 * their keys while it is on. Enter adds the step (one store_do each, so a
 * step whose Enter was pressed is in the file) and opens the next line after
 * it; Tab and Shift-Tab change the lane; Esc, or Enter on an empty line, ends
 * it (Esc after a name typed adds that step first). With a scenario shown the
 * line stands among the rows the map lists (app_listed) and the step goes
 * into the baseline after the baseline step before it.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model/edit_flow.h"
#include "tui/app.h"

void
capture_start(struct app *a, struct capture *m, bool after)
{
	struct process *p = app_process(a);
	struct step *s = app_step(a);

	m->on = true;
	m->count = 0;
	/* a row of what the map lists (the scenario's order when one is
	 * shown); capture_commit() finds its place in the baseline */
	m->at = !s ? app_listed(a)->nsteps : app_listed_cursor(a, app_listed(a)) + (after ? 1 : 0);
	m->lane = s ? s->lane : p->nlanes ? p->lanes[0]->id : 0;
	line_set(&m->line, "");
	app_say(a, "type a step%s, Enter for the next, Tab to change lane, Esc to end",
	        app_scenario(a) ? " (into the baseline, which every scenario sees)" : "");
}

static int
capture_commit(struct app *a, struct capture *m)
{
	struct process *p = app_process(a);
	struct step tmpl;
	struct edit *e = NULL;
	struct err err = { 0 };
	enum status st;
	sm_id id;
	int fl;
	char wired[256];
	const char *name = m->line.buf ? m->line.buf : "";

	while (*name == ' ')
		name++;
	if (!*name) {
		m->on = false;
		app_say(a, "capture ended: %zu step%s added", m->count, m->count == 1 ? "" : "s");
		return FL_REDRAW;
	}
	step_init(&tmpl);
	free(tmpl.name);
	tmpl.name = m->line.buf;
	tmpl.lane = m->lane;
	/* into the flows when they are explicit (read from BPMN): between the
	 * step before the line and its successor */
	st = edit_step_insert_wired(a->wb, p->id, app_listed_insert_at(a, app_listed(a), m->at),
	                            &tmpl, &e, &err);
	tmpl.name = NULL;
	step_done(&tmpl);
	if (st != STATUS_OK && st != STATUS_NOMEM) {
		edit_free(&e);
		app_error(a, "add step: %s", err.msg[0] ? err.msg : status_text(st));
		return FL_REDRAW;
	}
	id = e ? app_added(e, EDIT_STEP_ADD) : 0;
	snprintf(wired, sizeof wired, "%s", p->flows_explicit && e && e->label ? e->label : "");
	fl = app_do(a, st, &e, "add step");
	if (fl & FL_CHANGED) {
		m->count++;
		m->at++;
		a->cur_id = store_new_id(a->store, id);
		line_set(&m->line, "");
		if (*wired)
			app_say(a, "%s: Enter adds the next, Tab changes lane, Esc ends", wired);
		else
			app_say(a, "%zu step%s added: Enter adds the next, Tab changes lane, Esc ends",
			        m->count, m->count == 1 ? "" : "s");
	}
	return fl;
}

int
capture_handle(struct app *a, struct capture *m, enum cmd c, tkey k)
{
	struct process *p = app_process(a);

	switch (c) {
	case CMD_ACCEPT:
		return capture_commit(a, m);
	case CMD_CANCEL: {
		/* Esc keeps a name typed (it ends capture after adding it); an
		 * empty line just ends capture */
		const char *t = m->line.buf ? m->line.buf : "";
		int fl = FL_REDRAW;

		while (*t == ' ')
			t++;
		if (*t && !((fl = capture_commit(a, m)) & FL_CHANGED))
			return fl;
		m->on = false;
		app_say(a, "capture ended: %zu step%s added%s", m->count, m->count == 1 ? "" : "s",
		        m->count && app_scenario(a) ? " to the baseline (every scenario sees it)" : "");
		return fl;
	}
	case CMD_NEXT:
	case CMD_PREV:
		if (k == TK_DOWN || k == TK_UP)
			return FL_NONE;
		if (!p->nlanes) {
			app_error(a, "no lanes yet: :lane add NAME STAGE adds one");
			return FL_REDRAW;
		}
		m->lane = app_lane_step(p, m->lane, c == CMD_NEXT ? 1 : -1);
		return FL_REDRAW;
	default:
		return line_edit(&m->line, c, k) ? FL_REDRAW : FL_NONE;
	}
}

void
capture_changed(struct app *a, struct capture *m)
{
	struct process *p = app_process(a);

	if (!p) {
		m->on = false;
		return;
	}
	if (m->at > p->nsteps)
		m->at = p->nsteps;
	if (m->lane && !process_lane(p, m->lane))
		m->lane = 0;
}

void
capture_free(struct capture *m)
{
	line_free(&m->line);
}
