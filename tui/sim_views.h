/*
 * sim_views.h - what the simulation screen (view_sim.c) and the walk
 * (view_walk.c) share: running the engine over the baseline and a scenario
 * with a progress bar that Esc cancels (simrun.c), and times, changes, bars
 * and histograms drawn in the terminal (histogram.c). Private to tui/.
 */
#ifndef STEPMAP_TUI_SIM_VIEWS_H
#define STEPMAP_TUI_SIM_VIEWS_H

#include "model/scenario.h"
#include "model/sim.h"
#include "tui/app.h"

/* The two screens (view_sim.c, view_walk.c): each knows the other, to go
 * back to it rather than stack a new one. */
extern const struct view_ops sim_view_ops;
extern const struct view_ops walk_view_ops;

/* --- running (simrun.c) ----------------------------------------------------- */

/*
 * One simulated variant: the baseline or a scenario over it. The screens
 * keep their own copy of the process that was simulated, so the names they
 * draw stay valid whatever the workbook does meanwhile (an undo from the
 * screen).
 */
struct sim_variant {
	char name[128];              /* "baseline" or the scenario's name */
	sm_id scenario;              /* 0: the baseline */
	struct process *proc;        /* owned: the process simulated */
	size_t nstale;               /* cuts left out as stale */
	enum cut_mark *marks;        /* a scenario: each baseline step's mark
	                                (parallel to var[0].proc->steps); owned */
	struct sim_result r;
	bool done;                   /* r holds a finished run */
};

enum run_state { RUN_NONE, RUN_DONE, RUN_CANCELLED, RUN_FAILED };

/* What both screens keep, first in their state (so that v->state is also a
 * struct sim_screen *). */
struct sim_screen {
	sm_id proc, scen;            /* what to simulate again after an edit */
	struct sim_variant var[2];   /* the baseline, and the scenario if any */
	size_t nvar;
	struct sim_options opt;      /* cases, seed, trace_case */
	enum run_state state;
	double at;                   /* how far a cancelled run got (0..1) */
	double ms;                   /* how long the last run took, all variants */
	char error[1300];            /* why it failed */
	bool stale;                  /* the workbook changed since the run */
};

/*
 * Set up s (zeroed) for base and sc (NULL: the baseline alone) with the
 * default options, and push a view of ops whose state is `state` (which
 * begins with s). False when out of memory or no screen can be pushed (the
 * status line says so); state is then still the caller's to free.
 */
bool sims_open(struct app *a, const struct view_ops *ops, void *state, struct sim_screen *s,
               const struct process *base, const struct scenario *sc);
/* Before a run: fresh copies from the workbook when it changed since the
 * last run (the process and scenario found again by id); at and ms reset.
 * False when the process is gone (s->state RUN_FAILED, s->error). */
bool sims_begin(struct app *a, struct sim_screen *s);
/* Run variant i with s->opt, as part `part` of `parts` of the progress bar,
 * which says `what`. False when it did not finish: s->state is then
 * RUN_CANCELLED, or RUN_FAILED with s->error. */
bool sims_run(struct app *a, struct sim_screen *s, size_t i, const char *what, size_t part,
              size_t parts);
/* What an unfinished run left, from row y in w cells: how far a cancelled
 * run got (and its bar) or why it failed, and how to run again. */
void sims_draw_unfinished(struct app *a, const struct sim_screen *s, int y, int x, int w);
/*
 * Step idx of variant v as the map numbers it: the baseline's number of the
 * same step (found by id) into num ("35"), or "+" for a step the scenario
 * made itself (the split and join of a parallel cut). Returns what the
 * scenario did to it when that makes it another step ("merged in the
 * scenario", "the scenario's own"), or NULL.
 */
const char *sims_step_no(const struct sim_screen *s, size_t v, size_t idx, char *num,
                         size_t size);
/* A customer step: the customer is there (a customer-stage lane, or an
 * emotion recorded for it, as for every step the customer lives). */
bool sims_customer_step(const struct process *p, const struct step *st);
/* A view's changed(): the results are now older than the workbook. */
void sims_changed(struct app *a, struct view *v);
/* The warnings on the finished runs of s (model/simcheck.h), one line
 * each, the scenario's named, into lines[0..max); returns the count. A
 * missing arrival pattern ends with the key that sets one. */
#define SIMS_WARN_MAX 4
size_t sims_warnings(struct app *a, const struct sim_screen *s, char lines[][400], size_t max);
/* On the simulation screen or the walk: the baseline's most overloaded
 * lane (the one the process form then offers), or 0. */
sm_id sims_overloaded_lane(struct app *a);
/* Release the runs and copies s holds. */
void sims_release(struct sim_screen *s);

/* --- drawing (histogram.c) -------------------------------------------------- */

/* A time for the simulation screens, rounded to what reads well: "4.2s",
 * "27m24s" (to the second under an hour), "11h5m" (to the minute), "4d3h";
 * shown in unit u (duration_show). */
char *sim_time(double seconds, enum time_unit u, char *buf, size_t size);
/* The change from b to s in per cent, "−89 %" ("-89 %" without UTF-8),
 * "+3 %", "0 %"; "" when b is 0 or either is not a number. *style gets
 * ST_CHANGE_GOOD for a fall, ST_CHANGE_BAD for a rise (times: less is
 * better), ST_NORMAL otherwise. */
char *sim_change(struct app *a, double b, double s, char *buf, size_t size, int *style);
/* A whole number with thin groups: "10 000". */
char *sim_count(unsigned long long n, char *buf, size_t size);

/* A horizontal bar of frac (0..1) of w cells in eighths of a cell (block
 * characters; '#' without UTF-8); track fills the rest with a light shade
 * ('.' without UTF-8). Returns the cells the bar itself took. */
int draw_bar(struct app *a, int y, int x, int w, double frac, bool track, int style);

#define HIST_BINS_MAX 48
#define HIST_SETS 2

/*
 * Histogram bins shared by up to HIST_SETS distributions, so that they
 * compare: bin i holds the values in [lo + i*width, lo + (i+1)*width); the
 * last one also holds everything above when top_open. The width is a round
 * time (1s, 5s, 1m, 5m, 15m, 1h...), the smallest that covers from the
 * lowest value to the highest 99th percentile in at most max_bins bins.
 */
struct hist {
	double lo, width;
	size_t nbins;
	bool top_open;
	size_t nsets;
	size_t n[HIST_SETS];         /* values in each set */
	size_t count[HIST_SETS][HIST_BINS_MAX];
	int p50_bin[HIST_SETS], p90_bin[HIST_SETS];   /* -1: none */
};

/* Fill h from the sorted samples of sets[0..nsets) (a set with no values
 * counts nothing). False when no set has a value. */
bool hist_make(struct hist *h, const struct sim_stat *const *sets, size_t nsets,
               size_t max_bins);
/* The bin a value falls in. */
size_t hist_bin(const struct hist *h, double v);

#endif
