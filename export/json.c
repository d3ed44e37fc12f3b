/*
 * json.c - the report of a workbook as JSON (json.h): the figures of each
 * process and of each of its scenarios, and the JSON string and number
 * writers.
 *
 * The whole object is built in memory first (open_memstream) and written to
 * the caller's FILE only when everything has been computed, so an error
 * leaves the output untouched.
 */
#include "export/json.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "model/scenario.h"

/* --- strings and numbers --------------------------------------------------- */

/* The length of the valid UTF-8 sequence at p (1..4), or 0 when invalid. */
static size_t
utf8_valid(const unsigned char *p)
{
	unsigned c = p[0];
	size_t n, i;
	unsigned long cp;

	if (c < 0x80)
		return 1;
	if (c >= 0xc2 && c <= 0xdf)
		n = 2, cp = c & 0x1f;
	else if (c >= 0xe0 && c <= 0xef)
		n = 3, cp = c & 0x0f;
	else if (c >= 0xf0 && c <= 0xf4)
		n = 4, cp = c & 0x07;
	else
		return 0;
	for (i = 1; i < n; i++) {
		if ((p[i] & 0xc0) != 0x80)
			return 0;
		cp = cp << 6 | (p[i] & 0x3f);
	}
	/* Overlong forms, surrogates and beyond U+10FFFF are not UTF-8. */
	if ((n == 3 && cp < 0x800) || (n == 4 && (cp < 0x10000 || cp > 0x10ffff)) ||
	    (cp >= 0xd800 && cp <= 0xdfff))
		return 0;
	return n;
}

void
json_write_string(FILE *f, const char *s)
{
	const unsigned char *p = (const unsigned char *)(s ? s : "");

	fputc('"', f);
	while (*p) {
		size_t n;

		switch (*p) {
		case '"':  fputs("\\\"", f); p++; continue;
		case '\\': fputs("\\\\", f); p++; continue;
		case '\b': fputs("\\b", f); p++; continue;
		case '\f': fputs("\\f", f); p++; continue;
		case '\n': fputs("\\n", f); p++; continue;
		case '\r': fputs("\\r", f); p++; continue;
		case '\t': fputs("\\t", f); p++; continue;
		default:
			break;
		}
		if (*p < 0x20) {
			fprintf(f, "\\u%04x", *p);
			p++;
			continue;
		}
		n = utf8_valid(p);
		if (n == 0) {
			fputs("\\ufffd", f);
			p++;
			continue;
		}
		fwrite(p, 1, n, f);
		p += n;
	}
	fputc('"', f);
}

void
json_write_number(FILE *f, double x)
{
	char buf[32];

	if (!isfinite(x)) {
		fputs("null", f);
		return;
	}
	if (x == 0)
		x = 0;                   /* no "-0" */
	snprintf(buf, sizeof buf, "%.15g", x);
	if (strtod(buf, NULL) != x)
		snprintf(buf, sizeof buf, "%.17g", x);
	fputs(buf, f);
}

/* --- figures ------------------------------------------------------------------- */

enum status
report_scenario_figures(const struct process *base, const struct scenario *sc,
                        struct process **derived, struct figures *fig, size_t *stale,
                        struct err *err)
{
	bool *flags = NULL;
	enum status st;
	size_t i;

	*derived = NULL;
	*stale = 0;
	memset(fig, 0, sizeof *fig);
	st = scenario_apply(base, sc, derived, &flags, err);
	if (st != STATUS_OK)
		return st;
	for (i = 0; i < sc->ncuts; i++)
		*stale += flags[i];
	free(flags);
	st = figures_compute(*derived, fig);
	if (st != STATUS_OK) {
		process_free(derived);
		return err_set(err, st, "scenario '%s': %s", sc->name, status_text(st));
	}
	return STATUS_OK;
}

static void
key(FILE *f, const char *k)
{
	json_write_string(f, k);
	fputc(':', f);
}

static void
key_count(FILE *f, const char *k, size_t n)
{
	key(f, k);
	fprintf(f, "%zu,", n);
}

static void
key_number(FILE *f, const char *k, double x)
{
	key(f, k);
	json_write_number(f, x);
	fputc(',', f);
}

static const char *
step_name_of(const struct process *p, sm_id id)
{
	const struct step *s = process_step(p, id);

	return s ? s->name : NULL;
}

/* "golden_thread": each customer-clock measure beside the process-clock
 * measure it is paired with (figures_golden()) and the gap. */
