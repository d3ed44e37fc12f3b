/*
 * bench_store.c - the workbook in SQLite at two sizes: open + load, and the
 * cost of one edit (store_do), one undo and one redo, on a generated process
 * of N steps.
 *
 *   build/bench/bench_store N [DIR]     N steps (e.g. 111 and 100000), the
 *                                       workbook written in DIR (default
 *                                       /tmp), removed afterwards
 *
 * The generator: one process, 12 lanes over the four stages, N steps of
 * every type with fixed and distributed times, a decision every 40 steps
 * with two explicit branches, two measures, a scenario with five cuts.
 *
 * Printed as key=value pairs on one line; bench/run-store.sh runs both sizes
 * and prints the ratios. The floor of a durable edit is one write + fsync of
 * 4 KiB in the same directory (fsync_ms): an edit cannot be acknowledged as
 * safe against a power cut for less. The floor of the work of an edit is
 * the same edits applied to the model alone (model_ms). Not a test: nothing
 * here asserts.
 */
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "store/store.h"

static double
now_s(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static void
die(const char *what, const struct err *err)
{
	fprintf(stderr, "bench_store: %s: %s\n", what, err && err->msg[0] ? err->msg : "failed");
	exit(1);
}

static uint64_t rng_state = 0x5eed;

static uint64_t
rnd(void)
{
	uint64_t x = (rng_state += 0x9e3779b97f4a7c15ull);

	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ull;
	x = (x ^ (x >> 27)) * 0x94d049bb133111ebull;
	return x ^ (x >> 31);
}

/* --- the generator --------------------------------------------------------- */

static struct workbook *
generate(size_t n)
{
	static const char *const works[] = { "5m", "tri(3m,5m,10m)", "exp(7.5m)", "norm(10m,2m)",
	                                     "45s", "logn(20m,8m)", "uni(2m,4m)", "1h30m" };
	struct workbook *w = workbook_new();
	struct process *p;
	sm_id lanes[12];
	size_t i;
	struct err err;

	if (!w || !(p = workbook_add_process(w, workbook_new_id(w), "Generated")))
		die("generate", NULL);
	for (i = 0; i < 12; i++) {
		struct lane *l = calloc(1, sizeof *l);
		char name[32];

		snprintf(name, sizeof name, "Lane %zu", i + 1);
		l->id = lanes[i] = workbook_new_id(w);
		l->name = strdup(name);
		l->stage = (enum stage)(i % STAGE_COUNT_);
		l->capacity = (int)(i % 3);
		l->key = (double)i;
		if (process_add_lane(p, l) != STATUS_OK)
			die("lane", NULL);
	}
	for (i = 0; i < n; i++) {
		struct step *s = calloc(1, sizeof *s);
		char name[64];

		step_init(s);
		free(s->name);
		snprintf(name, sizeof name, "Step %zu: check the form and pass it on", i + 1);
		s->name = strdup(name);
		s->id = workbook_new_id(w);
		s->key = 1024.0 * (double)(i + 1);
		s->lane = lanes[rnd() % 12];
		s->type = i % 40 == 20 ? STEP_DECISION : (enum step_type)(rnd() % STEP_DECISION);
		if (dist_parse(works[rnd() % 8], "work", &s->work, &err) != STATUS_OK ||
		    (i % 3 == 0 && dist_parse("10m", "wait", &s->wait, &err) != STATUS_OK))
			die("generate", &err);
		s->value = (enum value_class)(rnd() % VALUE_CLASS_COUNT_);
		s->error_rate = (double)(rnd() % 10) / 100.0;
		s->cost = (double)(rnd() % 5000) / 100.0;
		s->channel = i % 4 ? NULL : strdup("phone");
		s->note = i % 10 ? NULL : strdup("re-keyed from the paper form");
		s->pain = i % 7 == 0;
		if (process_add_step(p, s) != STATUS_OK)
			die("step", NULL);
	}
	process_reindex(p);
	for (i = 20; i + 5 < n; i += 40) {
		size_t k;

		for (k = 1; k <= 2; k++) {
			struct flow *f = calloc(1, sizeof *f);

			f->id = workbook_new_id(w);
			f->from = p->steps[i]->id;
			f->to = p->steps[i + k * 2]->id;
			f->prob = k == 1 ? 0.7 : 0.3;
			f->label = strdup(k == 1 ? "yes" : "no");
			if (process_add_flow(p, f) != STATUS_OK)
				die("flow", NULL);
		}
	}
	for (i = 0; i < 2 && n > 1; i++) {
		struct measure *m = calloc(1, sizeof *m);

		m->id = workbook_new_id(w);
		m->name = strdup(i ? "lead time" : "door to doctor");
		m->from = p->steps[0]->id;
		m->to = p->steps[i ? n - 1 : n / 4]->id;
		m->clock = i ? CLOCK_PROCESS : CLOCK_CUSTOMER;
		if (process_add_measure(p, m) != STATUS_OK)
			die("measure", NULL);
	}
	{
		struct scenario *sc = calloc(1, sizeof *sc);

		sc->id = workbook_new_id(w);
		sc->name = strdup("Lean");
		if (process_add_scenario(p, sc) != STATUS_OK)
			die("scenario", NULL);
		for (i = 0; i < 5; i++) {
			struct cut *c = calloc(1, sizeof *c);

			c->id = workbook_new_id(w);
			c->key = (double)i;
			c->kind = CUT_AUTOMATE;
			c->step = p->steps[rnd() % n]->id;
			c->time_factor = 0.5;
			c->error_factor = 0.5;
			if (scenario_add_cut(sc, c) != STATUS_OK)
				die("cut", NULL);
		}
	}
	return w;
}

/* --- the edits ------------------------------------------------------------- */

/* One edit of the mix a workshop makes: change a step's fields (40 %),
 * insert a step (25 %), move one (15 %), delete one (20 %). */
static struct edit *
some_edit(struct workbook *w, long i)
{
	struct process *p = w->procs[0];
	uint64_t r = rnd();
	unsigned what = (unsigned)(r % 100);
	size_t at = (size_t)(r >> 8) % p->nsteps;
	struct edit *e = NULL;
	enum status st;
	char name[64];

	snprintf(name, sizeof name, "edited %ld", i);
	if (what < 40) {
		struct step t = *p->steps[at];

		t.name = name;
		t.cost += 1;
		st = edit_step_set(w, &t, &e);
	} else if (what < 65) {
		struct step t;

		step_init(&t);
		free(t.name);
		t.name = name;
		st = edit_step_insert(w, p->id, at, &t, &e);
	} else if (what < 80) {
		size_t to = (size_t)(r >> 32) % p->nsteps;

		st = edit_step_move(w, p->steps[at]->id, to == at ? (to + 1) % p->nsteps : to, &e);
	} else {
		st = edit_step_del(w, p->steps[at]->id, &e);
	}
	if (st != STATUS_OK) {
		fprintf(stderr, "bench_store: edit %ld (kind %u): %s\n", i, what, status_text(st));
		exit(1);
	}
	return e;
}

struct times {
	double save, open, load, edit, undo, redo, model;
};

#define EDIT_SEED 0xed17

/* The floor of an edit: the same K edits applied to the model alone (built,
 * applied, freed), no store. Mean seconds per edit. */
static double
time_model(const char *path, long k)
{
	struct store *s = NULL;
	struct workbook *w = NULL;
	struct err err;
	double t = 0, t0;
	long i;

	if (store_open(path, STORE_READONLY, &s, &err) != STATUS_OK ||
	    store_load(s, &w, &err) != STATUS_OK)
		die("open", &err);
	store_close(&s);
	rng_state = EDIT_SEED;
	for (i = 0; i < k; i++) {
		struct edit *e = some_edit(w, i);

		t0 = now_s();
		if (edit_apply(w, e, &err) != STATUS_OK)
			die("edit_apply", &err);
		t += now_s() - t0;
		edit_free(&e);
	}
	workbook_free(&w);
	return t / (double)k;
}

/* Open + load, best of three. */
static void
time_open_load(const char *path, struct times *t)
{
	int k;

	t->open = t->load = 1e9;
	for (k = 0; k < 3; k++) {
		struct store *s = NULL;
		struct workbook *w = NULL;
		struct err err;
		double t0 = now_s(), t1, t2;

		if (store_open(path, STORE_OPEN, &s, &err) != STATUS_OK)
			die("open", &err);
		t1 = now_s();
		if (store_load(s, &w, &err) != STATUS_OK)
			die("load", &err);
		t2 = now_s();
		if (t1 - t0 < t->open)
			t->open = t1 - t0;
		if (t2 - t1 < t->load)
			t->load = t2 - t1;
		store_close(&s);
		workbook_free(&w);
	}
}

/* K edits, then K undos, then K redos: mean seconds of each. */
static void
time_edits(const char *path, long k, struct times *t)
{
	struct store *s = NULL;
	struct workbook *w = NULL;
	struct err err;
	double t0;
	long i;

	if (store_open(path, STORE_OPEN, &s, &err) != STATUS_OK ||
	    store_load(s, &w, &err) != STATUS_OK)
		die("open", &err);
	rng_state = EDIT_SEED;
	t->edit = 0;
	for (i = 0; i < k; i++) {
		struct edit *e = some_edit(w, i);

		t0 = now_s();
		if (store_do(s, w, e, &err) != STATUS_OK)
			die("store_do", &err);
		t->edit += now_s() - t0;
	}
	t0 = now_s();
	for (i = 0; i < k; i++)
		if (store_undo(s, w, NULL, &err) != STATUS_OK)
			die("store_undo", &err);
	t->undo = now_s() - t0;
	t0 = now_s();
	for (i = 0; i < k; i++)
		if (store_redo(s, w, NULL, &err) != STATUS_OK)
			die("store_redo", &err);
	t->redo = now_s() - t0;
	t->edit /= (double)k;
	t->undo /= (double)k;
	t->redo /= (double)k;
	store_close(&s);
	workbook_free(&w);
}

/* The floor of a durable edit: write 4 KiB and fsync, k times. */
static double
time_fsync(const char *dir, long k)
{
	char path[512], block[4096];
	double t0;
	long i;
	int fd;

	snprintf(path, sizeof path, "%s/bench-fsync-%ld", dir, (long)getpid());
	memset(block, 'x', sizeof block);
	if ((fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600)) < 0)
		die("fsync floor", NULL);
	t0 = now_s();
	for (i = 0; i < k; i++)
		if (write(fd, block, sizeof block) != (ssize_t)sizeof block || fsync(fd) != 0)
			die("fsync floor", NULL);
	t0 = now_s() - t0;
	close(fd);
	unlink(path);
	return t0 / (double)k;
}

