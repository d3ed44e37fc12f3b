/*
 * gen_lanes.c - write a CSV process for the lanes benchmark (run-lanes.sh).
 *
 *   gen_lanes [-n STEPS] [-l LANES]      (defaults: 40000, 10; to stdout)
 *
 * STEPS steps in a row, step i in lane i mod LANES; each lane is declared in
 * its own row first (name, a stage in turn, capacity 1 or unlimited), so the
 * reader meets every lane before its steps, as a spreadsheet of lanes and
 * steps would have it. Work tri(1m,2m,4m) on staffed lanes, a wait exp(1m),
 * an arrival every 10 minutes, and a measure from the first step to the
 * last. With LANES = STEPS every step has a lane of its own: the shape that
 * shows whatever is quadratic in the lanes. The output is deterministic.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const stages[] = { "customer", "onstage", "offstage", "support" };

int
main(int argc, char **argv)
{
	long n = 40000, lanes = 10, i;

	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "-n") && i + 1 < argc)
			n = atol(argv[++i]);
		else if (!strcmp(argv[i], "-l") && i + 1 < argc)
			lanes = atol(argv[++i]);
		else {
			fprintf(stderr, "usage: gen_lanes [-n STEPS] [-l LANES]\n");
			return 2;
		}
	}
	if (n < 2 || lanes < 1) {
		fprintf(stderr, "gen_lanes: at least 2 steps and 1 lane\n");
		return 2;
	}
	printf("step,name,lane,stage,capacity,type,work,wait,starts,ends,arrival\n");
	for (i = 0; i < lanes; i++)
		printf(",,Lane %ld,%s,%s,,,,,,\n", i + 1, stages[i % 4], i % 4 == 0 ? "" : "1");
	for (i = 0; i < n; i++)
		printf("%ld,Step %ld,Lane %ld,,,task,\"tri(1m,2m,4m)\",exp(1m),%s,%s,%s\n", i + 1, i + 1,
		       i % lanes + 1, i == 0 ? "end to end" : "", i == n - 1 ? "end to end" : "",
		       i == 0 ? "exp(10m)" : "");
	return ferror(stdout) ? 1 : 0;
}
