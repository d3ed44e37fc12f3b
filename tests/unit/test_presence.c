/*
 * test_presence.c - who is in a workbook (store/presence.c): two sessions
 * on one sidecar see each other and where each is; a session that stops
 * beating expires; a session whose process died (killed, never left) is
 * gone at once; one that leaves is gone at once; two paths to one workbook
 * meet in one sidecar; a bad name is refused. Real files, a real child
 * process killed with SIGKILL.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "model/model.h"
#include "store/presence.h"

static char dir[] = "/tmp/stepmap-test-presence-XXXXXX";
static char book[300];

static struct presence_where
where(sm_id proc, sm_id scen, sm_id step, const char *screen)
{
	struct presence_where w;

	memset(&w, 0, sizeof w);
	w.proc = proc;
	w.scen = scen;
	w.step = step;
	snprintf(w.screen, sizeof w.screen, "%s", screen);
	return w;
}

static struct presence *
join(const char *path, const char *name, const struct presence_where *at)
{
	struct presence *p = NULL;
	struct err err = { 0 };

	if (presence_open(path, name, at, &p, &err) != STATUS_OK)
		fail_msg("presence_open %s: %s", name, err.msg);
	return p;
}

/* The rows p lists, into *rows; returns the count. */
static size_t
list(struct presence *p, struct presence_row **rows)
{
	struct err err = { 0 };
	size_t n = 0;

	if (presence_list(p, rows, &n, &err) != STATUS_OK)
		fail_msg("presence_list: %s", err.msg);
	return n;
}

static void
sleep_ms(long ms)
{
	struct timespec t = { ms / 1000, (ms % 1000) * 1000000L };

	nanosleep(&t, NULL);
}

static void
test_two_sessions_see_each_other(void **state)
{
	struct presence_where wa = where(1, 0, 7, "map"), wb = where(1, 3, 9, "lane view");
	struct presence *a, *b;
	struct presence_row *r = NULL;
	struct err err = { 0 };
	size_t n;

	(void)state;
	a = join(book, "ana", &wa);
	b = join(book, "bo", &wb);
	assert_int_not_equal(presence_id(a), presence_id(b));
	n = list(a, &r);
	assert_int_equal(n, 2);
	assert_string_equal(r[0].name, "ana");
	assert_true(r[0].self);
	assert_string_equal(r[1].name, "bo");
	assert_false(r[1].self);
	assert_int_equal(r[1].at.scen, 3);
	assert_int_equal(r[1].at.step, 9);
	assert_string_equal(r[1].at.screen, "lane view");
	assert_int_equal(r[1].pid, (long)getpid());
	free(r);
	/* bo moves: ana sees the new place */
	wb = where(2, 0, 11, "presentation");
	assert_int_equal(presence_beat(b, &wb, &err), STATUS_OK);
	n = list(a, &r);
	assert_int_equal(n, 2);
	assert_int_equal(r[1].at.proc, 2);
	assert_int_equal(r[1].at.step, 11);
	assert_string_equal(r[1].at.screen, "presentation");
	free(r);
	/* bo leaves: ana is alone at once */
	presence_leave(&b);
	assert_null(b);
	n = list(a, &r);
	assert_int_equal(n, 1);
	assert_true(r[0].self);
	free(r);
	presence_leave(&a);
}

static void
test_expiry(void **state)
{
	struct presence_where w = where(1, 0, 1, "map");
	struct presence *a, *b;
	struct presence_row *r = NULL;
	struct err err = { 0 };
	size_t n;

	(void)state;
	a = join(book, "ana", &w);
	b = join(book, "bo", &w);
	presence_set_expiry(a, 0.3);
	n = list(a, &r);
	assert_int_equal(n, 2);
	free(r);
	sleep_ms(450);
	/* bo has not beaten for longer than the expiry; ana is herself */
	n = list(a, &r);
	assert_int_equal(n, 1);
	assert_string_equal(r[0].name, "ana");
	free(r);
	/* the row was deleted: bo's next beat writes it again */
	assert_int_equal(presence_beat(b, &w, &err), STATUS_OK);
	n = list(a, &r);
	assert_int_equal(n, 2);
	free(r);
	presence_leave(&b);
	presence_leave(&a);
}

