/*
 * cmd_export.c - stepmap export WORKBOOK -f FORMAT [-p PROCESS] [-s SCENARIO]
 * -o FILE [--no-bom] [--semicolon]: write a process, or a scenario of it, in
 * another format.
 *
 * A -f name (or, without -f, the suffix of FILE) picks the format from
 * export/formats.h, the one table of them, and writers[] its writer here.
 * With -s the scenario's cuts are applied (model/scenario.h) and the
 * derived process is written (JSON and BPMN apply them in their writers;
 * the pictures and the readout draw the scenario beside the baseline). The
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
#include "export/formats.h"
#include "export/json.h"
#include "export/picture.h"
#include "export/readout.h"
#include "model/scenario.h"

struct export_args {
	const char *path, *format, *process, *scenario, *out;
	const char *paper, *dpi, *chart, *cases, *seed;
	struct csv_export_opts csv;
	struct pic_opts pic;
	enum pic_kind kind;
	struct readout_opts readout;
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

/* Pictures: the blueprint of the baseline (-s: marked with the scenario's
 * difference), or a chart (--chart) of the baseline against -s, simulated
 * with the readout's cases and seed. */
static enum status
write_picture(FILE *f, void *ctx, struct err *err, enum pic_format format)
{
	const struct export_job *j = ctx;
	struct pic_opts o = j->a->pic;

	struct readout *r = NULL;
	enum status st;

	o.format = format;
	if (j->a->kind == PIC_BLUEPRINT)
		return blueprint_write(f, j->base, j->sc, &o, NULL, err);
	if ((st = readout_new(j->base, j->sc, &j->a->readout, &r, err)) != STATUS_OK)
		return st;
	st = readout_chart_write(f, r, j->a->kind, &o, err);
	readout_free(&r);
	return st;
}

static enum status
write_svg(FILE *f, void *ctx, struct err *err)
{
	return write_picture(f, ctx, err, PIC_SVG);
}

static enum status
write_png(FILE *f, void *ctx, struct err *err)
{
	return write_picture(f, ctx, err, PIC_PNG);
}

static enum status
write_pdf(FILE *f, void *ctx, struct err *err)
{
	return write_picture(f, ctx, err, PIC_PDF);
}

static enum status
write_html(FILE *f, void *ctx, struct err *err)
{
	const struct export_job *j = ctx;
	struct readout *r = NULL;
	enum status st;

	if ((st = readout_new(j->base, j->sc, &j->a->readout, &r, err)) != STATUS_OK)
		return st;
	st = readout_html_write(f, r, err);
	readout_free(&r);
	return st;
}

/* The writer of each format (export/formats.h: the table of names,
 * suffixes and what each writes); Markdown writes several files and is
 * done in cmd_export. */
static enum status (*const writers[EXPORT_FORMAT_COUNT_])(FILE *f, void *ctx,
                                                          struct err *err) = {
	[EXPORT_CSV] = write_csv,
	[EXPORT_JSON] = write_json,
	[EXPORT_BPMN] = write_bpmn,
	[EXPORT_SVG] = write_svg,
	[EXPORT_PNG] = write_png,
	[EXPORT_PDF] = write_pdf,
	[EXPORT_HTML] = write_html,
	[EXPORT_MD] = NULL,
};

/* --- arguments ------------------------------------------------------------ */

#define USAGE "stepmap export WORKBOOK -f FORMAT [-p PROCESS] [-s SCENARIO] [--paper a4|a3] " \
	"[--dpi N] [--chart KIND] [--cases N] [--seed S] -o FILE"

/* The pictures' and the readout's options, checked. */
static int
picture_args(struct export_args *a)
{
	char *end;

	a->pic.paper = PIC_PAPER_A4;
	a->pic.dpi = PIC_DEFAULT_DPI;
	a->kind = PIC_BLUEPRINT;
	readout_opts_init(&a->readout);
	a->readout.paper = PIC_PAPER_A4;
	if (a->paper) {
		int k = pic_paper_parse(a->paper);

		if (k < 0)
			return cli_usage("export: --paper: expected a4 or a3, got '%s'", a->paper);
		a->pic.paper = (enum pic_paper)k;
		a->readout.paper = (enum pic_paper)k;
	}
	if (a->dpi) {
		double d = strtod(a->dpi, &end);

		if (*end || !(d >= 10 && d <= PIC_MAX_DPI))
			return cli_usage("export: --dpi: expected a number from 10 to %g, got '%s'",
			                 PIC_MAX_DPI, a->dpi);
		a->pic.dpi = d;
	}
	if (a->chart) {
		int k = pic_kind_parse(a->chart);

		if (k < 0)
			return cli_usage("export: --chart: expected blueprint, distribution, thread, "
			                 "time or emotion, got '%s'", a->chart);
		a->kind = (enum pic_kind)k;
	}
	if (a->cases) {
		unsigned long long n = strtoull(a->cases, &end, 10);

		if (*end || a->cases[0] == '-' || n < 10 || n > 10000000)
			return cli_usage("export: --cases: expected a whole number from 10 to 10000000, "
			                 "got '%s'", a->cases);
		a->readout.cases = (size_t)n;
	}
	if (a->seed) {
		unsigned long long n = strtoull(a->seed, &end, 10);

		if (*end || a->seed[0] == '-' || !a->seed[0])
			return cli_usage("export: --seed: expected a whole number, got '%s'", a->seed);
		a->readout.seed = n;
	}
	return 0;
}

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
		{ "--paper", "--paper", offsetof(struct export_args, paper) },
		{ "--dpi", "--dpi", offsetof(struct export_args, dpi) },
		{ "--chart", "--chart", offsetof(struct export_args, chart) },
		{ "--cases", "--cases", offsetof(struct export_args, cases) },
		{ "--seed", "--seed", offsetof(struct export_args, seed) },
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
	return picture_args(a);
}

int
cmd_export(int argc, char **argv)
{
	struct export_args a;
	const struct export_format_info *fmt;
	struct export_job job = { 0 };
	struct store *store = NULL;
	struct workbook *wb = NULL;
	struct process *derived = NULL;
	struct err err = { 0 };
	enum status st;
	int rc, f;

	if ((rc = parse_args(argc, argv, &a)) != 0)
		return rc;
	f = a.format ? export_format_named(a.format) : export_format_of_path(a.out);
	if (f < 0) {
		if (a.format)
			return cli_usage("export: unknown format '%s'; stepmap writes %s", a.format,
			                 export_format_names());
		return cli_usage("export: say which format with -f (%s)", export_format_names());
	}
	fmt = export_format_info((enum export_format)f);
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
		if (!fmt->whole_workbook && !fmt->own_scenario) {
			if ((st = scenario_apply(job.base, job.sc, &derived, NULL, &err)) != STATUS_OK) {
				rc = cli_fail(st, &err);
				goto out;
			}
			job.p = derived;
		}
	}
	if (writers[f]) {
		st = cli_write_atomic(a.out, writers[f], &job, &err);
	} else {
		/* Markdown: the text and its pictures, each written whole */
		struct readout *r = NULL;

		st = readout_new(job.base, job.sc, &a.readout, &r, &err);
		if (st == STATUS_OK)
			st = readout_md_files(a.out, r, cli_write_atomic, &err);
		readout_free(&r);
	}
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
