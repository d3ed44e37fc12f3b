/*
 * share.c - the workbench's side of sharing one workbook between sessions
 * (issue 15): taking in the others' changes while idle, and who last
 * changed the step under the cursor.
 *
 * The main loop (run.c) calls share_poll() every SHARE_POLL_MS while no key
 * comes, and before it hands a key to the views, so a key acts on the
 * workbook as it is. Catching up costs one PRAGMA when nothing changed;
 * otherwise the store applies the others' change rows to our model
 * (store_catch_up) and everything derived from it (figures, the scenario
 * shown, the views) follows through app_changed(), as after an edit of our
 * own. The cursor stays on its step while the step is there.
 */
#include <stdio.h>
#include <string.h>

#include "tui/app.h"

int
share_poll(struct app *a)
{
	struct err err = { 0 };
	size_t n = 0;

	if (store_catch_up(a->store, a->wb, &n, &err) != STATUS_OK) {
		/* said once: the next poll tries again */
		if (strcmp(a->status, err.msg) != 0)
			app_error(a, "%s", err.msg);
		return FL_REDRAW;
	}
	if (!n)
		return FL_NONE;
	if (store_reloaded(a->store))
		app_say(a, "the workbook was replaced by another session: loaded again");
	return FL_CHANGED | FL_REDRAW;
}

const char *
share_last_by(struct app *a)
{
	const struct step *s = app_step(a);

	if (!s)
		return NULL;
	if (s->id != a->by_step || a->gen != a->by_gen) {
		a->by_step = s->id;
		a->by_gen = a->gen;
		if (!store_last_author(a->store, s->id, a->by, sizeof a->by) ||
		    !strcmp(a->by, store_author(a->store)))
			a->by[0] = 0;
	}
	return a->by[0] ? a->by : NULL;
}
