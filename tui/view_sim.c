/*
 * view_sim.c - placeholder until the sim screen lands (issue 5): the key is
 * bound and says so.
 */
#include "tui/app.h"

bool
sim_view_open(struct app *a, const struct process *base, const struct scenario *sc)
{
	(void)base;
	(void)sc;
	app_error(a, "sim: this screen is not built yet");
	return false;
}
