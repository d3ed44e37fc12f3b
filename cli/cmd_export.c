/*
 * cmd_export.c - stepmap export WORKBOOK -f FORMAT [-p PROCESS] [-s SCENARIO]
 * -o FILE [--no-bom] [--semicolon]: write a process, or a scenario of it, in
 * another format.
 *
 * The formats[] table maps a -f name (or, without -f, the suffix of FILE) to
 * its writer: adding a format is adding a row. With -s the scenario's cuts
 * are applied (model/scenario.h) and the derived process is written. The
 * workbook is opened read-only; FILE is written whole or not at all
 * (cli_write_atomic: a temporary file renamed into place); "-" is standard
 * output.
 */
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "export/bpmn.h"
#include "export/csv.h"
#include "export/json.h"
#include "model/scenario.h"

struct export_args {
	const char *path, *format, *process, *scenario, *out;
	struct csv_export_opts csv;
};

/* What a writer gets: the workbook, the chosen process (the scenario's
 * derived process with -s), and the arguments. */
struct export_job {
	const struct workbook *wb;
	const struct process *base;  /* as in the workbook; NULL: every process */
	const struct process *p;     /* what to write: base or the derived one */
	const struct scenario *sc;   /* with -s */
	const struct export_args *a;
};

/* --- formats ------------------------------------------------------------- */

static enum status
write_csv(FILE *f, void *ctx, struct err *err)
{
	const struct export_job *j = ctx;

	return csv_export_process(f, j->p, &j->a->csv, err);
}

static enum status
write_json(FILE *f, void *ctx, struct err *err)
{
	const struct export_job *j = ctx;

	return report_json_write(f, j->wb, j->base, j->sc ? j->sc->name : NULL, err);
}

/* BPMN: every process, or the one chosen; with -s the scenario's derived
 * process, its pool named after the scenario. */
static enum status
write_bpmn(FILE *f, void *ctx, struct err *err)
{
	const struct export_job *j = ctx;
	struct process *derived = NULL;
	const struct process *p;
	enum status st;

	if (!j->sc)
		return bpmn_write(f, j->wb, j->base, err);
	if ((st = scenario_apply(j->base, j->sc, &derived, NULL, err)) != STATUS_OK)
		return st;
	p = derived;
	st = bpmn_write_processes(f, &p, 1, j->sc->name, err);
	process_free(&derived);
	return st;
}

/* By -f name, or by the output file's suffix. whole_workbook: without -p
 * the writer takes every process, and -s needs no derived process. */
static const struct export_format {
	const char *name;
	const char *suffix;
	bool whole_workbook;
	enum status (*write)(FILE *f, void *ctx, struct err *err);
} formats[] = {
	{ "csv", ".csv", false, write_csv },
	{ "json", ".json", true, write_json },
	{ "bpmn", ".bpmn", true, write_bpmn },
};

static const struct export_format *
format_named(const char *name)
{
	size_t i;

	for (i = 0; i < sizeof formats / sizeof formats[0]; i++)
		if (!strcmp(formats[i].name, name))
			return &formats[i];
	return NULL;
}

static const struct export_format *
format_by_suffix(const char *path)
{
	size_t i;

	for (i = 0; i < sizeof formats / sizeof formats[0]; i++)
		if (cli_has_suffix(path, formats[i].suffix))
			return &formats[i];
	return NULL;
}

static void
format_list(char *buf, size_t size)
{
	size_t i, len = 0;

	buf[0] = '\0';
	for (i = 0; i < sizeof formats / sizeof formats[0] && len < size; i++) {
		int n = snprintf(buf + len, size - len, "%s%s", i ? ", " : "", formats[i].name);

		if (n < 0)
			break;
		len += (size_t)n;
	}
}

/* --- arguments ------------------------------------------------------------ */

#define USAGE "stepmap export WORKBOOK -f FORMAT [-p PROCESS] [-s SCENARIO] -o FILE"

