/*
 * cmd_scenario.c - stepmap scenario: list and manage a process's scenarios
 * and their cuts from scripts. Every change goes through store_do() with
 * the model's edit builders, so it is one transaction, journaled, undoable
 * in the workbench.
 *
 *   stepmap scenario WORKBOOK [-p PROCESS] list
 *   stepmap scenario WORKBOOK [-p PROCESS] show NAME
 *   stepmap scenario WORKBOOK [-p PROCESS] new NAME
 *   stepmap scenario WORKBOOK [-p PROCESS] copy NAME NEW
 *   stepmap scenario WORKBOOK [-p PROCESS] rename NAME NEW
 *   stepmap scenario WORKBOOK [-p PROCESS] delete NAME
 *   stepmap scenario WORKBOOK [-p PROCESS] cut NAME KIND ARGS...
 *   stepmap scenario WORKBOOK [-p PROCESS] uncut NAME N
 *
 * Scenarios are named by name or 1-based number, steps by their 1-based
 * number in the baseline, lanes by name (or 1-based number). The cut kinds and their arguments:
 *   remove STEP                    merge STEP STEP2
 *   automate STEP [TIME_FACTOR [ERROR_FACTOR [LANE]]]   (factors default 1)
 *   move STEP AFTER                (AFTER 0: to the front)
 *   parallel FIRST LAST            capacity LANE N
 *   set STEP FIELD VALUE
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "model/scenario.h"

struct ctx {
	const char *path;
	struct store *store;
	struct workbook *wb;
	struct process *p;
};

static int
fail_input(const struct ctx *c, const char *fmt, const char *a, const char *b)
{
	fprintf(stderr, "stepmap: %s: ", c->path);
	fprintf(stderr, fmt, a, b);
	fputc('\n', stderr);
	return 1;
}

/* A scenario by name or, failing that, by 1-based number ("2"). */
static struct scenario *
find_scenario(const struct ctx *c, const char *name)
{
	struct scenario *sc = process_scenario_named(c->p, name);
	char *end;
	unsigned long n = strtoul(name, &end, 10);

	if (!sc && *name && !*end && n >= 1 && n <= c->p->nscenarios)
		sc = c->p->scenarios[n - 1];
	if (!sc)
		fail_input(c, "process '%s' has no scenario '%s'", c->p->name, name);
	return sc;
}

/* Run the edit a builder made (st its status, *e the edit, ownership
 * taken) through the store. *e is read here, after the builder has run:
 * the order in which a call's arguments are evaluated is unspecified. */
static int
apply(struct ctx *c, enum status st, struct edit **e, struct err *err)
{
	if (st != STATUS_OK) {
		edit_free(e);
		return cli_fail(st, err);
	}
	st = store_do(c->store, c->wb, *e, err);
	*e = NULL;
	if (st != STATUS_OK)
		return cli_fail(st, err);
	return 0;
}

/* --- describing cuts -------------------------------------------------------- */

static void
describe_step(FILE *f, const struct process *p, sm_id id)
{
	const struct step *s = process_step(p, id);

	if (s)
		fprintf(f, "step %zu '%s'", s->index + 1, s->name);
	else
		fprintf(f, "a deleted step");
}

static void
describe_lane(FILE *f, const struct process *p, sm_id id)
{
	const struct lane *l = process_lane(p, id);

	fprintf(f, l ? "lane '%s'" : "a deleted lane", l ? l->name : "");
}

static void
describe_cut(FILE *f, const struct process *p, const struct cut *c)
{
	switch (c->kind) {
	case CUT_REMOVE:
	case CUT_SET:
		describe_step(f, p, c->step);
		if (c->kind == CUT_SET)
			fprintf(f, ": %s = %s", c->field ? c->field : "?", c->value ? c->value : "");
		break;
	case CUT_MERGE:
		describe_step(f, p, c->step);
		fputs(" with ", f);
		describe_step(f, p, c->step2);
		break;
	case CUT_AUTOMATE:
		describe_step(f, p, c->step);
		fprintf(f, ", time x%g, errors x%g", c->time_factor, c->error_factor);
		if (c->lane) {
			fputs(", into ", f);
			describe_lane(f, p, c->lane);
		}
		break;
	case CUT_MOVE:
		describe_step(f, p, c->step);
		if (c->step2) {
			fputs(" after ", f);
			describe_step(f, p, c->step2);
		} else {
			fputs(" to the front", f);
		}
		break;
	case CUT_PARALLEL:
		describe_step(f, p, c->step);
		fputs(" to ", f);
		describe_step(f, p, c->step2);
		fputs(" in parallel", f);
		break;
	case CUT_CAPACITY:
		describe_lane(f, p, c->lane);
		if (c->capacity)
			fprintf(f, " capacity %d", c->capacity);
		else
			fputs(" capacity unlimited", f);
		break;
	default:
		break;
	}
}

