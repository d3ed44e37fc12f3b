/*
 * test_store_kill.c - killing the process at any instant loses no
 * acknowledged edit.
 *
 * A child opens a workbook and runs a burst of edits (inserts, field
 * changes, moves, deletes with their flows, new flows, undos, redos); after
 * each store call returns it writes the edit's number to a pipe. The parent
 * kills it with SIGKILL after a different delay each round, then opens the
 * workbook, checks it (PRAGMA integrity_check, foreign keys, every journal
 * entry readable) and loads it. The script is deterministic, so the parent
 * replays it on a ":memory:" workbook: the file must equal the state after
 * the last acknowledged edit, or after the one after it (committed, killed
 * before it could say so), and its undo journal must match too.
 *
 * The workbook commits with synchronous=NORMAL (store.c): a commit is
 * written to the WAL without an fsync, which a killed process does not
 * undo (the operating system keeps the written pages). A kill that lands
 * after a commit is written but before the edit is acknowledged leaves the
 * file holding that edit; that is correct, and the test counts those rounds.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <dirent.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "model/model.h"
#include "store/store.h"
#include "handmade.h"
#include "wbequal.h"

#define ROUNDS 20
#define MAX_OPS 100000

/* splitmix64: the script's choices depend only on the edit's number. */
static uint64_t
mix(uint64_t x)
{
	x += 0x9e3779b97f4a7c15ull;
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ull;
	x = (x ^ (x >> 27)) * 0x94d049bb133111ebull;
	return x ^ (x >> 31);
}

/* The starting workbook: one process, three lanes, 30 steps. */
static struct workbook *
base_workbook(void)
{
	struct workbook *w = workbook_new();
	struct process *p = workbook_add_process(w, workbook_new_id(w), "Admission");
	sm_id lanes[3];
	int i;

	assert_non_null(p);
	lanes[0] = hm_lane(w, p, "Patient", STAGE_CUSTOMER, 0);
	lanes[1] = hm_lane(w, p, "Nurse", STAGE_ONSTAGE, 2);
	lanes[2] = hm_lane(w, p, "Lab", STAGE_OFFSTAGE, 0);
	for (i = 0; i < 30; i++) {
		char name[32];

		snprintf(name, sizeof name, "step %d", i);
		hm_step(w, p, name, i % 5 == 0 ? STEP_MANUAL : STEP_TASK, lanes[i % 3],
		        dist_fixed(60 * (i + 1)), dist_fixed(0), 0.02);
	}
	return w;
}

/*
 * Edit number n of the script, on w through s. Returns the status of the
 * store call (an undo with nothing to undo is STATUS_NOTHING, and fine).
 */
static enum status
script_op(struct store *s, struct workbook *w, long n, struct err *err)
{
	struct process *p = w->procs[0];
	uint64_t r = mix((uint64_t)n);
	unsigned what = (unsigned)(r % 100);
	struct edit *e = NULL;
	enum status st = STATUS_INTERNAL;
	size_t ns = p->nsteps;

	r >>= 8;
	if (what < 12)
		return store_undo(s, w, NULL, err);
	if (what < 18)
		return store_redo(s, w, NULL, err);
	if (what < 40 || ns < 4) {
		struct step t;
		char name[48];

		step_init(&t);
		free(t.name);
		snprintf(name, sizeof name, "inserted %ld\tby the burst", n);
		t.name = name;
		t.lane = p->nlanes ? p->lanes[r % p->nlanes]->id : 0;
		t.work = dist_fixed((double)(r % 3600));
		t.cost = (double)(r % 1000) / 7.0;
		st = edit_step_insert(w, p->id, (size_t)(r >> 12) % (ns + 1), &t, &e);
	} else if (what < 60) {
		struct step t = *p->steps[r % ns];
		char name[48];

		snprintf(name, sizeof name, "renamed %ld", n);
		t.name = name;
		t.error_rate = (double)(r % 97) / 97.0;
		t.emotion = (int)(r % 5) - 2;
		t.pain = !t.pain;
		st = edit_step_set(w, &t, &e);
	} else if (what < 72) {
		st = edit_step_move(w, p->steps[r % ns]->id, (size_t)(r >> 12) % ns, &e);
	} else if (what < 88) {
		st = edit_step_del(w, p->steps[r % ns]->id, &e);
	} else {
		sm_id from = p->steps[r % ns]->id, to = p->steps[(r >> 12) % ns]->id;

		st = edit_flow_add(w, from, to, "branch", (double)(r % 10) / 10.0, &e);
	}
	if (st != STATUS_OK)
		return err_set(err, st, "builder for edit %ld failed", n);
	return store_do(s, w, e, err);
}

static void
child(const char *path, int fd)
{
	struct store *s = NULL;
	struct workbook *w = NULL;
	struct err err;
	long n;

	if (store_open(path, STORE_OPEN, &s, &err) != STATUS_OK ||
	    store_load(s, &w, &err) != STATUS_OK) {
		fprintf(stderr, "child: %s\n", err.msg);
		_exit(2);
	}
	for (n = 0; n < MAX_OPS; n++) {
		enum status st = script_op(s, w, n, &err);
		int32_t ack = (int32_t)n;

		if (st != STATUS_OK && st != STATUS_NOTHING) {
			fprintf(stderr, "child: edit %ld: %s\n", n, err.msg);
			_exit(3);
		}
		if (write(fd, &ack, sizeof ack) != sizeof ack)
			_exit(4);
	}
	_exit(0);
}