static int
parse_args(int argc, char **argv, struct export_args *a)
{
	static const struct {
		const char *short_name, *long_name;
		size_t offset;
	} valued[] = {
		{ "-f", "--format", offsetof(struct export_args, format) },
		{ "-p", "--process", offsetof(struct export_args, process) },
		{ "-s", "--scenario", offsetof(struct export_args, scenario) },
		{ "-o", "--output", offsetof(struct export_args, out) },
	};
	int i;
	size_t k;

	memset(a, 0, sizeof *a);
	for (i = 1; i < argc; i++) {
		const char *arg = argv[i];

		for (k = 0; k < sizeof valued / sizeof valued[0]; k++)
			if (!strcmp(arg, valued[k].short_name) || !strcmp(arg, valued[k].long_name))
				break;
		if (k < sizeof valued / sizeof valued[0]) {
			const char **slot = (const char **)(void *)((char *)a + valued[k].offset);

			if (i + 1 >= argc || !argv[i + 1][0])
				return cli_usage("export: %s needs a value (%s)", arg, USAGE);
			if (*slot)
				return cli_usage("export: %s given twice", arg);
			*slot = argv[++i];
		} else if (!strcmp(arg, "--no-bom")) {
			a->csv.no_bom = true;
		} else if (!strcmp(arg, "--semicolon")) {
			a->csv.delimiter = ';';
		} else if (arg[0] == '-' && arg[1]) {
			return cli_usage("export: unknown option '%s'", arg);
		} else if (a->path) {
			return cli_usage("export: one WORKBOOK, got '%s' and '%s'", a->path, arg);
		} else {
			a->path = arg;
		}
	}
	if (!a->path)
		return cli_usage("export: missing WORKBOOK (%s)", USAGE);
	if (!a->out)
		return cli_usage("export: missing -o FILE (- for standard output) (%s)", USAGE);
	return 0;
}

int
cmd_export(int argc, char **argv)
{
	struct export_args a;
	const struct export_format *fmt;
	struct export_job job = { 0 };
	struct store *store = NULL;
	struct workbook *wb = NULL;
	struct process *derived = NULL;
	struct err err = { 0 };
	enum status st;
	char list[128];
	int rc;

	if ((rc = parse_args(argc, argv, &a)) != 0)
		return rc;
	fmt = a.format ? format_named(a.format) : format_by_suffix(a.out);
	if (!fmt) {
		format_list(list, sizeof list);
		if (a.format)
			return cli_usage("export: unknown format '%s'; stepmap writes %s", a.format, list);
		return cli_usage("export: say which format with -f (%s)", list);
	}
	if ((rc = cli_open_workbook(a.path, STORE_READONLY, &store, &wb)) != 0)
		return rc;
	job.wb = wb;
	job.a = &a;
	if (!fmt->whole_workbook || a.process || a.scenario) {
		if (!(job.base = cli_pick_process(wb, a.process, a.path))) {
			rc = 1;
			goto out;
		}
		job.p = job.base;
		if (!a.process && wb->nprocs > 1)
			fprintf(stderr, "stepmap: %s has %zu processes; writing the first, '%s' "
			        "(choose one with -p)\n", a.path, wb->nprocs, job.base->name);
	}
	if (a.scenario) {
		if (!(job.sc = cli_pick_scenario(job.base, a.scenario))) {
			rc = 1;
			goto out;
		}
		if (!fmt->whole_workbook) {
			if ((st = scenario_apply(job.base, job.sc, &derived, NULL, &err)) != STATUS_OK) {
				rc = cli_fail(st, &err);
				goto out;
			}
			job.p = derived;
		}
	}
	st = cli_write_atomic(a.out, fmt->write, &job, &err);
	if (st != STATUS_OK) {
		if (err.msg[0] && strncmp(err.msg, a.out, strlen(a.out)) != 0)
			err_prefix(&err, "%s: ", a.out);
		rc = cli_fail(st, &err);
	}
out:
	process_free(&derived);
	workbook_free(&wb);
	store_close(&store);
	return rc;
}