static int
do_list(struct ctx *c)
{
	size_t i, j, stale_n;

	for (i = 0; i < c->p->nscenarios; i++) {
		const struct scenario *sc = c->p->scenarios[i];
		struct process *out = NULL;
		bool *stale = NULL;
		struct err err = { 0 };

		if (scenario_apply(c->p, sc, &out, &stale, &err) != STATUS_OK)
			return cli_fail(err.code, &err);
		for (j = 0, stale_n = 0; j < sc->ncuts; j++)
			stale_n += stale[j];
		printf("%s\t%zu cut%s\t%zu steps", sc->name, sc->ncuts, sc->ncuts == 1 ? "" : "s",
		       process_step_count(out));
		if (stale_n)
			printf("\t%zu stale", stale_n);
		putchar('\n');
		process_free(&out);
		free(stale);
	}
	return 0;
}

static int
do_show(struct ctx *c, const char *name)
{
	const struct scenario *sc = find_scenario(c, name);
	struct process *out = NULL;
	bool *stale = NULL;
	struct err err = { 0 };
	size_t i;

	if (!sc)
		return 1;
	if (scenario_apply(c->p, sc, &out, &stale, &err) != STATUS_OK)
		return cli_fail(err.code, &err);
	printf("scenario '%s' of '%s': %zu cut%s, %zu steps (baseline %zu)\n", sc->name,
	       c->p->name, sc->ncuts, sc->ncuts == 1 ? "" : "s", process_step_count(out), process_step_count(c->p));
	for (i = 0; i < sc->ncuts; i++) {
		printf("  %2zu  %-9s ", i + 1, cut_kind_name(sc->cuts[i]->kind));
		describe_cut(stdout, c->p, sc->cuts[i]);
		if (stale[i])
			fputs("  [stale: left out]", stdout);
		putchar('\n');
	}
	process_free(&out);
	free(stale);
	return 0;
}

/* --- making cuts ------------------------------------------------------------ */

static bool
parse_step(const struct ctx *c, const char *s, bool zero_ok, sm_id *out)
{
	char *end;
	unsigned long n;

	errno = 0;
	n = strtoul(s, &end, 10);
	if (errno || !*s || *end || *s == '-' || (n == 0 && !zero_ok) || n > c->p->nsteps) {
		fprintf(stderr, "stepmap: %s: expected a step number from %d to %zu, got '%s'\n",
		        c->path, zero_ok ? 0 : 1, c->p->nsteps, s);
		return false;
	}
	*out = n ? c->p->steps[n - 1]->id : 0;
	return true;
}

static bool
parse_lane(const struct ctx *c, const char *s, sm_id *out)
{
	const struct lane *l = process_lane_named(c->p, s);
	char *end;
	unsigned long n = strtoul(s, &end, 10);

	if (!l && *s && !*end && n >= 1 && n <= c->p->nlanes)
		l = c->p->lanes[n - 1];
	if (!l) {
		fprintf(stderr, "stepmap: %s: process '%s' has no lane '%s'\n", c->path,
		        c->p->name, s);
		return false;
	}
	*out = l->id;
	return true;
}

static bool
parse_factor(const struct ctx *c, const char *what, const char *s, double *out)
{
	char *end;
	double v;

	errno = 0;
	v = strtod(s, &end);
	if (errno || !*s || *end || !isfinite(v) || v < 0 || v > 1000) {
		fprintf(stderr, "stepmap: %s: %s: expected a factor from 0 to 1000 (0.1 for a "
		        "tenth), got '%s'\n", c->path, what, s);
		return false;
	}
	*out = v;
	return true;
}

static int
cut_usage(const char *kind)
{
	static const char *const forms[] = {
		"remove STEP", "merge STEP STEP2",
		"automate STEP [TIME_FACTOR [ERROR_FACTOR [LANE]]]", "move STEP AFTER",
		"parallel FIRST LAST", "capacity LANE N", "set STEP FIELD VALUE",
	};
	int k = cut_kind_parse(kind);

	if (k < 0)
		return cli_usage("scenario cut: unknown kind '%s' (remove, merge, automate, "
		                 "move, parallel, capacity, set)", kind);
	return cli_usage("scenario cut NAME %s", forms[k]);
}

