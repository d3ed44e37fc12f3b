/*
 * bench_share.c - one workbook shared live (issue 15): the delay from an
 * edit in one session to the screen of the others, and what an idle
 * session costs.
 *
 *   build/bench/bench_share WORKBOOK SESSIONS [EDITS [IDLE_S]]
 *                                            (defaults: 40 edits, 5 s idle)
 *
 * SESSIONS viewer processes each open WORKBOOK, load it and start the
 * workbench on the test terminal (tui_test_open: drawn by ncurses to
 * /dev/null), then wait as the workbench's main loop does: 100 ms for a key
 * that never comes (poll() on a pipe), then share_poll, figures and a
 * redraw (tui_test_idle). First they sit idle for IDLE_S seconds with
 * nobody editing: the CPU each used then (getrusage) over the wall time is
 * an idle session's share of a core. Then this process, a writer of its
 * own, makes EDITS edits 150 to 350 ms apart (a step renamed, or a step
 * inserted, at random places): each viewer notes when the generation its
 * model reflects reaches each edit's, after the screen was drawn, on the
 * realtime clock all processes share. The delay is that time less the
 * edit's commit time. Prints one line:
 *
 *   sessions=N steps=S edits=E samples=K p50_ms=X p99_ms=Y max_ms=Z
 *   idle_cpu_pct=C (the highest of the sessions)
 *
 * Target: p99 under 250 ms; an idle session under 1 % of a core.
 */
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "model/model.h"
#include "store/store.h"
#include "tui/tui.h"

#define POLL_MS 100
#define GENS_MAX 4096

