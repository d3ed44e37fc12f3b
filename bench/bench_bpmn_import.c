/*
 * bench_bpmn_import.c - time a BPMN import in its stages, the way
 * `stepmap import FILE.bpmn -o WORKBOOK` does it: the reader into the
 * workbook builder (import/sink.c, steps ordered by flow), then the workbook
 * saved to a new SQLite file.
 *
 *   bench_bpmn_import FILE.bpmn [WORKBOOK]     (WORKBOOK default: FILE.stepmap)
 *   bench_bpmn_import --read-only FILE.bpmn
 *
 * Prints one line per stage with seconds, and the peak resident memory of
 * the run (getrusage). --read-only times the reader into a sink that keeps
 * nothing: the reader's own cost, without the model or the file.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include "import/bpmn.h"
#include "import/sink.h"
#include "model/model.h"
#include "store/store.h"

/* A point in the run: wall clock, processor time (user + system: on a
 * machine shared with other work steadier than the wall clock, which also
 * counts waiting for the cores and the disk) and page faults so far (each a
 * page of memory touched for the first time; in a virtual machine they are
 * dear). */
struct mark {
	double wall, cpu;
	long faults;
};

static struct mark
mark_now(void)
{
	struct timespec ts;
	struct rusage ru;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	getrusage(RUSAGE_SELF, &ru);
	return (struct mark){
		(double)ts.tv_sec + (double)ts.tv_nsec / 1e9,
		(double)ru.ru_utime.tv_sec + (double)ru.ru_utime.tv_usec / 1e6 +
		(double)ru.ru_stime.tv_sec + (double)ru.ru_stime.tv_usec / 1e6,
		ru.ru_minflt + ru.ru_majflt,
	};
}

static void
print_stage(const char *what, struct mark a, struct mark b)
{
	printf("%-14s %.3f s  cpu %.3f s  %ld page faults", what, b.wall - a.wall, b.cpu - a.cpu,
	       b.faults - a.faults);
}

static enum status
n_process(void *c, const char *k, const char *n, const char *d, struct err *e)
{
	(void)c; (void)k; (void)n; (void)d; (void)e;
	return STATUS_OK;
}

static enum status
n_lane(void *c, const char *k, const struct lane *l, struct err *e)
{
	(void)c; (void)k; (void)l; (void)e;
	return STATUS_OK;
}

static enum status
n_step(void *c, const char *k, const char *lk, const struct step *s, struct err *e)
{
	(void)c; (void)k; (void)lk; (void)s; (void)e;
	return STATUS_OK;
}

static enum status
n_flow(void *c, const char *a, const char *b, const struct flow *f, struct err *e)
{
	(void)c; (void)a; (void)b; (void)f; (void)e;
	return STATUS_OK;
}

static void
n_warn(void *c, const char *a, const char *b)
{
	(void)c; (void)a; (void)b;
}

int
main(int argc, char **argv)
{
	static const struct sink_ops null_ops = {
		.process = n_process, .lane = n_lane, .step = n_step, .flow = n_flow,
		.warn = n_warn,
	};
	struct sink null_sink = { &null_ops, NULL }, sink;
	struct bpmn_stats stats = { 0 };
	struct bpmn_options opt = { .stats = &stats };
	struct workbook *w;
	struct sink_builder *b = NULL;
	struct store *s = NULL;
	struct err err = { 0 };
	struct rusage ru;
	char out[4096];
	struct mark m0, m1, m2, m3;

	if (argc < 2) {
		fprintf(stderr, "usage: bench_bpmn_import [--read-only] FILE.bpmn [WORKBOOK]\n");
		return 2;
	}
	if (!strcmp(argv[1], "--read-only") && argc > 2) {
		m0 = mark_now();
		if (bpmn_read(argv[2], &opt, &null_sink, &err) != STATUS_OK) {
			fprintf(stderr, "bench_bpmn_import: %s\n", err.msg);
			return 1;
		}
		m1 = mark_now();
		getrusage(RUSAGE_SELF, &ru);
		print_stage("read only", m0, m1);
		printf("  (%zu steps, %zu flows, %zu lanes)  peak RSS %ld MB\n", stats.steps,
		       stats.flows, stats.lanes, ru.ru_maxrss / 1024);
		return 0;
	}
	snprintf(out, sizeof out, "%s", argc > 2 ? argv[2] : "");
	if (!out[0])
		snprintf(out, sizeof out, "%s.stepmap", argv[1]);
	unlink(out);

	w = workbook_new();
	if (!w || sink_builder_new(w, true, &b, &sink) != STATUS_OK)
		return 3;
	m0 = mark_now();
	if (bpmn_read(argv[1], &opt, &sink, &err) != STATUS_OK) {
		fprintf(stderr, "bench_bpmn_import: %s\n", err.msg);
		return 1;
	}
	m1 = mark_now();
	if (store_open(out, STORE_NEW, &s, &err) != STATUS_OK ||
	    (m2 = mark_now(), store_save(s, w, &err)) != STATUS_OK) {
		fprintf(stderr, "bench_bpmn_import: %s\n", err.msg);
		return 1;
	}
	store_close(&s);
	m3 = mark_now();
	getrusage(RUSAGE_SELF, &ru);
	print_stage("read + model", m0, m1);
	putchar('\n');
	print_stage("save", m2, m3);
	putchar('\n');
	print_stage("import total", m0, m3);
	printf("  peak RSS %ld MB\n", ru.ru_maxrss / 1024);
	sink_builder_free(&b);
	workbook_free(&w);
	return 0;
}