static void
write_golden_thread(FILE *f, const struct process *p, const struct figures *fg)
{
	struct golden g;
	size_t i;
	bool first = true;

	key(f, "golden_thread");
	fputc('[', f);
	for (i = 0; i < p->nmeasures; i++) {
		if (!figures_golden(p, fg, i, &g))
			continue;
		if (!first)
			fputc(',', f);
		first = false;
		fputc('{', f);
		key(f, "customer");
		json_write_string(f, p->measures[g.customer]->name);
		fputc(',', f);
		key(f, "process");
		if (g.process == NPOS_MEASURE)
			fputs("null", f);
		else
			json_write_string(f, p->measures[g.process]->name);
		fputc(',', f);
		key_number(f, "customer_s", g.customer_s);
		key_number(f, "process_s", g.process_s);
		key(f, "gap_s");
		json_write_number(f, g.gap_s);
		fputc('}', f);
	}
	fputc(']', f);
}

/* The keys a process and a scenario share, from "steps" to "golden_thread". */
static void
write_body(FILE *f, const struct process *p, const struct figures *fg)
{
	size_t i;
	bool first;

	key_count(f, "steps", fg->steps);
	key_count(f, "handoffs", fg->handoffs);
	key_count(f, "touchpoints", fg->touchpoints);
	key_count(f, "manual_steps", fg->manual_steps);
	key_count(f, "pain_points", fg->pain_points);
	key_number(f, "lead_time_s", fg->lead_time_s);
	key_number(f, "work_time_s", fg->work_time_s);
	key_number(f, "wait_time_s", fg->wait_time_s);
	key_number(f, "va_time_s", fg->va_time_s);
	key_number(f, "pce", fg->pce);
	key_number(f, "rty", fg->rty);
	key_number(f, "cost", fg->cost);
	key(f, "expected_without_queueing");
	fputs(fg->queueing_left_out ? "true," : "false,", f);
	key(f, "expected_joins_approximate");
	fputs(fg->joins_approximate ? "true," : "false,", f);

	key(f, "by_stage");
	fputc('{', f);
	for (i = 0; i < STAGE_COUNT_; i++) {
		if (i)
			fputc(',', f);
		key(f, stage_name((enum stage)i));
		fprintf(f, "%zu", fg->by_stage[i]);
	}
	fputs("},", f);
	key_count(f, "no_lane", fg->no_lane);

	key(f, "by_type");
	fputc('{', f);
	for (i = 0, first = true; i < STEP_TYPE_COUNT_; i++) {
		if (!fg->by_type[i])
			continue;
		if (!first)
			fputc(',', f);
		first = false;
		key(f, step_type_name((enum step_type)i));
		fprintf(f, "%zu", fg->by_type[i]);
	}
	fputs("},", f);

	key(f, "by_lane");
	fputc('[', f);
	for (i = 0; i < p->nlanes && i < fg->nlanes; i++) {
		const struct lane *l = p->lanes[i];

		if (i)
			fputc(',', f);
		fputc('{', f);
		key(f, "name");
		json_write_string(f, l->name);
		fputc(',', f);
		key(f, "stage");
		json_write_string(f, stage_name(l->stage));
		fputc(',', f);
		key_count(f, "capacity", (size_t)(l->capacity > 0 ? l->capacity : 0));
		key(f, "steps");
		fprintf(f, "%zu}", fg->by_lane[i]);
	}
	fputs("],", f);

	key(f, "measures");
	fputc('[', f);
	for (i = 0; i < p->nmeasures && i < fg->nmeasures; i++) {
		const struct measure *m = p->measures[i];

		if (i)
			fputc(',', f);
		fputc('{', f);
		key(f, "name");
		json_write_string(f, m->name);
		fputc(',', f);
		key(f, "from");
		json_write_string(f, step_name_of(p, m->from));
		fputc(',', f);
		key(f, "to");
		json_write_string(f, step_name_of(p, m->to));
		fputc(',', f);
		key(f, "clock");
		json_write_string(f, clock_name(m->clock));
		fputc(',', f);
		key(f, "expected_s");
		json_write_number(f, fg->measures[i].expected_s);
		fputc('}', f);
	}
	fputs("],", f);
	write_golden_thread(f, p, fg);
}

static void
key_durations(FILE *f, const char *k, double mean, double p50, double p90)
{
	key(f, k);
	fputs("{\"mean\":", f);
	json_write_number(f, mean);
	fputs(",\"p50\":", f);
	json_write_number(f, p50);
	fputs(",\"p90\":", f);
	json_write_number(f, p90);
	fputc('}', f);
}

