/*
 * readout.c - the readout (readout.h): its figures computed once, then
 * written as HTML or Markdown through one set of small writers (headings,
 * paragraphs, tables, pictures), so the two say the same thing.
 */
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "export/json.h"
#include "export/picture_int.h"
#include "export/readout.h"
#include "model/figures.h"
#include "model/scenario.h"
#include "model/sim.h"

#include <sys/stat.h>

#define READOUT_MAX_VISITS 2e7

struct rscen {
	const struct scenario *sc;
	struct process *derived;
	struct figures f;
	size_t stale;
	struct sim_result sim;
	bool sim_ok;
	char sim_msg[ERR_MSG_MAX];
};

struct readout {
	const struct process *base;
	const struct scenario *pic_sc;   /* the pictures' scenario; NULL: none */
	struct rscen *pic;               /* its entry in scen */
	struct readout_opts o;
	struct figures f;
	struct sim_result sim;
	bool sim_ok;
	char sim_msg[ERR_MSG_MAX];
	size_t cases;
	bool cases_reduced;
	struct rscen *scen;
	size_t nscen;
};

void
readout_opts_init(struct readout_opts *o)
{
	memset(o, 0, sizeof *o);
	o->seed = SIM_DEFAULT_SEED;
	o->paper = PIC_PAPER_A4;
}

static void
simulate(const struct readout *r, const struct process *p, struct sim_result *res, bool *ok,
         char *msg)
{
	struct sim_options so;
	struct err err = { 0 };

	sim_options_init(&so);
	so.cases = r->cases;
	so.seed = r->o.seed;
	*ok = sim_run(p, &so, res, &err) == STATUS_OK;
	if (!*ok)
		snprintf(msg, ERR_MSG_MAX, "%s", err.msg[0] ? err.msg : "the simulation failed");
}

enum status
readout_new(const struct process *base, const struct scenario *sc,
            const struct readout_opts *o, struct readout **out, struct err *err)
{
	struct readout *r = calloc(1, sizeof *r);
	size_t i, n;
	enum status st;

	*out = NULL;
	if (!r)
		return err_set(err, STATUS_NOMEM, "out of memory");
	r->base = base;
	r->o = *o;
	r->pic_sc = sc ? sc : base->nscenarios ? base->scenarios[0] : NULL;
	r->cases = o->cases;
	if (!r->cases) {
		double most = READOUT_MAX_VISITS / (double)(base->nsteps ? base->nsteps : 1);

		r->cases = SIM_DEFAULT_CASES;
		if (most < r->cases) {
			r->cases = most < 100 ? 100 : (size_t)most;
			r->cases_reduced = true;
		}
	}
	if ((st = figures_compute(base, &r->f)) != STATUS_OK) {
		free(r);
		return err_set(err, st, "out of memory");
	}
	n = sc ? 1 : base->nscenarios;
	if (n && !(r->scen = calloc(n, sizeof *r->scen))) {
		readout_free(&r);
		return err_set(err, STATUS_NOMEM, "out of memory");
	}
	simulate(r, base, &r->sim, &r->sim_ok, r->sim_msg);
	for (i = 0; i < n; i++) {
		struct rscen *s = &r->scen[r->nscen];

		s->sc = sc ? sc : base->scenarios[i];
		if ((st = report_scenario_figures(base, s->sc, &s->derived, &s->f, &s->stale, err)) !=
		    STATUS_OK) {
			readout_free(&r);
			return st;
		}
		r->nscen++;
		simulate(r, s->derived, &s->sim, &s->sim_ok, s->sim_msg);
		if (s->sc == r->pic_sc)
			r->pic = s;
	}
	*out = r;
	return STATUS_OK;
}

void
readout_free(struct readout **rp)
{
	struct readout *r = *rp;
	size_t i;

	if (!r)
		return;
	for (i = 0; i < r->nscen; i++) {
		process_free(&r->scen[i].derived);
		figures_done(&r->scen[i].f);
		sim_result_done(&r->scen[i].sim);
	}
	free(r->scen);
	figures_done(&r->f);
	sim_result_done(&r->sim);
	free(r);
	*rp = NULL;
}

/* --- pictures ---------------------------------------------------------------- */

