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

static double
now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Processor time (user + system) so far: on a machine shared with other work,
 * steadier than the wall clock, which also counts waiting for the cores and
 * for the disk. */
static double
cpu(void)
{
	struct rusage ru;

	getrusage(RUSAGE_SELF, &ru);
	return (double)ru.ru_utime.tv_sec + (double)ru.ru_utime.tv_usec / 1e6 +
	       (double)ru.ru_stime.tv_sec + (double)ru.ru_stime.tv_usec / 1e6;
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
	double t0, t1, t2, t3, c0, c1, c2, c3;

	if (argc < 2) {
		fprintf(stderr, "usage: bench_bpmn_import [--read-only] FILE.bpmn [WORKBOOK]\n");
		return 2;
	}
	if (!strcmp(argv[1], "--read-only") && argc > 2) {
		t0 = now();
		c0 = cpu();
		if (bpmn_read(argv[2], &opt, &null_sink, &err) != STATUS_OK) {
			fprintf(stderr, "bench_bpmn_import: %s\n", err.msg);
			return 1;
		}
		t1 = now();
		c1 = cpu();
		getrusage(RUSAGE_SELF, &ru);
		printf("read only      %.3f s  cpu %.3f s  (%zu steps, %zu flows, %zu lanes)  "
		       "peak RSS %ld MB\n", t1 - t0, c1 - c0, stats.steps, stats.flows, stats.lanes,
		       ru.ru_maxrss / 1024);
		return 0;
	}
	snprintf(out, sizeof out, "%s", argc > 2 ? argv[2] : "");
	if (!out[0])
		snprintf(out, sizeof out, "%s.stepmap", argv[1]);
	unlink(out);

	w = workbook_new();
	if (!w || sink_builder_new(w, true, &b, &sink) != STATUS_OK)
		return 3;
	t0 = now();
	c0 = cpu();
	if (bpmn_read(argv[1], &opt, &sink, &err) != STATUS_OK) {
		fprintf(stderr, "bench_bpmn_import: %s\n", err.msg);
		return 1;
	}
	t1 = now();
	c1 = cpu();
	if (store_open(out, STORE_NEW, &s, &err) != STATUS_OK ||
	    (t2 = now(), c2 = cpu(), store_save(s, w, &err)) != STATUS_OK) {
		fprintf(stderr, "bench_bpmn_import: %s\n", err.msg);
		return 1;
	}
	store_close(&s);
	t3 = now();
	c3 = cpu();
	getrusage(RUSAGE_SELF, &ru);
	printf("read + model   %.3f s  cpu %.3f s\n", t1 - t0, c1 - c0);
	printf("save           %.3f s  cpu %.3f s\n", t3 - t2, c3 - c2);
	printf("import total   %.3f s  cpu %.3f s  peak RSS %ld MB\n", t3 - t0, c3 - c0,
	       ru.ru_maxrss / 1024);
	sink_builder_free(&b);
	workbook_free(&w);
	return 0;
}