static void
test_dead_pid(void **state)
{
	struct presence_where w = where(1, 0, 2, "map");
	struct presence *a;
	struct presence_row *r = NULL;
	int fds[2], status;
	char c = 0;
	pid_t pid;
	size_t n;

	(void)state;
	a = join(book, "ana", &w);
	assert_int_equal(pipe(fds), 0);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		struct presence *k = NULL;
		struct err err = { 0 };

		close(fds[0]);
		if (presence_open(book, "ghost", &w, &k, &err) != STATUS_OK)
			_exit(1);
		if (write(fds[1], "x", 1) != 1)
			_exit(1);
		for (;;)
			pause();
	}
	close(fds[1]);
	assert_int_equal(read(fds[0], &c, 1), 1);
	close(fds[0]);
	n = list(a, &r);
	assert_int_equal(n, 2);
	assert_string_equal(r[1].name, "ghost");
	assert_int_equal(r[1].pid, (long)pid);
	free(r);
	kill(pid, SIGKILL);
	assert_int_equal(waitpid(pid, &status, 0), pid);
	/* killed, it never left; its beat is fresh, but its process is gone */
	n = list(a, &r);
	assert_int_equal(n, 1);
	assert_string_equal(r[0].name, "ana");
	free(r);
	presence_leave(&a);
}

static void
test_one_sidecar_per_file(void **state)
{
	char link[400], p1[1200], p2[1200];
	struct presence_where w = where(1, 0, 1, "map");
	struct presence *a, *b;
	struct presence_row *r = NULL;
	struct err err = { 0 };
	size_t n;

	(void)state;
	snprintf(link, sizeof link, "%s/other-name.stepmap", dir);
	assert_int_equal(symlink(book, link), 0);
	assert_int_equal(presence_path(book, p1, sizeof p1, &err), STATUS_OK);
	assert_int_equal(presence_path(link, p2, sizeof p2, &err), STATUS_OK);
	assert_string_equal(p1, p2);
	assert_non_null(strstr(p1, dir));
	a = join(book, "ana", &w);
	b = join(link, "bo", &w);
	n = list(b, &r);
	assert_int_equal(n, 2);
	free(r);
	presence_leave(&a);
	presence_leave(&b);
	unlink(link);
	/* a workbook that is not there has no sidecar */
	assert_int_equal(presence_path("/nonexistent/x.stepmap", p1, sizeof p1, &err),
	                 STATUS_INPUT);
	assert_non_null(strstr(err.msg, "/nonexistent/x.stepmap"));
}

static void
test_names(void **state)
{
	struct presence *p = NULL;
	struct err err = { 0 };

	(void)state;
	assert_true(presence_name_ok("ana"));
	assert_true(presence_name_ok("Zoë K."));
	assert_false(presence_name_ok(""));
	assert_false(presence_name_ok(" ana"));
	assert_false(presence_name_ok("an\ta"));
	assert_false(presence_name_ok("abcdefghijklmnopqrstuvwxyz0123456"));   /* 33 bytes */
	assert_int_equal(presence_open(book, "", NULL, &p, &err), STATUS_USAGE);
	assert_null(p);
	assert_non_null(strstr(err.msg, "not a session name"));
}

static int
setup(void **state)
{
	FILE *f;

	(void)state;
	if (!mkdtemp(dir))
		return -1;
	setenv("STEPMAP_PRESENCE_DIR", dir, 1);
	snprintf(book, sizeof book, "%s/book.stepmap", dir);
	/* the sidecar is named by the file, not read from it: any file does */
	if (!(f = fopen(book, "w")))
		return -1;
	fclose(f);
	return 0;
}

static int
teardown(void **state)
{
	char cmd[300];

	(void)state;
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	return system(cmd) == 0 ? 0 : -1;
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_two_sessions_see_each_other),
		cmocka_unit_test(test_expiry),
		cmocka_unit_test(test_dead_pid),
		cmocka_unit_test(test_one_sidecar_per_file),
		cmocka_unit_test(test_names),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