static void
chart_data_of(const struct readout *r, struct chart_data *d)
{
	memset(d, 0, sizeof *d);
	d->base = r->base;
	d->sim_base = r->sim_ok ? &r->sim : NULL;
	if (r->pic) {
		d->sc = r->pic->sc;
		d->derived = r->pic->derived;
		d->sim_sc = r->pic->sim_ok ? &r->pic->sim : NULL;
	}
}

enum status
readout_chart_write(FILE *f, const struct readout *r, enum pic_kind kind,
                    const struct pic_opts *o, struct err *err)
{
	struct chart_data d;

	if (kind == PIC_BLUEPRINT)
		return blueprint_write(f, r->base, r->pic_sc, o, NULL, err);
	chart_data_of(r, &d);
	return chart_write(f, kind, &d, o, err);
}

/* The pictures in order: the blueprint, its scenario's difference (when
 * there is a scenario), then each chart. */
static const struct {
	const char *file, *title;
	enum pic_kind kind;
	bool scenario;
} assets[] = {
	{ "blueprint.svg", "Service blueprint (baseline)", PIC_BLUEPRINT, false },
	{ "blueprint-scenario.svg", "Service blueprint: the scenario's difference", PIC_BLUEPRINT, true },
	{ "distribution.svg", "Each measure, simulated", PIC_DIST, false },
	{ "thread.svg", "The golden thread", PIC_THREAD, false },
	{ "time.svg", "Where the time goes", PIC_TIME, false },
	{ "emotion.svg", "The customer's emotion along the journey", PIC_EMOTION, false },
};
#define NASSETS (sizeof assets / sizeof assets[0])

/* The k-th picture this readout has (skipping the scenario's when none). */
static size_t
asset_index(const struct readout *r, size_t k)
{
	size_t i;

	for (i = 0; i < NASSETS; i++) {
		if (assets[i].scenario && !r->pic_sc)
			continue;
		if (k-- == 0)
			return i;
	}
	return NASSETS;
}

size_t
readout_nassets(const struct readout *r)
{
	return r->pic_sc ? NASSETS : NASSETS - 1;
}

const char *
readout_asset_name(const struct readout *r, size_t k)
{
	size_t i = asset_index(r, k);

	return i < NASSETS ? assets[i].file : "";
}

enum status
readout_asset_write(FILE *f, const struct readout *r, size_t k, struct err *err)
{
	size_t i = asset_index(r, k);
	struct pic_opts o = { PIC_SVG, r->o.paper, 0 };
	struct chart_data d;

	if (i >= NASSETS)
		return err_set(err, STATUS_INTERNAL, "no picture %zu", k);
	if (assets[i].kind == PIC_BLUEPRINT)
		return blueprint_write(f, r->base, assets[i].scenario ? r->pic_sc : NULL, &o, NULL, err);
	chart_data_of(r, &d);
	return chart_write(f, assets[i].kind, &d, &o, err);
}

/* --- the writers: HTML or Markdown ---------------------------------------------- */

struct rd {
	FILE *f;
	bool html;
	const char *assets;
	const struct readout *r;
	enum status st;
	struct err *err;
	size_t svg_no;
};

/* The unit the readout's times are shown in: its process's. */
static enum time_unit
rd_unit(const struct rd *d)
{
	return d->r->base->time_unit;
}

static void
esc(struct rd *d, const char *s)
{
	const unsigned char *p;

	if (!s)
		return;
	for (p = (const unsigned char *)s; *p; p++) {
		if (d->html) {
			switch (*p) {
			case '&': fputs("&amp;", d->f); break;
			case '<': fputs("&lt;", d->f); break;
			case '>': fputs("&gt;", d->f); break;
			case '"': fputs("&quot;", d->f); break;
			default: fputc(*p, d->f);
			}
		} else {
			if (strchr("|\\*_`[]<>#", *p))
				fputc('\\', d->f);
			fputc(*p == '\n' ? ' ' : *p, d->f);
		}
	}
}

static void
h(struct rd *d, int level, const char *text)
{
	if (d->html) {
		fprintf(d->f, "<h%d>", level);
		esc(d, text);
		fprintf(d->f, "</h%d>\n", level);
	} else {
		fprintf(d->f, "\n%.*s ", level, "######");
		esc(d, text);
		fputs("\n\n", d->f);
	}
}

