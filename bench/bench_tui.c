/*
 * bench_tui.c - the workbench's cost per keystroke follows the screen, not
 * the process.
 *
 *   build/bench/bench_tui [STEPS] [ROWS COLS]      (default 100000, 30 x 100)
 *
 * Two workbooks on disk: a generated one of STEPS steps (12 lanes in runs of
 * 1 to 6 steps, a decision with two branches every 50 steps, two measures)
 * and the bundled 111-step demo. For each: the open time (store_open +
 * store_load + the workbench's first screen, figures included), then the
 * time from a key to the updated screen (handled, edits written to the file
 * through the store, drawn and flushed by ncurses to /dev/null) for:
 *   scroll   j and k, 25 of each in turn, 300 keys from the middle
 *   page     PgDn and PgUp in turn, 100 keys
 *   jump     G and g alternately (end and start of the process)
 *   lanes    j and k in the lane view, as scroll
 *   edit     p (pain point on/off: an edit, one transaction)
 *   move     J (a step moved down: an edit)
 *   undo     u (undo of the edit before)
 *   capture  a NAME Enter: the step's Enter (an insert) with the line open
 * as p50 and p99 in milliseconds, beside each other with the ratio
 * large/demo. The figures of the large process are computed after the keys
 * stop (app.c); that idle computation is reported on its own line.
 *
 * Then the same again with a scenario shown (20 cuts: removals and
 * automations spread over the process), where the map draws each step's
 * mark and the panel both sets of figures, plus:
 *   cut      x (a step removed in the scenario: a cut, one transaction)
 *            and u (its undo) in turn
 * and J is a move cut, not a move of the baseline: it needs the scenario's
 * own order. On the large process the first J after another edit applies
 * the scenario for it (about an apply's time, 15-20 ms at 100 000 steps:
 * one sample of the hundred); the next ones read the order from that
 * application and where the last J put the step (tui/scen.c). The idle line
 * is then the baseline's figures, the scenario applied and its figures.
 *
 * Target: p99 under 16 ms (one frame) for scroll, edit and undo at 100 000
 * steps, with and without a scenario shown.
 *
 * BENCH_SLOW_FSYNC=1 puts a slow disk under every workbook: a SQLite VFS
 * that wraps the default one and sleeps in each xSync (after the real one)
 * 3 to 5 ms, and 12 to 20 ms in one sync of 40 (so the p99 of a sync is
 * over 10 ms), as the issue measured on a slow virtual disk. The syncs it
 * slowed, and their p50 and p99, are printed at the end. Run it with
 * STEPMAP_SYNC=full for what synchronous=FULL (a sync per commit) costs.
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <sqlite3.h>

#include "examples/demo.h"
#include "model/model.h"
#include "store/store.h"
#include "tui/tui.h"

#define SAMPLES_MAX 1000

static double
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static void
die(const char *what, const struct err *err)
{
	fprintf(stderr, "bench_tui: %s: %s\n", what, err && err->msg[0] ? err->msg : "failed");
	exit(1);
}

/* --- a slow disk: a VFS whose xSync sleeps -------------------------------- */

#define SYNCS_MAX 100000

static sqlite3_vfs slow_vfs, *real_vfs;
static sqlite3_io_methods slow_io;
static double sync_ms[SYNCS_MAX];
static size_t nsyncs;
static uint64_t sync_rng = 0x9e3779b97f4a7c15u;

struct slow_file {
	sqlite3_file base;
	sqlite3_file *real;          /* just after this struct */
};

#define REAL(f) (((struct slow_file *)(f))->real)

static int
slow_sync(sqlite3_file *f, int flags)
{
	double t0 = now_ms(), ms;
	int rc = REAL(f)->pMethods->xSync(REAL(f), flags);
	struct timespec ts;

	sync_rng ^= sync_rng << 13;
	sync_rng ^= sync_rng >> 7;
	sync_rng ^= sync_rng << 17;
	ms = sync_rng % 40 == 0 ? 12 + (double)(sync_rng >> 40 & 0xff) / 32
	                        : 3 + (double)(sync_rng >> 40 & 0xff) / 128;
	ts.tv_sec = 0;
	ts.tv_nsec = (long)(ms * 1e6);
	nanosleep(&ts, NULL);
	if (nsyncs < SYNCS_MAX)
		sync_ms[nsyncs++] = now_ms() - t0;
	return rc;
}

