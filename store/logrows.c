/*
 * logrows.c - the logs table (issue 13): the summary of the event log a
 * process was made from (model/logsum.h), one row per process, read with
 * the workbook and written with it.
 *
 * durations is text, each case's duration in seconds separated by spaces
 * (%.17g: read back exact); top_variants one line per variant, its count
 * then each activity after a tab. Activity names never hold a tab or a line
 * break (the readers make names one line).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/store_int.h"

/* durations as text, malloc'd. */
static char *
durations_text(const struct log_summary *l)
{
	size_t cap = l->ndurations * 26 + 1, len = 0, i;
	char *t = malloc(cap);

	if (!t)
		return NULL;
	t[0] = '\0';
	for (i = 0; i < l->ndurations; i++)
		len += (size_t)snprintf(t + len, cap - len, "%s%.17g", i ? " " : "", l->durations[i]);
	return t;
}

static char *
variants_text(const struct log_summary *l)
{
	size_t cap = 1, len = 0, i;
	char *t, *p;
	const char *a;

	for (i = 0; i < l->ntop; i++)
		cap += 24 + strlen(l->top[i].acts);
	if (!(t = malloc(cap)))
		return NULL;
	t[0] = '\0';
	for (i = 0; i < l->ntop; i++) {
		len += (size_t)snprintf(t + len, cap - len, "%zu", l->top[i].cases);
		for (a = l->top[i].acts; *a; a = p + 1) {
			if (!(p = strchr(a, '\n')))
				p = (char *)a + strlen(a) - 1;
			len += (size_t)snprintf(t + len, cap - len, "\t%.*s", (int)(p - a), a);
		}
		len += (size_t)snprintf(t + len, cap - len, "\n");
	}
	return t;
}

enum status
logrows_save(struct store *s, const struct process *p, struct err *err)
{
	static const char sql[] =
		"INSERT OR REPLACE INTO logs(process, cases, events, activities, resources, variants,"
		" top_variant_cases, dfg_edges, events_on_map, split, durations, top_variants)"
		" VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)";
	const struct log_summary *l = p->log;
	sqlite3_stmt *st = NULL;
	char *dur = NULL, *var = NULL;
	enum status ret = STATUS_OK;
	int rc;

	if (!l)
		return STATUS_OK;
	if (!(dur = durations_text(l)) || !(var = variants_text(l))) {
		ret = err_set(err, STATUS_NOMEM, "out of memory");
		goto out;
	}
	if ((rc = sqlite3_prepare_v2(s->db, sql, -1, &st, NULL)) != SQLITE_OK) {
		ret = store_sql_err(s, rc, "save", err);
		goto out;
	}
	sqlite3_bind_int64(st, 1, p->id);
	sqlite3_bind_int64(st, 2, (sqlite3_int64)l->cases);
	sqlite3_bind_int64(st, 3, (sqlite3_int64)l->events);
	sqlite3_bind_int64(st, 4, (sqlite3_int64)l->activities);
	sqlite3_bind_int64(st, 5, (sqlite3_int64)l->resources);
	sqlite3_bind_int64(st, 6, (sqlite3_int64)l->variants);
	sqlite3_bind_int64(st, 7, (sqlite3_int64)l->top_variant_cases);
	sqlite3_bind_int64(st, 8, (sqlite3_int64)l->dfg_edges);
	sqlite3_bind_int64(st, 9, (sqlite3_int64)l->events_on_map);
	sqlite3_bind_int(st, 10, l->split);
	sqlite3_bind_text(st, 11, dur, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 12, var, -1, SQLITE_STATIC);
	if ((rc = sqlite3_step(st)) != SQLITE_DONE)
		ret = store_sql_err(s, rc, "save", err);
out:
	sqlite3_finalize(st);
	free(dur);
	free(var);
	return ret;
}