/* A paragraph of plain text, formatted. */
static void
para(struct rd *d, const char *cls, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void
para(struct rd *d, const char *cls, const char *fmt, ...)
{
	char buf[4096];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);
	if (d->html) {
		fprintf(d->f, "<p%s%s%s>", cls ? " class=\"" : "", cls ? cls : "", cls ? "\"" : "");
		esc(d, buf);
		fputs("</p>\n", d->f);
	} else {
		esc(d, buf);
		fputs("\n\n", d->f);
	}
}

/* A table of n columns, the first ntext of them text (left-aligned), the
 * others figures (right-aligned). */
static void
table_begin(struct rd *d, const char *const *heads, size_t n, size_t ntext)
{
	size_t i;

	if (d->html) {
		fputs("<table><thead><tr>", d->f);
		for (i = 0; i < n; i++) {
			fputs(i >= ntext ? "<th class=\"n\">" : "<th>", d->f);
			esc(d, heads[i]);
			fputs("</th>", d->f);
		}
		fputs("</tr></thead><tbody>\n", d->f);
	} else {
		fputs("|", d->f);
		for (i = 0; i < n; i++) {
			fputc(' ', d->f);
			esc(d, heads[i]);
			fputs(" |", d->f);
		}
		fputs("\n|", d->f);
		for (i = 0; i < n; i++)
			fputs(i >= ntext ? " ---: |" : " --- |", d->f);
		fputc('\n', d->f);
	}
}

static void
row_begin(struct rd *d)
{
	fputs(d->html ? "<tr>" : "|", d->f);
}

static void
row_end(struct rd *d)
{
	fputs(d->html ? "</tr>\n" : "\n", d->f);
}

/* One cell, text (left-aligned) or a figure; with key, the exact value rides along (data-key, data-value,
 * data-of: "" for the baseline or the scenario's name). */
static void
cell(struct rd *d, bool text_cell, const char *text, const char *key, const char *of,
     double value)
{
	if (d->html) {
		fputs(text_cell ? "<td" : strlen(text) > 24 ? "<td class=\"w\"" : "<td class=\"n\"", d->f);
		if (key) {
			fprintf(d->f, " data-key=\"%s\" data-of=\"", key);
			esc(d, of ? of : "");
			fputs("\" data-value=\"", d->f);
			json_write_number(d->f, value);
			fputs("\"", d->f);
		}
		fputs(">", d->f);
		esc(d, text);
		fputs("</td>", d->f);
	} else {
		fputc(' ', d->f);
		esc(d, text);
		fputs(" |", d->f);
	}
}

static void
table_end(struct rd *d)
{
	fputs(d->html ? "</tbody></table>\n" : "\n", d->f);
}

/* --- SVG inline -------------------------------------------------------------------- */

/* A picture as SVG in memory, its ids prefixed so several can share one
 * page, the XML declaration left out. */
static enum status
svg_inline(struct rd *d, size_t k)
{
	char *buf = NULL, *p, prefix[24];
	size_t len = 0;
	FILE *m = open_memstream(&buf, &len);
	enum status st;

	if (!m)
		return err_set(d->err, STATUS_NOMEM, "out of memory");
	st = readout_asset_write(m, d->r, k, d->err);
	if (fclose(m) != 0 && st == STATUS_OK)
		st = err_set(d->err, STATUS_NOMEM, "out of memory");
	if (st != STATUS_OK) {
		free(buf);
		return st;
	}
	snprintf(prefix, sizeof prefix, "p%zu-", ++d->svg_no);
	p = strstr(buf, "<svg");
	if (!p)
		p = buf;
	while (*p) {
		static const char *const pats[] = { "id=\"", "href=\"#", "url(#" };
		size_t i;
		bool hit = false;

		for (i = 0; i < 3; i++) {
			size_t n = strlen(pats[i]);

			if (!strncmp(p, pats[i], n)) {
				fwrite(p, 1, n, d->f);
				fputs(prefix, d->f);
				p += n;
				hit = true;
				break;
			}
		}
		if (!hit)
			fputc(*p++, d->f);
	}
	free(buf);
	return STATUS_OK;
}