static int
do_cut(struct ctx *c, const char *name, int argc, char **argv)
{
	struct scenario *sc;
	struct cut t;
	struct edit *e = NULL;
	struct err err = { 0 };
	int kind, rc = 1;

	if (argc < 1)
		return cli_usage("scenario cut NAME KIND ARGS...");
	kind = cut_kind_parse(argv[0]);
	if (kind < 0)
		return cut_usage(argv[0]);
	if (!(sc = find_scenario(c, name)))
		return 1;
	memset(&t, 0, sizeof t);
	t.kind = (enum cut_kind)kind;
	t.time_factor = t.error_factor = 1;
	argc--;
	argv++;
	switch (t.kind) {
	case CUT_REMOVE:
		if (argc != 1)
			return cut_usage("remove");
		if (!parse_step(c, argv[0], false, &t.step))
			return 1;
		break;
	case CUT_MERGE:
	case CUT_PARALLEL:
		if (argc != 2)
			return cut_usage(cut_kind_name(t.kind));
		if (!parse_step(c, argv[0], false, &t.step) ||
		    !parse_step(c, argv[1], false, &t.step2))
			return 1;
		if (t.kind == CUT_MERGE && process_step(c->p, t.step2)->index !=
		                           process_step(c->p, t.step)->index + 1)
			return fail_input(c, "merge: step %s is not right after step %s", argv[1],
			                  argv[0]);
		if (t.kind == CUT_PARALLEL && process_step(c->p, t.step2)->index <=
		                              process_step(c->p, t.step)->index)
			return fail_input(c, "parallel: step %s must come after step %s", argv[1],
			                  argv[0]);
		break;
	case CUT_AUTOMATE:
		if (argc < 1 || argc > 4)
			return cut_usage("automate");
		if (!parse_step(c, argv[0], false, &t.step) ||
		    (argc > 1 && !parse_factor(c, "TIME_FACTOR", argv[1], &t.time_factor)) ||
		    (argc > 2 && !parse_factor(c, "ERROR_FACTOR", argv[2], &t.error_factor)) ||
		    (argc > 3 && !parse_lane(c, argv[3], &t.lane)))
			return 1;
		break;
	case CUT_MOVE:
		if (argc != 2)
			return cut_usage("move");
		if (!parse_step(c, argv[0], false, &t.step) ||
		    !parse_step(c, argv[1], true, &t.step2))
			return 1;
		if (t.step == t.step2)
			return fail_input(c, "move: a step cannot go after itself (%s%s)", argv[0], "");
		break;
	case CUT_CAPACITY: {
		char *end;
		long n;

		if (argc != 2)
			return cut_usage("capacity");
		if (!parse_lane(c, argv[0], &t.lane))
			return 1;
		errno = 0;
		n = strtol(argv[1], &end, 10);
		if (errno || !*argv[1] || *end || n < 0 || n > 1000000)
			return fail_input(c, "capacity: expected a number of servers from 0 "
			                  "(unlimited), got '%s'%s", argv[1], "");
		t.capacity = (int)n;
		break;
	}
	case CUT_SET: {
		struct step *probe;
		int f;

		if (argc != 3)
			return cut_usage("set");
		if (!parse_step(c, argv[0], false, &t.step))
			return 1;
		if ((f = step_field_parse(argv[1])) < 0)
			return fail_input(c, "set: no step field '%s'%s", argv[1], "");
		/* Check the value the way the cut will use it. */
		if (!(probe = step_copy(process_step(c->p, t.step))))
			return cli_fail(STATUS_NOMEM, NULL);
		if (step_set_field(c->p, probe, (enum step_field)f, argv[2], &err) != STATUS_OK) {
			step_free(&probe);
			return cli_fail(err.code ? err.code : STATUS_INPUT, &err);
		}
		step_free(&probe);
		t.field = argv[1];
		t.value = argv[2];
		break;
	}
	default:
		return 1;
	}
	rc = apply(c, edit_cut_add(c->wb, sc->id, &t, &e), &e, &err);
	if (rc == 0)
		printf("%s: cut %zu: %s\n", sc->name, sc->ncuts, cut_kind_name(t.kind));
	return rc;
}

/* --- the command --------------------------------------------------------- */