static int slow_close(sqlite3_file *f) { return REAL(f)->pMethods->xClose(REAL(f)); }
static int slow_read(sqlite3_file *f, void *b, int n, sqlite3_int64 o)
{ return REAL(f)->pMethods->xRead(REAL(f), b, n, o); }
static int slow_write(sqlite3_file *f, const void *b, int n, sqlite3_int64 o)
{ return REAL(f)->pMethods->xWrite(REAL(f), b, n, o); }
static int slow_truncate(sqlite3_file *f, sqlite3_int64 n)
{ return REAL(f)->pMethods->xTruncate(REAL(f), n); }
static int slow_size(sqlite3_file *f, sqlite3_int64 *n)
{ return REAL(f)->pMethods->xFileSize(REAL(f), n); }
static int slow_lock(sqlite3_file *f, int l) { return REAL(f)->pMethods->xLock(REAL(f), l); }
static int slow_unlock(sqlite3_file *f, int l) { return REAL(f)->pMethods->xUnlock(REAL(f), l); }
static int slow_reserved(sqlite3_file *f, int *r)
{ return REAL(f)->pMethods->xCheckReservedLock(REAL(f), r); }
static int slow_control(sqlite3_file *f, int op, void *a)
{ return REAL(f)->pMethods->xFileControl(REAL(f), op, a); }
static int slow_sector(sqlite3_file *f) { return REAL(f)->pMethods->xSectorSize(REAL(f)); }
static int slow_device(sqlite3_file *f)
{ return REAL(f)->pMethods->xDeviceCharacteristics(REAL(f)); }
static int slow_shm_map(sqlite3_file *f, int i, int sz, int ext, void volatile **pp)
{ return REAL(f)->pMethods->xShmMap(REAL(f), i, sz, ext, pp); }
static int slow_shm_lock(sqlite3_file *f, int o, int n, int fl)
{ return REAL(f)->pMethods->xShmLock(REAL(f), o, n, fl); }
static void slow_shm_barrier(sqlite3_file *f) { REAL(f)->pMethods->xShmBarrier(REAL(f)); }
static int slow_shm_unmap(sqlite3_file *f, int del)
{ return REAL(f)->pMethods->xShmUnmap(REAL(f), del); }
static int slow_fetch(sqlite3_file *f, sqlite3_int64 o, int n, void **pp)
{ return REAL(f)->pMethods->xFetch(REAL(f), o, n, pp); }
static int slow_unfetch(sqlite3_file *f, sqlite3_int64 o, void *p)
{ return REAL(f)->pMethods->xUnfetch(REAL(f), o, p); }

static int
slow_open(sqlite3_vfs *vfs, const char *name, sqlite3_file *f, int flags, int *out)
{
	struct slow_file *sf = (struct slow_file *)f;
	int rc;

	(void)vfs;
	sf->real = (sqlite3_file *)(sf + 1);
	rc = real_vfs->xOpen(real_vfs, name, sf->real, flags, out);
	/* the methods of the real file, with a slow xSync */
	if (sf->real->pMethods) {
		const sqlite3_io_methods *m = sf->real->pMethods;

		slow_io.iVersion = m->iVersion < 3 ? m->iVersion : 3;
		slow_io.xClose = slow_close;
		slow_io.xRead = slow_read;
		slow_io.xWrite = slow_write;
		slow_io.xTruncate = slow_truncate;
		slow_io.xSync = slow_sync;
		slow_io.xFileSize = slow_size;
		slow_io.xLock = slow_lock;
		slow_io.xUnlock = slow_unlock;
		slow_io.xCheckReservedLock = slow_reserved;
		slow_io.xFileControl = slow_control;
		slow_io.xSectorSize = slow_sector;
		slow_io.xDeviceCharacteristics = slow_device;
		slow_io.xShmMap = slow_shm_map;
		slow_io.xShmLock = slow_shm_lock;
		slow_io.xShmBarrier = slow_shm_barrier;
		slow_io.xShmUnmap = slow_shm_unmap;
		slow_io.xFetch = slow_fetch;
		slow_io.xUnfetch = slow_unfetch;
		f->pMethods = &slow_io;
	} else {
		f->pMethods = NULL;
	}
	return rc;
}

static void
slow_disk(void)
{
	real_vfs = sqlite3_vfs_find(NULL);
	if (!real_vfs)
		die("no default SQLite VFS", NULL);
	slow_vfs = *real_vfs;
	slow_vfs.zName = "slow-sync";
	slow_vfs.szOsFile = (int)sizeof(struct slow_file) + real_vfs->szOsFile;
	slow_vfs.xOpen = slow_open;
	if (sqlite3_vfs_register(&slow_vfs, 1) != SQLITE_OK)
		die("sqlite3_vfs_register", NULL);
}