static void
picture(struct rd *d, size_t k)
{
	size_t i = asset_index(d->r, k);

	if (i >= NASSETS || d->st != STATUS_OK)
		return;
	if (d->html) {
		fprintf(d->f, "<figure class=\"pic\" data-picture=\"%s\">", assets[i].file);
		d->st = svg_inline(d, k);
		fputs("<figcaption>", d->f);
		esc(d, assets[i].title);
		fputs("</figcaption></figure>\n", d->f);
	} else {
		fputs("![", d->f);
		esc(d, assets[i].title);
		fprintf(d->f, "](%s/%s)\n\n", d->assets, assets[i].file);
	}
}

/* --- the contents ------------------------------------------------------------------ */

enum fig_fmt { FF_COUNT, FF_TIME, FF_SHARE, FF_MONEY };

static const struct {
	const char *key, *label;
	enum fig_fmt fmt;
	size_t off;
	bool is_size;
} figs[] = {
	{ "steps", "steps", FF_COUNT, offsetof(struct figures, steps), true },
	{ "handoffs", "hand-offs", FF_COUNT, offsetof(struct figures, handoffs), true },
	{ "touchpoints", "touchpoints", FF_COUNT, offsetof(struct figures, touchpoints), true },
	{ "manual_steps", "manual steps", FF_COUNT, offsetof(struct figures, manual_steps), true },
	{ "pain_points", "pain points", FF_COUNT, offsetof(struct figures, pain_points), true },
	{ "lead_time_s", "lead time", FF_TIME, offsetof(struct figures, lead_time_s), false },
	{ "work_time_s", "work time", FF_TIME, offsetof(struct figures, work_time_s), false },
	{ "wait_time_s", "wait time", FF_TIME, offsetof(struct figures, wait_time_s), false },
	{ "va_time_s", "time adding value", FF_TIME, offsetof(struct figures, va_time_s), false },
	{ "pce", "share of the lead time adding value (PCE)", FF_SHARE, offsetof(struct figures, pce), false },
	{ "rty", "first-time-right, end to end (RTY)", FF_SHARE, offsetof(struct figures, rty), false },
	{ "cost", "cost per case", FF_MONEY, offsetof(struct figures, cost), false },
};

static double
fig_value(const struct figures *f, size_t k)
{
	const char *p = (const char *)f + figs[k].off;

	if (figs[k].is_size)
		return (double)*(const size_t *)(const void *)p;
	return *(const double *)(const void *)p;
}

static char *
fig_text(const struct rd *d, size_t k, double v, char *buf, size_t size)
{
	switch (figs[k].fmt) {
	case FF_COUNT: snprintf(buf, size, "%.0f", v); break;
	case FF_TIME: pic_duration(v, rd_unit(d), buf, size); break;
	case FF_SHARE: snprintf(buf, size, "%.1f %%", v * 100); break;
	case FF_MONEY: snprintf(buf, size, "%.2f", v); break;
	}
	return buf;
}

static char *
change_text(double a, double b, char *buf, size_t size)
{
	if (!isfinite(a) || !isfinite(b) || a == 0)
		snprintf(buf, size, a == b ? "=" : "–");
	else
		snprintf(buf, size, "%+.0f %%", (b - a) / a * 100);
	return buf;
}

static void
numbers(struct rd *d)
{
	const struct readout *r = d->r;
	const char *heads[2 + 2 * 8];
	size_t nh = 0, i, k;
	char a[96], c[64];

	h(d, 2, "The process in numbers");
	para(d, "note", "Expected figures from the model: times are means along the expected "
	     "path, branches weighted by their chances, rework included (the same figures as "
	     "stepmap report).%s", r->nscen ? " Each scenario beside the baseline, with its change." : "");
	heads[nh++] = "figure";
	heads[nh++] = "baseline";
	for (i = 0; i < r->nscen && i < 8; i++) {
		heads[nh++] = r->scen[i].sc->name;
		heads[nh++] = "change";
	}
	table_begin(d, heads, nh, 1);
	for (k = 0; k < sizeof figs / sizeof figs[0]; k++) {
		double v = fig_value(&r->f, k);

		row_begin(d);
		cell(d, true, figs[k].label, NULL, NULL, 0);
		cell(d, false, fig_text(d, k, v, a, sizeof a), figs[k].key, "", v);
		for (i = 0; i < r->nscen && i < 8; i++) {
			double w = fig_value(&r->scen[i].f, k);

			cell(d, false, fig_text(d, k, w, a, sizeof a), figs[k].key, r->scen[i].sc->name, w);
			cell(d, false, change_text(v, w, c, sizeof c), NULL, NULL, 0);
		}
		row_end(d);
	}
	table_end(d);
	for (i = 0; i < r->nscen; i++)
		if (r->scen[i].stale)
			para(d, "warn", "Scenario “%s”: %zu of its %zu cuts are stale (they name steps "
			     "or lanes that are gone) and were skipped.", r->scen[i].sc->name,
			     r->scen[i].stale, r->scen[i].sc->ncuts);
}

