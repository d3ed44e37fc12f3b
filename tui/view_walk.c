/*
 * view_walk.c - placeholder until the walk screen lands (issue 5): the key is
 * bound and says so.
 */
#include "tui/app.h"

bool
walk_view_open(struct app *a, const struct process *base, const struct scenario *sc)
{
	(void)base;
	(void)sc;
	app_error(a, "walk: this screen is not built yet");
	return false;
}