static double
real_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static double
cpu_ms(void)
{
	struct rusage ru;

	getrusage(RUSAGE_SELF, &ru);
	return (double)(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) * 1e3 +
	       (double)(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e3;
}

static void
die(const char *what, const struct err *err)
{
	fprintf(stderr, "bench_share: %s: %s\n", what, err && err->msg[0] ? err->msg : "failed");
	exit(1);
}

static void
say(int fd, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void
say(int fd, const char *fmt, ...)
{
	char line[128];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(line, sizeof line, fmt, ap);
	va_end(ap);
	if (n > 0 && write(fd, line, (size_t)n) != n)
		exit(1);
}

/* A viewer: idle, then note when each edit reaches its screen; ends when
 * stop reads end of file. */
static void
viewer(const char *path, double idle_s, int stop, int out)
{
	struct store *s = NULL;
	struct workbook *w = NULL;
	struct tui_options opt;
	struct tui *t;
	struct err err = { 0 };
	struct pollfd pfd = { .fd = stop, .events = POLLIN };
	int64_t gen;
	double t0, c0;

	memset(&opt, 0, sizeof opt);
	if (store_open(path, STORE_OPEN, &s, &err) != STATUS_OK || store_load(s, &w, &err) != STATUS_OK)
		die(path, &err);
	if (!(t = tui_test_open(s, w, &opt, 30, 100)))
		die("tui_test_open", NULL);
	tui_test_idle(t);
	t0 = real_ms();
	c0 = cpu_ms();
	while (real_ms() - t0 < idle_s * 1e3) {
		poll(&pfd, 1, POLL_MS);
		tui_test_idle(t);
	}
	say(out, "idle %.3f\n", 100 * (cpu_ms() - c0) / (real_ms() - t0));
	gen = store_generation(s);
	for (;;) {
		int r = poll(&pfd, 1, POLL_MS);
		int64_t g;

		if (r > 0)
			break;                   /* the writer is done */
		tui_test_idle(t);
		if ((g = store_generation(s)) != gen) {
			double now = real_ms();

			while (gen < g)
				say(out, "seen %lld %.3f\n", (long long)++gen, now);
		}
	}
	tui_test_close(&t);
	store_close(&s);
	workbook_free(&w);
	exit(0);
}

static int
dcmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static uint64_t rng = 0x2545f4914f6cdd1du;

static unsigned
rnd(unsigned n)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return (unsigned)(rng % n);
}

/* One edit by the writer: a step renamed or one inserted. */
static void
edit_one(struct store *s, struct workbook *w, int i)
{
	struct process *p = w->procs[0];
	struct edit *e = NULL;
	struct err err = { 0 };
	char name[64];
	struct step t;

	snprintf(name, sizeof name, "shared edit %d", i);
	if (i % 2) {
		t = *p->steps[rnd((unsigned)p->nsteps)];
		t.name = name;
		if (edit_step_set(w, &t, &e) != STATUS_OK)
			die("edit_step_set", NULL);
	} else {
		step_init(&t);
		free(t.name);
		t.name = name;
		if (edit_step_insert(w, p->id, rnd((unsigned)p->nsteps + 1), &t, &e) != STATUS_OK)
			die("edit_step_insert", NULL);
	}
	if (store_do(s, w, e, &err) != STATUS_OK)
		die("store_do", &err);
}

int
main(int argc, char **argv)
{
	static double commit[GENS_MAX], delay[GENS_MAX * 16];
	const char *path;
	int nsess, edits, i, stop[2], res[2], idle_seen = 0;
	double idle_s, idle_max = 0;
	struct store *s = NULL;
	struct workbook *w = NULL;
	struct err err = { 0 };
	size_t nd = 0, steps;
	pid_t *kids;
	FILE *in;
	char line[128];
	int64_t g0;

	if (argc < 3) {
		fprintf(stderr, "usage: bench_share WORKBOOK SESSIONS [EDITS [IDLE_S]]\n");
		return 2;
	}
	path = argv[1];
	nsess = atoi(argv[2]);
	edits = argc > 3 ? atoi(argv[3]) : 40;
	idle_s = argc > 4 ? atof(argv[4]) : 5;
	if (nsess < 1 || nsess > 16 || edits < 1 || edits >= GENS_MAX)
		die("SESSIONS must be 1..16, EDITS 1..4095", NULL);
	if (pipe(stop) != 0 || pipe(res) != 0 || !(kids = calloc((size_t)nsess, sizeof *kids)))
		die("pipe", NULL);
	for (i = 0; i < nsess; i++) {
		if ((kids[i] = fork()) < 0)
			die("fork", NULL);
		if (kids[i] == 0) {
			close(stop[1]);
			close(res[0]);
			viewer(path, idle_s, stop[0], res[1]);
		}
	}
	close(stop[0]);
	close(res[1]);
	if (!(in = fdopen(res[0], "r")))
		die("fdopen", NULL);
	/* the viewers' idle phase: nobody edits */
	while (idle_seen < nsess && fgets(line, sizeof line, in)) {
		double pct;

		if (sscanf(line, "idle %lf", &pct) == 1) {
			idle_seen++;
			if (pct > idle_max)
				idle_max = pct;
		}
	}
	if (idle_seen < nsess)
		die("a viewer ended early", NULL);
	if (store_open(path, STORE_OPEN, &s, &err) != STATUS_OK || store_load(s, &w, &err) != STATUS_OK)
		die(path, &err);
	steps = w->procs[0]->nsteps;
	g0 = store_generation(s);
	for (i = 0; i < edits; i++) {
		struct timespec ts = { 0, (long)(150 + rnd(200)) * 1000000L };

		nanosleep(&ts, NULL);
		edit_one(s, w, i);
		commit[i] = real_ms();
	}
	sleep(1);
	close(stop[1]);
	while (fgets(line, sizeof line, in)) {
		long long g;
		double at;

		if (sscanf(line, "seen %lld %lf", &g, &at) == 2 && g > g0 && g - g0 <= edits &&
		    nd < sizeof delay / sizeof delay[0])
			delay[nd++] = at - commit[g - g0 - 1];
	}
	for (i = 0; i < nsess; i++)
		waitpid(kids[i], NULL, 0);
	if (nd == 0)
		die("no edit reached a viewer", NULL);
	qsort(delay, nd, sizeof delay[0], dcmp);
	printf("sessions=%d steps=%zu edits=%d samples=%zu p50_ms=%.1f p99_ms=%.1f max_ms=%.1f "
	       "idle_cpu_pct=%.2f\n", nsess, steps, edits, nd, delay[nd / 2],
	       delay[(size_t)((double)(nd - 1) * 0.99)], delay[nd - 1], idle_max);
	store_close(&s);
	workbook_free(&w);
	free(kids);
	fclose(in);
	return nd == (size_t)nsess * (size_t)edits ? 0 : 1;
}