static void
stat_cells(struct rd *d, const struct sim_stat *s, bool ok)
{
	char a[64], b[64], c[64], e[64], t[300];

	if (!ok || !s) {
		cell(d, false, "not simulated", NULL, NULL, 0);
		return;
	}
	if (!s->n) {
		cell(d, false, "no case reached both ends", NULL, NULL, 0);
		return;
	}
	snprintf(t, sizeof t, "%s (95 %% interval %s – %s), median %s, %zu cases",
	         pic_duration(s->mean, rd_unit(d), a, sizeof a), pic_duration(s->ci_lo, rd_unit(d), b, sizeof b),
	         pic_duration(s->ci_hi, rd_unit(d), c, sizeof c), pic_duration(s->p50, rd_unit(d), e, sizeof e), s->n);
	cell(d, false, t, NULL, NULL, 0);
}

static void
measures(struct rd *d)
{
	const struct readout *r = d->r;
	const struct process *p = r->base;
	const char *heads[] = { "measure", "clock", "expected", "expected in the scenario",
	                        "simulated mean", "simulated mean in the scenario" };
	size_t i, nh = r->pic ? 6 : 3;
	long *pair = chart_thread_pairs(p);
	char a[64], b[400];

	h(d, 2, "The measures on both clocks");
	if (!p->nmeasures) {
		para(d, NULL, "The process has no measures.");
		free(pair);
		return;
	}
	para(d, "note", "The customer's clock runs while the customer waits; the process's clock "
	     "while the organisation works the case. Expected: the model's figures; simulated: the "
	     "mean over the cases that reached both ends, with its 95 %% interval.%s%s%s",
	     r->pic ? " The scenario is “" : "", r->pic ? r->pic->sc->name : "", r->pic ? "”." : "");
	if (r->pic) {
		heads[3] = "expected in the scenario";
	} else {
		heads[2] = "expected";
		heads[3] = "simulated mean";
		nh = 4;
	}
	table_begin(d, heads, nh, 2);
	for (i = 0; i < p->nmeasures; i++) {
		const struct measure *m = p->measures[i];
		const struct step *f = process_step(p, m->from), *t = process_step(p, m->to);

		row_begin(d);
		snprintf(b, sizeof b, "%s (from “%s” to “%s”)", m->name, f ? f->name : "?",
		         t ? t->name : "?");
		cell(d, true, b, NULL, NULL, 0);
		cell(d, true, clock_name(m->clock), NULL, NULL, 0);
		cell(d, false, pic_duration(r->f.measures[i].expected_s, rd_unit(d), a, sizeof a), "expected_s",
		     m->name, r->f.measures[i].expected_s);
		if (r->pic) {
			double v = i < r->pic->f.nmeasures ? r->pic->f.measures[i].expected_s : NAN;
			char of[512];

			snprintf(of, sizeof of, "%s/%s", r->pic->sc->name, m->name);
			cell(d, false, pic_duration(v, rd_unit(d), a, sizeof a), "expected_s", of, v);
		}
		stat_cells(d, r->sim_ok ? &r->sim.measures[i] : NULL, r->sim_ok);
		if (r->pic)
			stat_cells(d, r->pic->sim_ok && i < r->pic->sim.nmeasures ? &r->pic->sim.measures[i]
			           : NULL, r->pic->sim_ok);
		row_end(d);
	}
	table_end(d);
	for (i = 0; pair && i < p->nmeasures; i++)
		if (pair[i] >= 0)
			para(d, NULL, "Golden thread: the customer's “%s” runs inside the process's “%s”.",
			     p->measures[i]->name, p->measures[pair[i]]->name);
	free(pair);
}

/* Steps ranked by their wait before the work (simulated per case, queue
 * included, when simulated; else expected), worst first. */
struct ranked {
	size_t i;
	double v;
};