/* ,"log":{...} for a process made from an event log (issue 13): what the
 * log says beside a simulation of the map. A map that cannot be simulated
 * gives nulls for the simulated figures. */
static void
write_log(FILE *f, const struct process *p)
{
	const struct log_summary *l = p->log;
	struct log_check c;
	struct err err = { 0 };

	log_check_run(p, LOG_CHECK_CASES, LOG_CHECK_SEED, &c, &err);
	fputc(',', f);
	key(f, "log");
	fputc('{', f);
	key_count(f, "cases", l->cases);
	key_count(f, "events", l->events);
	key_count(f, "activities", l->activities);
	key_count(f, "variants", l->variants);
	key_count(f, "top_variant_cases", l->top_variant_cases);
	key_count(f, "dfg_edges", l->dfg_edges);
	key_number(f, "events_on_map_pct", log_events_on_map_pct(l));
	key_durations(f, "case_duration_s", c.obs_mean, c.obs_p50, c.obs_p90);
	fputc(',', f);
	key_durations(f, "simulated_case_duration_s", c.sim_mean, c.sim_p50, c.sim_p90);
	fputc(',', f);
	key(f, "cycle_time_emd_h");
	json_write_number(f, c.emd_h);
	fputc('}', f);
}

static enum status
write_process(FILE *f, const struct process *p, const char *scenario_only, struct err *err)
{
	struct figures fg;
	enum status st;
	size_t i;
	bool first = true;

	if ((st = figures_compute(p, &fg)) != STATUS_OK)
		return err_set(err, st, "process '%s': %s", p->name, status_text(st));
	fputc('{', f);
	key(f, "name");
	json_write_string(f, p->name);
	fputc(',', f);
	key(f, "time_unit");
	json_write_string(f, time_unit_name(p->time_unit));
	fputc(',', f);
	write_body(f, p, &fg);
	figures_done(&fg);
	if (p->log)
		write_log(f, p);
	fputc(',', f);
	key(f, "scenarios");
	fputc('[', f);
	for (i = 0; i < p->nscenarios; i++) {
		const struct scenario *sc = p->scenarios[i];
		struct process *d;
		size_t stale;

		if (scenario_only && strcmp(sc->name, scenario_only))
			continue;
		if ((st = report_scenario_figures(p, sc, &d, &fg, &stale, err)) != STATUS_OK)
			return st;
		if (!first)
			fputc(',', f);
		first = false;
		fputc('{', f);
		key(f, "name");
		json_write_string(f, sc->name);
		fputc(',', f);
		key_count(f, "cuts", sc->ncuts);
		key_count(f, "stale_cuts", stale);
		write_body(f, d, &fg);
		fputc('}', f);
		figures_done(&fg);
		process_free(&d);
	}
	fputs("]}", f);
	return STATUS_OK;
}

enum status
report_json_write(FILE *f, const struct workbook *w, const struct process *only,
                  const char *scenario_only, struct err *err)
{
	char *buf = NULL;
	size_t len = 0, i;
	FILE *m;
	enum status st = STATUS_OK;
	bool first = true;

	if (scenario_only) {
		bool found = false;

		for (i = 0; i < w->nprocs && !found; i++)
			if (!only || w->procs[i] == only)
				found = process_scenario_named(w->procs[i], scenario_only) != NULL;
		if (!found)
			return err_set(err, STATUS_NOT_FOUND, "no scenario named '%s'%s%s%s",
			               scenario_only, only ? " in process '" : "",
			               only ? only->name : "", only ? "'" : "");
	}
	if (!(m = open_memstream(&buf, &len)))
		return err_set(err, STATUS_NOMEM, "out of memory");
	fputs("{\"processes\":[", m);
	for (i = 0; i < w->nprocs && st == STATUS_OK; i++) {
		const struct process *p = w->procs[i];

		if (only && p != only)
			continue;
		if (!first)
			fputc(',', m);
		first = false;
		st = write_process(m, p, scenario_only, err);
	}
	fputs("]}\n", m);
	if (fclose(m) != 0 && st == STATUS_OK)
		st = err_set(err, STATUS_NOMEM, "out of memory");
	if (st == STATUS_OK && fwrite(buf, 1, len, f) != len)
		st = err_set(err, STATUS_IO, "cannot write the report: %s", strerror(errno));
	free(buf);
	return st;
}
