/*
 * bench_bpmn_export.c - time `stepmap export -f bpmn` on a large process:
 * the export graph, the diagram layout and the XML written, in MB/s.
 *
 *   bench_bpmn_export [-n STEPS] [-l LANES] [-o FILE]
 *                     (defaults: 100000 steps, 8 lanes; without -o the
 *                     bytes are counted and dropped, so no disk is timed)
 *
 * The process is generated in memory, deterministic, in the shape of
 * bench/gen_bpmn's file: STEPS steps of the usual types spread over the
 * lanes in runs (every lane a stage, customer on top), an exclusive split
 * every 50 steps whose second branch is a single step rejoining the main
 * path, work and wait times as distributions, a note on every tenth step.
 * Best of three runs. Prints the size, the time of the whole export (graph,
 * layout and XML, as the command does it) and MB/s.
 */
#define _GNU_SOURCE          /* fopencookie */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "export/bpmn.h"
#include "model/model.h"

static double
now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static const char *const verbs[] = {
	"Check", "Record", "Review", "Confirm", "Prepare", "Send", "Receive", "Assess",
	"Update", "Approve", "Schedule", "Notify",
};

static const char *const things[] = {
	"patient record", "referral letter", "insurance details", "test results",
	"medication list", "bed request", "discharge note", "triage category",
	"consent form", "imaging order",
};

static const enum step_type types[] = {
	STEP_TASK, STEP_USER, STEP_MANUAL, STEP_SERVICE, STEP_USER, STEP_SEND,
	STEP_RECEIVE, STEP_BUSINESSRULE, STEP_SCRIPT, STEP_USER,
};

/* A FILE that counts what is written to it and keeps nothing. */
static ssize_t
count_write(void *cookie, const char *buf, size_t n)
{
	(void)buf;
	*(long *)cookie += (long)n;
	return (ssize_t)n;
}

static void
die(const char *what)
{
	fprintf(stderr, "bench_bpmn_export: %s\n", what);
	exit(1);
}

static struct workbook *
generate(long n, int nlanes)
{
	struct workbook *w = workbook_new();
	struct process *p;
	sm_id *lane_ids = calloc((size_t)nlanes, sizeof *lane_ids);
	long i;
	int l;

	if (!w || !lane_ids || !(p = workbook_add_process(w, workbook_new_id(w), "Generated")))
		die("out of memory");
	dist_parse("exp(10m)", NULL, &p->arrival, NULL);
	for (l = 0; l < nlanes; l++) {
		struct lane *ln = calloc(1, sizeof *ln);
		char name[32];

		snprintf(name, sizeof name, "Lane %d", l + 1);
		if (!ln || !(ln->name = strdup(name)))
			die("out of memory");
		ln->id = lane_ids[l] = workbook_new_id(w);
		ln->stage = (enum stage)(l * STAGE_COUNT_ / nlanes);
		ln->capacity = l ? 1 + l % 4 : 0;
		ln->key = l;
		if (process_add_lane(p, ln) != STATUS_OK)
			die("out of memory");
	}
	for (i = 0; i < n; i++) {
		struct step *s = malloc(sizeof *s);
		char name[96];

		if (!s)
			die("out of memory");
		step_init(s);
		free(s->name);
		snprintf(name, sizeof name, "%s the %s (%ld)", verbs[i % 12], things[(i / 12) % 10], i);
		s->name = strdup(name);
		s->id = workbook_new_id(w);
		s->key = 1024.0 * (double)(i + 1);
		s->lane = lane_ids[(i / 7) % nlanes];
		s->type = i == 0 ? STEP_START : i == n - 1 ? STEP_END
		        : i % 50 == 49 ? STEP_DECISION : types[i % 10];
		if (s->type != STEP_START && s->type != STEP_END && s->type != STEP_DECISION) {
			dist_parse(i % 3 ? "tri(2m,5m,12m)" : "5m", NULL, &s->work, NULL);
			if (i % 4 == 0)
				dist_parse("exp(3m)", NULL, &s->wait, NULL);
			s->value = (enum value_class)(1 + i % 3);
			s->cost = (double)(i % 40) / 2;
		}
		if (i % 10 == 0)
			s->note = strdup("Checked twice: once at the desk, once again in the EHR");
		if (!s->name || process_add_step(p, s) != STATUS_OK)
			die("out of memory");
	}
	process_reindex(p);
	for (i = 49; i + 3 < n; i += 50) {
		static const struct { int to; double prob; const char *label; } br[] = {
			{ 1, 0.7, "usual" }, { 2, 0.3, "exception" },
		};
		size_t k;

		for (k = 0; k < 2; k++) {
			struct flow *f = calloc(1, sizeof *f);

			if (!f)
				die("out of memory");
			f->id = workbook_new_id(w);
			f->from = p->steps[i]->id;
			f->to = p->steps[i + br[k].to]->id;
			f->prob = br[k].prob;
			f->label = strdup(br[k].label);
			if (process_add_flow(p, f) != STATUS_OK)
				die("out of memory");
		}
		/* the usual branch jumps over the exception step */
		{
			struct flow *f = calloc(1, sizeof *f);

			if (!f)
				die("out of memory");
			f->id = workbook_new_id(w);
			f->from = p->steps[i + 1]->id;
			f->to = p->steps[i + 3]->id;
			f->prob = -1;
			if (process_add_flow(p, f) != STATUS_OK)
				die("out of memory");
		}
	}
	free(lane_ids);
	return w;
}

int
main(int argc, char **argv)
{
	long n = 100000, size = 0;
	int nlanes = 8, i, run;
	const char *out = NULL;
	struct workbook *w;
	double best = 1e30, t0, t;
	struct err err = { 0 };

	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "-n") && i + 1 < argc)
			n = atol(argv[++i]);
		else if (!strcmp(argv[i], "-l") && i + 1 < argc)
			nlanes = atoi(argv[++i]);
		else if (!strcmp(argv[i], "-o") && i + 1 < argc)
			out = argv[++i];
		else {
			fprintf(stderr, "usage: bench_bpmn_export [-n STEPS] [-l LANES] [-o FILE]\n");
			return 2;
		}
	}
	if (n < 4 || nlanes < 1)
		die("need at least 4 steps and 1 lane");
	t0 = now();
	w = generate(n, nlanes);
	printf("generated %ld steps, %zu flows, %d lanes in %.2f s\n", n, w->procs[0]->nflows,
	       nlanes, now() - t0);
	for (run = 0; run < 3; run++) {
		cookie_io_functions_t io = { NULL, count_write, NULL, NULL };
		long counted = 0;
		FILE *f = out ? fopen(out, "w") : fopencookie(&counted, "w", io);

		if (!f)
			die("cannot open the output");
		t0 = now();
		if (bpmn_write(f, w, NULL, &err) != STATUS_OK) {
			fprintf(stderr, "bench_bpmn_export: %s\n", err.msg);
			return 1;
		}
		fflush(f);
		t = now() - t0;
		size = out ? ftell(f) : counted;
		fclose(f);
		if (t < best)
			best = t;
	}
	printf("export: %.1f MB in %.3f s (best of 3): %.0f MB/s, %.2f us per step\n",
	       (double)size / 1e6, best, (double)size / 1e6 / best, best / (double)n * 1e6);
	workbook_free(&w);
	return 0;
}