static struct workbook *
generate(size_t nsteps)
{
	static const char *const lanes[12] = {
		"Customer", "Reception", "Triage", "Nurse", "Physician", "Lab", "Radiology",
		"Pharmacy", "Bed management", "Transport", "Records", "Billing"
	};
	struct workbook *wb = workbook_new();
	struct process *p;
	sm_id lane_ids[12], first = 0, last = 0;
	size_t i, l = 0, run = 0;
	char name[128];

	if (!wb || !(p = workbook_add_process(wb, workbook_new_id(wb), "Generated")))
		die("out of memory", NULL);
	for (i = 0; i < 12; i++) {
		struct lane *ln = calloc(1, sizeof *ln);

		ln->id = lane_ids[i] = workbook_new_id(wb);
		ln->name = strdup(lanes[i]);
		ln->stage = i == 0 ? STAGE_CUSTOMER : i < 3 ? STAGE_ONSTAGE : i < 9 ? STAGE_OFFSTAGE
		                                                                    : STAGE_SUPPORT;
		ln->capacity = (int)(i % 4);
		ln->key = (double)i;
		if (process_add_lane(p, ln) != STATUS_OK)
			die("lane", NULL);
	}
	for (i = 0; i < nsteps; i++) {
		struct step *s = calloc(1, sizeof *s);

		step_init(s);
		free(s->name);
		snprintf(name, sizeof name, "Step %zu: %s the %s", i + 1,
		         i % 3 ? "check" : "record", i % 5 ? "form" : "patient's details");
		s->name = strdup(name);
		s->id = workbook_new_id(wb);
		s->key = 1024.0 * (double)(i + 1);
		if (run == 0) {
			l = (l * 7 + 3) % 12;
			run = 1 + i % 6;
		}
		run--;
		s->lane = lane_ids[l];
		s->type = i % 50 == 25 ? STEP_DECISION : i % 4 == 0 ? STEP_MANUAL : i % 4 == 1 ? STEP_USER
		                                                                             : STEP_TASK;
		s->work = dist_fixed((double)(30 + i % 300));
		if (i % 3 == 0)
			s->wait = dist_fixed((double)(60 * (i % 7)));
		s->value = (enum value_class)(i % 4);
		s->error_rate = i % 10 == 0 ? 0.02 : 0;
		s->pain = i % 17 == 0;
		if (!first)
			first = s->id;
		last = s->id;
		if (process_add_step(p, s) != STATUS_OK)
			die("step", NULL);
	}
	process_reindex(p);
	for (i = 25; i + 5 < nsteps; i += 50) {
		struct flow *f = calloc(1, sizeof *f), *g = calloc(1, sizeof *g);

		f->id = workbook_new_id(wb);
		f->from = p->steps[i]->id;
		f->to = p->steps[i + 1]->id;
		f->prob = 0.7;
		f->label = strdup("yes");
		g->id = workbook_new_id(wb);
		g->from = p->steps[i]->id;
		g->to = p->steps[i + 4]->id;
		g->prob = 0.3;
		g->label = strdup("no");
		if (process_add_flow(p, f) != STATUS_OK || process_add_flow(p, g) != STATUS_OK)
			die("flow", NULL);
	}
	{
		struct measure *m = calloc(1, sizeof *m), *n = calloc(1, sizeof *n);

		m->id = workbook_new_id(wb);
		m->name = strdup("door to end");
		m->from = first;
		m->to = last;
		m->clock = CLOCK_CUSTOMER;
		n->id = workbook_new_id(wb);
		n->name = strdup("first half");
		n->from = first;
		n->to = p->steps[nsteps / 2]->id;
		n->clock = CLOCK_PROCESS;
		if (process_add_measure(p, m) != STATUS_OK || process_add_measure(p, n) != STATUS_OK)
			die("measure", NULL);
	}
	return wb;
}

enum { K_SCROLL, K_PAGE, K_JUMP, K_LANES, K_EDIT, K_MOVE, K_UNDO, K_CAPTURE, K_CUT, K_COUNT };
static const char *const knames[K_COUNT] = {
	"scroll (j)", "page (PgDn)", "jump (G/g)", "lane view (j)", "edit (p)", "move (J)", "undo (u)",
	"capture (Enter)", "cut (x)"
};