static int
do_action(struct ctx *c, int argc, char **argv)
{
	const char *act = argv[0];
	struct scenario *sc;
	struct edit *e = NULL;
	struct err err = { 0 };

#define NEED_(n, form) \
	if (argc != (n) + 1) \
		return cli_usage("scenario WORKBOOK %s", form)
	if (!strcmp(act, "list")) {
		NEED_(0, "list");
		return do_list(c);
	}
	if (!strcmp(act, "show")) {
		NEED_(1, "show NAME");
		return do_show(c, argv[1]);
	}
	if (!strcmp(act, "new")) {
		NEED_(1, "new NAME");
		if (!*argv[1])
			return cli_usage("scenario new: the name cannot be empty");
		if (process_scenario_named(c->p, argv[1]))
			return fail_input(c, "process '%s' already has a scenario '%s'", c->p->name,
			                  argv[1]);
		return apply(c, edit_scenario_add(c->wb, c->p->id, argv[1], &e), &e, &err);
	}
	if (!strcmp(act, "copy") || !strcmp(act, "rename")) {
		bool copy = act[0] == 'c';

		NEED_(2, copy ? "copy NAME NEW" : "rename NAME NEW");
		if (!(sc = find_scenario(c, argv[1])))
			return 1;
		if (!*argv[2])
			return cli_usage("scenario %s: the new name cannot be empty", act);
		if (process_scenario_named(c->p, argv[2]))
			return fail_input(c, "process '%s' already has a scenario '%s'", c->p->name,
			                  argv[2]);
		return apply(c, copy ? edit_scenario_copy(c->wb, sc->id, argv[2], &e)
		                     : edit_scenario_rename(c->wb, sc->id, argv[2], &e), &e, &err);
	}
	if (!strcmp(act, "delete")) {
		NEED_(1, "delete NAME");
		if (!(sc = find_scenario(c, argv[1])))
			return 1;
		return apply(c, edit_scenario_del(c->wb, sc->id, &e), &e, &err);
	}
	if (!strcmp(act, "cut")) {
		if (argc < 3)
			return cli_usage("scenario WORKBOOK cut NAME KIND ARGS...");
		return do_cut(c, argv[1], argc - 2, argv + 2);
	}
	if (!strcmp(act, "uncut")) {
		char *end;
		unsigned long n;

		NEED_(2, "uncut NAME N");
		if (!(sc = find_scenario(c, argv[1])))
			return 1;
		n = strtoul(argv[2], &end, 10);
		if (!*argv[2] || *end || argv[2][0] == '-' || n < 1 || n > sc->ncuts) {
			fprintf(stderr, "stepmap: %s: scenario '%s' has %zu cut%s; no cut '%s'\n",
			        c->path, sc->name, sc->ncuts, sc->ncuts == 1 ? "" : "s", argv[2]);
			return 1;
		}
		return apply(c, edit_cut_del(c->wb, sc->cuts[n - 1]->id, &e), &e, &err);
	}
#undef NEED_
	return cli_usage("scenario: unknown action '%s' (list, show, new, copy, rename, "
	                 "delete, cut, uncut)", act);
}

int
cmd_scenario(int argc, char **argv)
{
	struct ctx c = { 0 };
	const char *process = NULL;
	char **rest;
	int i, n = 0, rc;
	bool read_only;

	rest = calloc((size_t)argc + 1, sizeof *rest);
	if (!rest)
		return cli_fail(STATUS_NOMEM, NULL);
	/* -p may come anywhere before the action; the action's own arguments
	 * are taken as they are (a scenario may be called "-p"... after it). */
	for (i = 1; i < argc; i++) {
		if (n < 2 && (!strcmp(argv[i], "-p") || !strcmp(argv[i], "--process"))) {
			if (++i >= argc) {
				free(rest);
				return cli_usage("scenario: -p needs a process name");
			}
			process = argv[i];
		} else if (n < 2 && argv[i][0] == '-' && argv[i][1]) {
			free(rest);
			return cli_usage("scenario: unknown option '%s'", argv[i]);
		} else {
			rest[n++] = argv[i];
		}
	}
	if (n < 2) {
		free(rest);
		return cli_usage("scenario WORKBOOK list|show|new|copy|rename|delete|cut|uncut ...");
	}
	c.path = rest[0];
	read_only = !strcmp(rest[1], "list") || !strcmp(rest[1], "show");
	rc = cli_open_workbook(c.path, read_only ? STORE_READONLY : STORE_OPEN, &c.store, &c.wb);
	if (rc == 0) {
		if (!(c.p = cli_pick_process(c.wb, process, c.path)))
			rc = 1;
		else
			rc = do_action(&c, n - 1, rest + 1);
	}
	workbook_free(&c.wb);
	store_close(&c.store);
	free(rest);
	return rc;
}