static int
ranked_cmp(const void *pa, const void *pb)
{
	const struct ranked *a = pa, *b = pb;

	if (a->v != b->v)
		return a->v > b->v ? -1 : 1;
	return a->i < b->i ? -1 : a->i > b->i;
}

static double
step_wait(const struct readout *r, size_t i)
{
	if (r->sim_ok && i < r->sim.nsteps)
		return r->sim.steps[i].visits * r->sim.steps[i].wait_s;
	return dist_mean(&r->base->steps[i]->wait);
}

static void
worst(struct rd *d)
{
	const struct readout *r = d->r;
	const struct process *p = r->base;
	struct graph g = { 0 };
	struct ranked *v = malloc((p->nsteps + 1) * sizeof *v);
	size_t i, k, n = 0;
	char a[64];
	const char *what = r->sim_ok ? "simulated mean per case, queue included" : "expected";

	h(d, 2, "Where it hurts");
	if (!v || process_graph_build(p, &g) != STATUS_OK) {
		free(v);
		d->st = err_set(d->err, STATUS_NOMEM, "out of memory");
		return;
	}
	/* hand-offs: ranked by the wait at the step that receives the case */
	for (i = 0; i < p->nsteps; i++) {
		const struct lane *lt = step_lane(p, p->steps[i]);

		if (!lt || lt->stage == STAGE_CUSTOMER)
			continue;
		for (k = g.in[i]; k < g.in[i + 1]; k++) {
			const struct edge *e = &g.edges[g.in_edges[k]];
			const struct lane *ls = step_lane(p, p->steps[e->from]);

			if (ls && ls != lt && ls->stage != STAGE_CUSTOMER) {
				v[n].i = g.in_edges[k];
				v[n++].v = step_wait(r, i);
			}
		}
	}
	qsort(v, n, sizeof *v, ranked_cmp);
	h(d, 3, "The worst hand-offs");
	para(d, "note", "Hand-offs between two lanes behind the customer, by the wait at the step "
	     "that receives the case (%s).", what);
	{
		const char *heads[] = { "from", "to", "wait before the receiving step" };

		table_begin(d, heads, 3, 2);
		for (k = 0; k < n && k < 5; k++) {
			const struct edge *e = &g.edges[v[k].i];
			char t1[400], t2[400];

			snprintf(t1, sizeof t1, "%s: #%zu %s", step_lane(p, p->steps[e->from])->name,
			         e->from + 1, p->steps[e->from]->name);
			snprintf(t2, sizeof t2, "%s: #%zu %s", step_lane(p, p->steps[e->to])->name,
			         e->to + 1, p->steps[e->to]->name);
			row_begin(d);
			cell(d, true, t1, NULL, NULL, 0);
			cell(d, true, t2, NULL, NULL, 0);
			cell(d, false, pic_duration(v[k].v, rd_unit(d), a, sizeof a), NULL, NULL, 0);
			row_end(d);
		}
		table_end(d);
	}
	/* the longest waits */
	for (i = 0; i < p->nsteps; i++) {
		v[i].i = i;
		v[i].v = step_wait(r, i);
	}
	qsort(v, p->nsteps, sizeof *v, ranked_cmp);
	h(d, 3, "The longest waits");
	para(d, "note", "Steps by the wait before their work (%s).", what);
	{
		const char *heads[] = { "step", "lane", "wait" };

		table_begin(d, heads, 3, 2);
		for (k = 0; k < p->nsteps && k < 5 && v[k].v > 0; k++) {
			const struct lane *l = step_lane(p, p->steps[v[k].i]);
			char t1[400];

			snprintf(t1, sizeof t1, "#%zu %s", v[k].i + 1, p->steps[v[k].i]->name);
			row_begin(d);
			cell(d, true, t1, NULL, NULL, 0);
			cell(d, true, l ? l->name : "(no lane)", NULL, NULL, 0);
			cell(d, false, pic_duration(v[k].v, rd_unit(d), a, sizeof a), NULL, NULL, 0);
			row_end(d);
		}
		table_end(d);
	}
	h(d, 3, "The pain points");
	{
		const char *heads[] = { "step", "lane", "note" };
		size_t np = 0;

		for (i = 0; i < p->nsteps; i++)
			np += p->steps[i]->pain;
		if (!np) {
			para(d, NULL, "No step is marked as a pain point.");
		} else {
			table_begin(d, heads, 3, 3);
			for (i = 0; i < p->nsteps; i++) {
				const struct step *s = p->steps[i];
				const struct lane *l = step_lane(p, s);
				char t1[400];

				if (!s->pain)
					continue;
				snprintf(t1, sizeof t1, "#%zu %s", i + 1, s->name);
				row_begin(d);
				cell(d, true, t1, NULL, NULL, 0);
				cell(d, true, l ? l->name : "(no lane)", NULL, NULL, 0);
				cell(d, true, s->note ? s->note : "", NULL, NULL, 0);
				row_end(d);
			}
			table_end(d);
		}
	}
	graph_done(&g);
	free(v);
}