static void
rm_dir(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	char p[512];

	if (!d)
		return;
	while ((e = readdir(d)))
		if (strcmp(e->d_name, ".") && strcmp(e->d_name, "..")) {
			snprintf(p, sizeof p, "%s/%s", dir, e->d_name);
			unlink(p);
		}
	closedir(d);
	rmdir(dir);
}

/* A memory store replaying the script's first n edits on base. */
struct replay {
	struct store *s;
	struct workbook *w;
	long done;
};

static void
replay_open(struct replay *r, const struct workbook *base)
{
	struct err err;

	memset(r, 0, sizeof *r);
	assert_int_equal(store_open(":memory:", STORE_CREATE, &r->s, &err), STATUS_OK);
	assert_int_equal(store_save(r->s, base, &err), STATUS_OK);
	assert_int_equal(store_load(r->s, &r->w, &err), STATUS_OK);
}

static void
replay_to(struct replay *r, long n)
{
	struct err err;

	for (; r->done < n; r->done++) {
		enum status st = script_op(r->s, r->w, r->done, &err);

		if (st != STATUS_OK && st != STATUS_NOTHING)
			fail_msg("replay of edit %ld: %s", r->done, err.msg);
	}
}

static void
replay_close(struct replay *r)
{
	store_close(&r->s);
	workbook_free(&r->w);
}

static void
test_kill_mid_burst(void **state)
{
	struct workbook *base = base_workbook();
	char dir[64], path[128];
	long total_acked = 0;
	int round, torn = 0;

	(void)state;
	snprintf(dir, sizeof dir, "/tmp/stepmap-kill-XXXXXX");
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof path, "%s/burst.stepmap", dir);
	srand((unsigned)time(NULL));
	for (round = 0; round < ROUNDS; round++) {
		struct store *s = NULL;
		struct workbook *w = NULL;
		struct replay r;
		struct err err;
		int fds[2], status;
		int32_t ack;
		long acked = -1;
		/* From 2 ms to about 400 ms, spread over the rounds, jittered. */
		long delay_us = 2000 + round * 20000 + rand() % 20000;
		pid_t pid;

		unlink(path);
		assert_int_equal(store_open(path, STORE_NEW, &s, &err), STATUS_OK);
		assert_int_equal(store_save(s, base, &err), STATUS_OK);
		store_close(&s);

		assert_int_equal(pipe(fds), 0);
		pid = fork();
		assert_true(pid >= 0);
		if (pid == 0) {
			close(fds[0]);
			child(path, fds[1]);
		}
		close(fds[1]);
		usleep((useconds_t)delay_us);
		kill(pid, SIGKILL);
		assert_int_equal(waitpid(pid, &status, 0), pid);
		if (!WIFSIGNALED(status))
			fail_msg("round %d: the child ended before the kill (status %d)", round, status);
		while (read(fds[0], &ack, sizeof ack) == sizeof ack) {
			assert_int_equal(ack, acked + 1);
			acked = ack;
		}
		close(fds[0]);
		total_acked += acked + 1;

		/* The file opens, is whole, and holds every acknowledged edit. */
		if (store_open(path, STORE_OPEN, &s, &err) != STATUS_OK)
			fail_msg("round %d: reopen: %s", round, err.msg);
		if (store_verify(s, &err) != STATUS_OK)
			fail_msg("round %d: %s", round, err.msg);
		assert_int_equal(store_load(s, &w, &err), STATUS_OK);
		replay_open(&r, base);
		replay_to(&r, acked + 1);
		if (!wbeq(w, r.w)) {
			/* The next edit may have committed before the kill. */
			replay_to(&r, acked + 2);
			if (!wbeq(w, r.w))
				fail_msg("round %d: %ld edits acknowledged, the file holds neither that "
				         "state nor the next: %s", round, acked + 1, wbeq_where);
			torn++;
		}
		assert_int_equal(store_can_undo(s), store_can_undo(r.s));
		assert_int_equal(store_can_redo(s), store_can_redo(r.s));
		/* The journal agrees too: undo once on both. */
		if (store_can_undo(s)) {
			assert_int_equal(store_undo(s, w, NULL, &err), STATUS_OK);
			assert_int_equal(store_undo(r.s, r.w, NULL, &err), STATUS_OK);
			assert_workbook_equal(w, r.w);
		}
		print_message("round %2d: killed after %6.1f ms, %5ld edits acknowledged%s\n", round,
		              delay_us / 1000.0, acked + 1,
		              r.done > acked + 1 ? " (+1 committed, not acknowledged)" : "");
		replay_close(&r);
		store_close(&s);
		workbook_free(&w);
	}
	print_message("%ld edits acknowledged over %d kills, %d kills between commit and "
	              "acknowledgement\n", total_acked, ROUNDS, torn);
	assert_true(total_acked > 0);
	workbook_free(&base);
	rm_dir(dir);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_kill_mid_burst),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