int
main(int argc, char **argv)
{
	size_t n = argc > 1 ? (size_t)strtoul(argv[1], NULL, 10) : 100000;
	const char *dir = argc > 2 ? argv[2] : "/tmp";
	long k = 200;
	char path[512];
	struct workbook *w;
	struct store *s = NULL;
	struct err err;
	struct times full, normal;
	double t0, fs;

	if (n < 10) {
		fprintf(stderr, "usage: bench_store N [DIR]   (N >= 10 steps)\n");
		return 2;
	}
	snprintf(path, sizeof path, "%s/bench-store-%ld.stepmap", dir, (long)getpid());
	w = generate(n);
	t0 = now_s();
	if (store_open(path, STORE_NEW, &s, &err) != STATUS_OK ||
	    store_save(s, w, &err) != STATUS_OK)
		die("save", &err);
	full.save = now_s() - t0;
	store_close(&s);
	workbook_free(&w);

	time_open_load(path, &full);
	setenv("STEPMAP_SYNC", "full", 1);
	time_edits(path, k, &full);
	setenv("STEPMAP_SYNC", "normal", 1);
	time_edits(path, k, &normal);
	unsetenv("STEPMAP_SYNC");
	fs = time_fsync(dir, k);
	full.model = time_model(path, k);

	printf("steps=%zu save_ms=%.2f open_ms=%.2f load_ms=%.2f open_load_ms=%.2f "
	       "edit_ms=%.3f undo_ms=%.3f redo_ms=%.3f edit_normal_ms=%.3f undo_normal_ms=%.3f "
	       "model_ms=%.4f fsync_ms=%.3f\n", n, full.save * 1e3, full.open * 1e3, full.load * 1e3,
	       (full.open + full.load) * 1e3, full.edit * 1e3, full.undo * 1e3, full.redo * 1e3,
	       normal.edit * 1e3, normal.undo * 1e3, full.model * 1e3, fs * 1e3);
	{
		char side[600];

		unlink(path);
		snprintf(side, sizeof side, "%s-wal", path);
		unlink(side);
		snprintf(side, sizeof side, "%s-shm", path);
		unlink(side);
	}
	return 0;
}