static void
simulation(struct rd *d)
{
	const struct readout *r = d->r;
	const char *heads[] = { "", "cases", "mean case time", "95 % interval of the mean",
	                        "median", "90th percentile", "cases finished an hour" };
	size_t i;
	char a[64], b[64], c[64], e[64], t[64], n[32];

	h(d, 2, "The simulation");
	para(d, "note", "%zu cases a run, seed %llu, the same for the baseline and each scenario "
	     "(so they see the same arrivals); a case's time runs from its arrival to its end.%s",
	     r->cases, (unsigned long long)r->o.seed,
	     r->cases_reduced ? " Fewer cases than the usual 10000, for a process this large "
	     "(--cases sets the number)." : "");
	table_begin(d, heads, 7, 1);
	for (i = 0; i <= r->nscen; i++) {
		const struct sim_result *s = i ? &r->scen[i - 1].sim : &r->sim;
		bool ok = i ? r->scen[i - 1].sim_ok : r->sim_ok;
		const char *name = i ? r->scen[i - 1].sc->name : "baseline";

		row_begin(d);
		cell(d, true, name, NULL, NULL, 0);
		if (!ok) {
			cell(d, false, "could not simulate:", NULL, NULL, 0);
			cell(d, false, i ? r->scen[i - 1].sim_msg : r->sim_msg, NULL, NULL, 0);
			cell(d, false, "", NULL, NULL, 0);
			cell(d, false, "", NULL, NULL, 0);
			cell(d, false, "", NULL, NULL, 0);
			cell(d, false, "", NULL, NULL, 0);
		} else {
			snprintf(n, sizeof n, "%zu", s->total.n);
			cell(d, false, n, NULL, NULL, 0);
			cell(d, false, pic_duration(s->total.mean, rd_unit(d), a, sizeof a), NULL, NULL, 0);
			snprintf(t, sizeof t, "%s – %s", pic_duration(s->total.ci_lo, rd_unit(d), b, sizeof b),
			         pic_duration(s->total.ci_hi, rd_unit(d), c, sizeof c));
			cell(d, false, t, NULL, NULL, 0);
			cell(d, false, pic_duration(s->total.p50, rd_unit(d), e, sizeof e), NULL, NULL, 0);
			cell(d, false, pic_duration(s->total.p90, rd_unit(d), b, sizeof b), NULL, NULL, 0);
			snprintf(t, sizeof t, "%.2f", s->throughput_per_h);
			cell(d, false, t, NULL, NULL, 0);
		}
		row_end(d);
	}
	table_end(d);
}

static const char html_head[] =
	"<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n"
	"<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
	"<meta name=\"generator\" content=\"stepmap\">\n";

static const char html_style[] =
	"<style>\n"
	"body{font:14px/1.45 \"DejaVu Sans\",system-ui,sans-serif;color:#222;max-width:70em;"
	"margin:2em auto;padding:0 1em}\n"
	"h1{font-size:1.6em;margin-bottom:.2em}h2{margin-top:1.8em;border-bottom:1px solid #ccc}\n"
	"table{border-collapse:collapse;margin:.6em 0;font-size:13px}\n"
	"th,td{border:1px solid #ccc;padding:.25em .6em;vertical-align:top;text-align:left}\n"
	"th{background:#eef2f7}td.n,th.n{text-align:right;white-space:nowrap}td.w{text-align:right}\n"
	"p.note{color:#555;font-size:13px}p.warn{color:#b00}\n"
	"figure.pic{margin:1em 0}figure.pic svg{width:100%;height:auto;display:block;"
	"border:1px solid #ddd}\n"
	"figcaption{color:#555;font-size:12px;margin-top:.3em}\n"
	"@media print{body{margin:0;max-width:none;font-size:10pt}"
	"h2{break-after:avoid}table,figure.pic svg{break-inside:avoid}"
	"figure.pic{break-before:page}a{color:inherit;text-decoration:none}}\n";