static enum status
parse_durations(struct log_summary *l, const char *t)
{
	size_t n = 0, i;
	const char *p;
	char *end;

	for (p = t; *p; p++)
		n += *p == ' ';
	n += *t != '\0';
	if (n && !(l->durations = malloc(n * sizeof *l->durations)))
		return STATUS_NOMEM;
	for (i = 0, p = t; i < n; i++, p = end) {
		l->durations[i] = strtod(p, &end);
		if (end == p)
			return STATUS_CORRUPT;
	}
	l->ndurations = n;
	return STATUS_OK;
}

static enum status
parse_variants(struct log_summary *l, const char *t)
{
	size_t n = 0, i, len;
	const char *p, *eol;
	char *q;

	for (p = t; *p; p++)
		n += *p == '\n';
	if (n && !(l->top = calloc(n, sizeof *l->top)))
		return STATUS_NOMEM;
	for (i = 0, p = t; i < n; i++, p = eol + 1) {
		eol = strchr(p, '\n');
		l->top[i].cases = strtoul(p, NULL, 10);
		p = strchr(p, '\t');
		if (!p || p > eol)
			p = eol;
		len = (size_t)(eol - p);
		if (!(l->top[i].acts = malloc(len + 1)))
			return STATUS_NOMEM;
		l->ntop++;
		/* "\tA\tB" -> "A\nB\n" */
		memcpy(l->top[i].acts, p + (len > 0), len ? len - 1 : 0);
		l->top[i].acts[len ? len - 1 : 0] = '\0';
		for (q = l->top[i].acts; *q; q++)
			if (*q == '\t')
				*q = '\n';
		if (len)
			strcat(l->top[i].acts, "\n");
	}
	return STATUS_OK;
}

enum status
logrows_load(struct store *s, struct workbook *w, bool missing_only, struct err *err)
{
	static const char sql[] =
		"SELECT process, cases, events, activities, resources, variants, top_variant_cases,"
		" dfg_edges, events_on_map, split, durations, top_variants FROM logs";
	sqlite3_stmt *st = NULL;
	enum status ret = STATUS_OK;
	int rc;

	/* a salvaged workbook older than the logs table (version 4) has none */
	if (s->salvage && !store_has_column(s, "logs", "process"))
		return STATUS_OK;
	if ((rc = sqlite3_prepare_v2(s->db, sql, -1, &st, NULL)) != SQLITE_OK)
		return store_sql_err(s, rc, "load", err);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct process *p = workbook_process(w, sqlite3_column_int64(st, 0));
		struct log_summary *l;
		const char *dur, *var;

		if (!p || (missing_only && p->log))
			continue;
		dur = (const char *)sqlite3_column_text(st, 10);
		var = (const char *)sqlite3_column_text(st, 11);
		if (!(l = calloc(1, sizeof *l))) {
			ret = err_set(err, STATUS_NOMEM, "out of memory");
			break;
		}
		l->cases = (size_t)sqlite3_column_int64(st, 1);
		l->events = (size_t)sqlite3_column_int64(st, 2);
		l->activities = (size_t)sqlite3_column_int64(st, 3);
		l->resources = (size_t)sqlite3_column_int64(st, 4);
		l->variants = (size_t)sqlite3_column_int64(st, 5);
		l->top_variant_cases = (size_t)sqlite3_column_int64(st, 6);
		l->dfg_edges = (size_t)sqlite3_column_int64(st, 7);
		l->events_on_map = (size_t)sqlite3_column_int64(st, 8);
		l->split = sqlite3_column_int(st, 9) != 0;
		log_summary_free(&p->log);
		p->log = l;
		if ((ret = parse_durations(l, dur ? dur : "")) != STATUS_OK ||
		    (ret = parse_variants(l, var ? var : "")) != STATUS_OK) {
			ret = ret == STATUS_NOMEM ? err_set(err, ret, "out of memory")
			    : err_set(err, ret, "%s: workbook is damaged (the log summary of "
			              "process %lld)", s->path, (long long)p->id);
			break;
		}
	}
	if (ret == STATUS_OK && rc != SQLITE_DONE)
		ret = store_sql_err(s, rc, "load", err);
	sqlite3_finalize(st);
	return ret;
}