struct run {
	const char *name;
	bool scenario;               /* with a scenario shown */
	double open_ms, idle_ms, checkpoint_ms;
	size_t edit_syncs, checkpoint_syncs;   /* syncs during 200 edits/undos, the checkpoint */
	double s[K_COUNT][SAMPLES_MAX];
	size_t n[K_COUNT];
};


static int dbl_cmp(const void *x, const void *y);
static double pct(double *v, size_t n, double q);

static void
sync_report(void)
{
	if (!real_vfs)
		return;
	printf("\nslow disk (BENCH_SLOW_FSYNC): %zu syncs, p50 %.1f ms, p99 %.1f ms "
	       "(STEPMAP_SYNC=%s)\n", nsyncs, pct(sync_ms, nsyncs, 0.5), pct(sync_ms, nsyncs, 0.99),
	       getenv("STEPMAP_SYNC") ? getenv("STEPMAP_SYNC") : "(default)");
}

static int
dbl_cmp(const void *x, const void *y)
{
	double a = *(const double *)x, b = *(const double *)y;

	return a < b ? -1 : a > b;
}

static double
pct(double *v, size_t n, double q)
{
	size_t i;

	if (!n)
		return NAN;
	qsort(v, n, sizeof *v, dbl_cmp);
	i = (size_t)ceil(q * (double)n) - 1;
	return v[i < n ? i : n - 1];
}

static void
sample(struct run *r, int k, struct tui *t, const char *keys)
{
	double t0 = now_ms();

	tui_test_keys(t, keys);
	if (r->n[k] < SAMPLES_MAX)
		r->s[k][r->n[k]++] = now_ms() - t0;
}

static void
measure(struct run *r, const char *dir, struct workbook *wb, int rows, int cols)
{
	char path[512], keys[64];
	struct store *st = NULL;
	struct workbook *loaded = NULL;
	struct tui_options opt = { 0 };
	struct err err = { 0 };
	struct tui *t;
	double t0;
	size_t i, nsteps = wb->procs[0]->nsteps;

	snprintf(path, sizeof path, "%s/%s.stepmap", dir, r->name);
	if (store_open(path, STORE_NEW, &st, &err) != STATUS_OK)
		die(path, &err);
	if (store_save(st, wb, &err) != STATUS_OK)
		die("save", &err);
	store_close(&st);

	t0 = now_ms();
	if (store_open(path, STORE_OPEN, &st, &err) != STATUS_OK)
		die(path, &err);
	if (store_load(st, &loaded, &err) != STATUS_OK)
		die("load", &err);
	opt.name = r->name;
	if (!(t = tui_test_open(st, loaded, &opt, rows, cols)))
		die("tui_test_open", NULL);
	r->open_ms = now_ms() - t0;

	if (r->scenario) {
		/* 20 cuts, removals and automations, spread over the process */
		tui_test_keys(t, ":scenario new Bench<Enter>");
		for (i = 0; i < 20; i++) {
			size_t at = 1 + (i * nsteps) / 21 + nsteps / 42;

			/* not the step the keys below work on */
			snprintf(keys, sizeof keys, ":%zu<Enter>%s", at == nsteps / 2 ? at + 3 : at,
			         i % 2 ? "A" : "x");
			tui_test_keys(t, keys);
		}
	}
	snprintf(keys, sizeof keys, ":%zu<Enter>", nsteps / 2);
	tui_test_keys(t, keys);
	tui_test_idle(t);
	/* 25 down, 25 up...: every key moves the cursor, in both processes */
	for (i = 0; i < 300; i++)
		sample(r, K_SCROLL, t, i / 25 % 2 ? "k" : "j");
	for (i = 0; i < 100; i++)
		sample(r, K_PAGE, t, i % 2 ? "<PgUp>" : "<PgDn>");
	for (i = 0; i < 100; i++)
		sample(r, K_JUMP, t, i % 2 ? "g" : "G");
	tui_test_keys(t, "v");
	for (i = 0; i < 300; i++)
		sample(r, K_LANES, t, i / 25 % 2 ? "k" : "j");
	tui_test_keys(t, "v");
	tui_test_keys(t, keys);
	{
		size_t before = nsyncs;

		for (i = 0; i < 100; i++) {
			sample(r, K_EDIT, t, "p");
			sample(r, K_UNDO, t, "u");
		}
		r->edit_syncs = nsyncs - before;
		/* what the workbench does when the typing pauses (run.c) */
		before = nsyncs;
		t0 = now_ms();
		if (store_checkpoint(st, &err) != STATUS_OK)
			die("checkpoint", &err);
		r->checkpoint_ms = now_ms() - t0;
		r->checkpoint_syncs = nsyncs - before;
	}
	for (i = 0; r->scenario && i < 100; i++) {
		sample(r, K_CUT, t, "x");
		sample(r, K_UNDO, t, "u");
	}
	for (i = 0; i < 100; i++)
		sample(r, K_MOVE, t, "J");
	tui_test_keys(t, "a");
	for (i = 0; i < 100; i++) {
		tui_test_keys(t, "Step typed in the workshop");
		sample(r, K_CAPTURE, t, "<Enter>");
	}
	tui_test_keys(t, "<Esc>");
	t0 = now_ms();
	tui_test_idle(t);
	r->idle_ms = now_ms() - t0;
	tui_test_close(&t);
	workbook_free(&loaded);
	store_close(&st);
}