static void
write_all(struct rd *d)
{
	const struct readout *r = d->r;
	size_t k;

	numbers(d);
	measures(d);
	if (d->st == STATUS_OK)
		worst(d);
	simulation(d);
	h(d, 2, "Pictures");
	if (r->pic_sc)
		para(d, "note", "The blueprint of the baseline, then the same blueprint with what "
		     "scenario “%s” changes marked; the charts set the baseline against it.",
		     r->pic_sc->name);
	for (k = 0; k < readout_nassets(r) && d->st == STATUS_OK; k++)
		picture(d, k);
}

enum status
readout_html_write(FILE *f, const struct readout *r, struct err *err)
{
	struct rd d = { f, true, NULL, r, STATUS_OK, err, 0 };
	const char *paper = r->o.paper == PIC_PAPER_A3 ? "A3" : "A4";

	fputs(html_head, f);
	fputs("<title>", f);
	esc(&d, r->base->name);
	fputs(": readout</title>\n", f);
	fputs(html_style, f);
	fprintf(f, "@page{size:%s landscape;margin:12mm}\n</style></head><body>\n", paper);
	fputs("<h1>", f);
	esc(&d, r->base->name);
	fputs("</h1>\n", f);
	if (r->base->description)
		para(&d, NULL, "%s", r->base->description);
	write_all(&d);
	fputs("<p class=\"note\">Written by stepmap.</p>\n</body></html>\n", f);
	if (d.st == STATUS_OK && ferror(f))
		d.st = err_set(err, STATUS_IO, "cannot write");
	return d.st;
}

enum status
readout_md_write(FILE *f, const struct readout *r, const char *folder, struct err *err)
{
	struct rd d = { f, false, folder, r, STATUS_OK, err, 0 };

	fputs("# ", f);
	esc(&d, r->base->name);
	fputs("\n\n", f);
	if (r->base->description)
		para(&d, NULL, "%s", r->base->description);
	write_all(&d);
	fputs("Written by stepmap.\n", f);
	if (d.st == STATUS_OK && ferror(f))
		d.st = err_set(err, STATUS_IO, "cannot write");
	return d.st;
}

/* --- Markdown as files ------------------------------------------------------------- */

struct md_job {
	const struct readout *r;
	size_t k;
	const char *folder;
};

static enum status
md_asset(FILE *f, void *ctx, struct err *err)
{
	const struct md_job *j = ctx;

	return readout_asset_write(f, j->r, j->k, err);
}

static enum status
md_text(FILE *f, void *ctx, struct err *err)
{
	const struct md_job *j = ctx;

	return readout_md_write(f, j->r, j->folder, err);
}

enum status
readout_md_files(const char *path, const struct readout *r, readout_write_file_fn write_file,
                 struct err *err)
{
	const char *slash = strrchr(path, '/');
	char *dir = NULL, *file = NULL;
	struct md_job j = { r, 0, NULL };
	size_t n = strlen(path) + 64, k;
	enum status st = STATUS_OK;

	if (!strcmp(path, "-"))
		return err_set(err, STATUS_USAGE, "a Markdown readout needs a file (-o FILE.md) "
		               "to put its pictures beside");
	if (!(dir = malloc(n)) || !(file = malloc(n))) {
		st = err_set(err, STATUS_NOMEM, "out of memory");
		goto out;
	}
	snprintf(dir, n, "%s.assets", path);
	j.folder = slash ? dir + (slash + 1 - path) : dir;
	if (mkdir(dir, 0777) != 0 && errno != EEXIST) {
		st = err_set(err, STATUS_IO, "%s: cannot create: %s", dir, strerror(errno));
		goto out;
	}
	for (k = 0; k < readout_nassets(r) && st == STATUS_OK; k++) {
		j.k = k;
		snprintf(file, n, "%s/%s", dir, readout_asset_name(r, k));
		st = write_file(file, md_asset, &j, err);
	}
	if (st == STATUS_OK)
		st = write_file(path, md_text, &j, err);
out:
	free(dir);
	free(file);
	return st;
}