static void
report(struct run *big, struct run *demo)
{
	int k;

	printf("%-16s %10s %10s %10s %10s %9s\n", "key", "big p50", "big p99", "demo p50", "demo p99",
	       "p99 ratio");
	for (k = 0; k < K_COUNT; k++) {
		double bp50 = pct(big->s[k], big->n[k], 0.5), bp99 = pct(big->s[k], big->n[k], 0.99);
		double dp50 = pct(demo->s[k], demo->n[k], 0.5), dp99 = pct(demo->s[k], demo->n[k], 0.99);

		if (!big->n[k])
			continue;
		printf("%-16s %10.3f %10.3f %10.3f %10.3f %8.1fx%s\n", knames[k], bp50, bp99, dp50, dp99,
		       bp99 / dp99, bp99 < 16 ? "" : "  (over one frame)");
	}
	printf("%-16s %10.1f %21.1f %20.1fx\n", "open", big->open_ms, demo->open_ms,
	       big->open_ms / demo->open_ms);
	printf("%-16s %10.1f %21.3f   figures once the keys stop (the demo's are computed with "
	       "every key)\n", "idle", big->idle_ms, demo->idle_ms);
	printf("%-16s %10.1f %21.1f   the checkpoint after a pause in the typing (%zu and %zu "
	       "syncs; %zu and %zu during 200 edits and undos)\n", "checkpoint", big->checkpoint_ms,
	       demo->checkpoint_ms, big->checkpoint_syncs, demo->checkpoint_syncs, big->edit_syncs,
	       demo->edit_syncs);
}

int
main(int argc, char **argv)
{
	size_t nsteps = argc > 1 ? (size_t)strtoul(argv[1], NULL, 10) : 100000;
	int rows = argc > 3 ? atoi(argv[2]) : 30, cols = argc > 3 ? atoi(argv[3]) : 100;
	static struct run big, demo, big_sc, demo_sc;
	char dir[] = "/tmp/bench_tui-XXXXXX", cmd[64];
	struct workbook *wb;

	if (nsteps < 20 || rows < 6 || cols < 20) {
		fprintf(stderr, "usage: bench_tui [STEPS>=20] [ROWS COLS]\n");
		return 2;
	}
	if (!mkdtemp(dir))
		die("mkdtemp", NULL);
	if (getenv("BENCH_SLOW_FSYNC") && strcmp(getenv("BENCH_SLOW_FSYNC"), "0"))
		slow_disk();
	big.name = "generated";
	demo.name = "demo";
	big_sc.name = "generated-scenario";
	demo_sc.name = "demo-scenario";
	big_sc.scenario = demo_sc.scenario = true;
	wb = generate(nsteps);
	measure(&big, dir, wb, rows, cols);
	measure(&big_sc, dir, wb, rows, cols);
	workbook_free(&wb);
	if (!(wb = demo_workbook()))
		die("demo_workbook", NULL);
	measure(&demo, dir, wb, rows, cols);
	measure(&demo_sc, dir, wb, rows, cols);
	workbook_free(&wb);
	snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
	if (system(cmd) != 0)
		fprintf(stderr, "bench_tui: could not remove %s\n", dir);

	printf("workbench on a %dx%d screen: %zu generated steps beside the %zu-step demo (ms)\n",
	       cols, rows, nsteps, (size_t)111);
	report(&big, &demo);
	printf("\nthe same with a scenario shown (20 cuts; J is a move cut, x a cut)\n");
	report(&big_sc, &demo_sc);
	sync_report();
	return 0;
}
