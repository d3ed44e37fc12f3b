/*
 * view_form.c - forms: the step form (every field of a step), the small
 * forms of the lanes and measures editors, the process form (name,
 * description, arrival pattern, the capacity of the lane the user is on,
 * the unit its times are shown in)
 * and the branch form (a decision's branch: to, label, probability,
 * condition).
 *
 * A form is a list of fields, each a line of text or a choice from a list
 * (lane, type, value class, pain; stage; clock). Every field is checked as it
 * is typed, by the model's own parsers (step_set_field(), which uses
 * dist_parse() for times), and the message shows under the field at once:
 * "error_rate: expected a number from 0 to 1, got '1.5'". Enter saves the
 * whole form as one edit through the store, only when every field is valid;
 * Esc leaves it unchanged. Choice fields cycle with Left/Right and open their
 * list with Space or Ctrl-O.
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model/edit_flow.h"
#include "tui/app.h"

#define FIELDS_MAX 16
#define LABEL_W 12

enum form_kind { FORM_STEP, FORM_LANE, FORM_MEASURE, FORM_PROCESS, FORM_BRANCH };

struct field {
	const char *label;
	bool choice;
	struct line text;            /* a text field */
	char **choices;              /* a choice field: the texts (owned) */
	size_t nchoices, sel;
	char msg[ERR_MSG_MAX];       /* the validation message ("" when valid) */
	char hint[256];              /* shown when valid (a measure's step name) */
};

struct form {
	enum form_kind kind;
	sm_id id;                    /* the object edited; 0 for a new one */
	sm_id lane;                  /* the process form: the lane whose capacity it sets */
	sm_id scen;                  /* the step form: the scenario it edits (as
	                                set cuts), 0 the baseline */
	char title[256];
	struct field f[FIELDS_MAX];
	size_t n, at;
	int top;                     /* first row drawn, when the form is taller than the screen */
};

static bool form_push(struct app *a, struct form *fm);

/* --- fields -------------------------------------------------------------------------- */

static struct field *
add_text(struct form *fm, const char *label, const char *value)
{
	struct field *f = &fm->f[fm->n++];

	f->label = label;
	line_set(&f->text, value ? value : "");
	return f;
}

static struct field *
add_choice(struct form *fm, const char *label)
{
	struct field *f = &fm->f[fm->n++];

	f->label = label;
	f->choice = true;
	return f;
}

static bool
choice_push(struct field *f, const char *text)
{
	char **c = realloc(f->choices, (f->nchoices + 1) * sizeof *c);

	if (!c)
		return false;
	f->choices = c;
	if (!(c[f->nchoices] = strdup(text)))
		return false;
	f->nchoices++;
	return true;
}

static const char *
field_value(const struct field *f)
{
	if (f->choice)
		return f->nchoices ? f->choices[f->sel] : "";
	return f->text.buf ? f->text.buf : "";
}

static void
choice_select(struct field *f, const char *text)
{
	size_t i;

	for (i = 0; i < f->nchoices; i++)
		if (!strcmp(f->choices[i], text))
			f->sel = i;
}

static void
form_free(struct form *fm)
{
	size_t i, j;

	for (i = 0; i < fm->n; i++) {
		line_free(&fm->f[i].text);
		for (j = 0; j < fm->f[i].nchoices; j++)
			free(fm->f[i].choices[j]);
		free(fm->f[i].choices);
	}
	free(fm);
}

/* --- the step form ------------------------------------------------------------------------ */

static bool
step_fields(struct app *a, struct form *fm, const struct process *p, const struct step *s)
{
	char buf[DIST_TEXT_MAX * 2];
	int f;
	size_t i;

	for (f = 0; f < STEP_FIELD_COUNT_; f++) {
		const char *label = step_field_name((enum step_field)f);
		struct field *fd;
		bool ok = true;

		step_get_field(p, s, (enum step_field)f, buf, sizeof buf);
		switch (f) {
		case FIELD_LANE: {
			const struct lane **ls = malloc((p->nlanes + 1) * sizeof *ls);
			size_t n;

			if (!ls)
				return false;
			fd = add_choice(fm, label);
			ok = choice_push(fd, "");
			n = app_lanes_ordered(p, ls);
			for (i = 0; i < n && ok; i++)
				ok = choice_push(fd, ls[i]->name);
			free(ls);
			break;
		}
		case FIELD_TYPE:
			fd = add_choice(fm, label);
			for (i = 0; i < STEP_TYPE_COUNT_ && ok; i++)
				ok = choice_push(fd, step_type_name((enum step_type)i));
			break;
		case FIELD_VALUE:
			fd = add_choice(fm, label);
			for (i = 0; i < VALUE_CLASS_COUNT_ && ok; i++)
				ok = choice_push(fd, value_class_name((enum value_class)i));
			break;
		case FIELD_PAIN:
			fd = add_choice(fm, label);
			ok = choice_push(fd, "no") && choice_push(fd, "yes");
			snprintf(buf, sizeof buf, "%s", s->pain ? "yes" : "no");
			break;
		default:
			fd = add_text(fm, label, buf);
			if (!fd->text.buf)
				return false;
			break;
		}
		if (!ok)
			return false;
		if (fd->choice)
			choice_select(fd, buf);
	}
	(void)a;
	return true;
}

/* Check every field against a scratch copy of the step; with out, the
 * checked copy is handed back (the caller frees it). */
/* The process a step form edits: the baseline, or the scenario's own (its
 * lanes are the baseline's). */
static const struct process *
form_process(struct app *a, const struct form *fm)
{
	if (fm->scen && fm->scen == a->scen)
		return app_shown(a);
	return fm->scen ? NULL : app_process(a);
}

static bool
step_validate(struct app *a, struct form *fm, struct step **out)
{
	const struct process *p = form_process(a, fm);
	struct step *s = p ? process_step(p, fm->id) : NULL;
	struct step *c;
	struct err err;
	bool ok = true;
	size_t i;

	if (out)
		*out = NULL;
	if (!s || !(c = step_copy(s)))
		return false;
	for (i = 0; i < fm->n; i++) {
		err_clear(&err);
		fm->f[i].msg[0] = '\0';
		if (step_set_field(p, c, (enum step_field)i, field_value(&fm->f[i]), &err) != STATUS_OK) {
			snprintf(fm->f[i].msg, sizeof fm->f[i].msg, "%s", err.msg);
			ok = false;
		}
	}
	if (ok && out)
		*out = c;
	else
		step_free(&c);
	return ok;
}

/* Save the step form of a scenario: each field changed from the scenario's
 * step becomes a set cut (scen_set_fields). Frees after. */
static int
step_save_scen(struct app *a, struct form *fm, struct step *after)
{
	const struct process *d = form_process(a, fm);
	const struct step *now = d ? process_step(d, fm->id) : NULL;
	const struct step *base = process_step(app_process(a), fm->id);
	enum step_field fields[STEP_FIELD_COUNT_];
	char was[DIST_TEXT_MAX * 2], *values[STEP_FIELD_COUNT_];
	size_t n = 0, i;
	int f, fl;

	if (!now || !base) {
		step_free(&after);
		app_error(a, "the step is no longer in the scenario: nothing changed");
		return FL_REDRAW;
	}
	for (f = 0; f < STEP_FIELD_COUNT_; f++) {
		char is[DIST_TEXT_MAX * 2];

		step_get_field(d, now, (enum step_field)f, was, sizeof was);
		step_get_field(d, after, (enum step_field)f, is, sizeof is);
		if (strcmp(was, is) && (values[n] = strdup(is)))
			fields[n++] = (enum step_field)f;
	}
	step_free(&after);
	if (!n) {
		app_say(a, "no change");
		return FL_REDRAW;
	}
	fl = scen_set_fields(a, base, fields, (const char *const *)values, n);
	for (i = 0; i < n; i++)
		free(values[i]);
	return fl;
}

static int
step_save(struct app *a, struct form *fm)
{
	struct step *after;
	struct edit *e = NULL;
	enum status st;

	if (!step_validate(a, fm, &after)) {
		app_error(a, "fix the fields marked in red first (Esc leaves the step as it was)");
		return FL_REDRAW;
	}
	if (fm->scen)
		return step_save_scen(a, fm, after) | FL_QUIT;
	st = edit_step_set(a->wb, after, &e);
	step_free(&after);
	if (st == STATUS_OK && !e) {
		app_say(a, "no change");
		return FL_REDRAW | FL_QUIT;
	}
	return app_do(a, st, &e, "edit step") | FL_QUIT;
}

/* --- the lane form ---------------------------------------------------------------------- */

static bool
parse_count(const char *text, long *v)
{
	char *end;

	while (*text == ' ')
		text++;
	if (!*text || !strcmp(text, "unlimited")) {
		*v = 0;
		return true;
	}
	errno = 0;
	*v = strtol(text, &end, 10);
	while (*end == ' ')
		end++;
	return !*end && errno == 0 && *v >= 0 && *v <= 1000000;
}

static bool
lane_validate(struct app *a, struct form *fm)
{
	struct process *p = app_process(a);
	const char *name = field_value(&fm->f[0]);
	const struct lane *other;
	long cap;
	bool ok = true;
	size_t i;

	for (i = 0; i < fm->n; i++)
		fm->f[i].msg[0] = '\0';
	while (*name == ' ')
		name++;
	if (!*name) {
		snprintf(fm->f[0].msg, sizeof fm->f[0].msg, "name: a lane needs a name");
		ok = false;
	} else if (p && (other = process_lane_named(p, name)) && other->id != fm->id) {
		snprintf(fm->f[0].msg, sizeof fm->f[0].msg, "name: there is already a lane named '%s'",
		         name);
		ok = false;
	}
	if (!parse_count(field_value(&fm->f[2]), &cap)) {
		snprintf(fm->f[2].msg, sizeof fm->f[2].msg,
		         "capacity: expected a whole number of servers (0 or empty: unlimited), got '%s'",
		         field_value(&fm->f[2]));
		ok = false;
	}
	return ok;
}

static int
lane_save(struct app *a, struct form *fm)
{
	struct process *p = app_process(a);
	struct edit *e = NULL;
	enum status st;
	long cap = 0;
	const char *name = field_value(&fm->f[0]);

	if (!p || !lane_validate(a, fm)) {
		app_error(a, "fix the fields marked in red first");
		return FL_REDRAW;
	}
	parse_count(field_value(&fm->f[2]), &cap);
	while (*name == ' ')
		name++;
	if (fm->id == 0) {
		st = edit_lane_add(a->wb, p->id, name, (enum stage)fm->f[1].sel, (int)cap, &e);
		return app_do(a, st, &e, "add lane") | FL_QUIT;
	} else {
		const struct lane *l = process_lane(p, fm->id);
		struct lane *after = l ? lane_copy(l) : NULL;

		if (!after) {
			app_error(a, "the lane is gone");
			return FL_REDRAW | FL_QUIT;
		}
		free(after->name);
		after->name = strdup(name);
		after->stage = (enum stage)fm->f[1].sel;
		after->capacity = (int)cap;
		/* With a scenario shown a capacity is the scenario's: a capacity
		 * cut; the name and stage stay the baseline's. */
		if (app_scenario(a)) {
			const struct process *d = app_shown(a);
			const struct lane *dl = d ? process_lane(d, l->id) : NULL;
			int fl = FL_REDRAW;

			after->capacity = l->capacity;
			if (after->name && (strcmp(after->name, l->name) || after->stage != l->stage)) {
				st = edit_lane_set(a->wb, after, &e);
				fl = app_do(a, st, &e, "edit lane");
			}
			lane_free(&after);
			if (dl && dl->capacity != (int)cap)
				fl |= scen_capacity(a, l->id, (int)cap);
			return fl | FL_QUIT;
		}
		st = after->name ? edit_lane_set(a->wb, after, &e) : STATUS_NOMEM;
		lane_free(&after);
		return app_do(a, st, &e, "edit lane") | FL_QUIT;
	}
}

/* --- the measure form ------------------------------------------------------------------- */

static const struct step *
step_numbered(const struct process *p, const char *text)
{
	char *end;
	long n;

	errno = 0;
	n = strtol(text, &end, 10);
	while (*end == ' ')
		end++;
	if (!*text || *end || errno || n < 1 || (size_t)n > p->nsteps)
		return NULL;
	return p->steps[n - 1];
}

static bool
measure_validate(struct app *a, struct form *fm)
{
	struct process *p = app_process(a);
	const char *name = field_value(&fm->f[0]);
	const struct measure *other;
	const struct step *from, *to;
	bool ok = true;
	size_t i;

	for (i = 0; i < fm->n; i++) {
		fm->f[i].msg[0] = '\0';
		fm->f[i].hint[0] = '\0';
	}
	if (!p)
		return false;
	while (*name == ' ')
		name++;
	if (!*name) {
		snprintf(fm->f[0].msg, sizeof fm->f[0].msg, "name: a measure needs a name");
		ok = false;
	} else if ((other = process_measure_named(p, name)) && other->id != fm->id) {
		snprintf(fm->f[0].msg, sizeof fm->f[0].msg,
		         "name: there is already a measure named '%s'", name);
		ok = false;
	}
	for (i = 1; i <= 2; i++) {
		const struct step *s = step_numbered(p, field_value(&fm->f[i]));

		if (!s) {
			snprintf(fm->f[i].msg, sizeof fm->f[i].msg,
			         "%s: expected a step number from 1 to %zu, got '%s'", fm->f[i].label,
			         p->nsteps, field_value(&fm->f[i]));
			ok = false;
		} else
			snprintf(fm->f[i].hint, sizeof fm->f[i].hint, "%s", s->name);
	}
	from = step_numbered(p, field_value(&fm->f[1]));
	to = step_numbered(p, field_value(&fm->f[2]));
	if (from && to && to->index < from->index) {
		snprintf(fm->f[2].msg, sizeof fm->f[2].msg,
		         "to: step %zu comes before step %zu (from)", to->index + 1, from->index + 1);
		ok = false;
	}
	return ok;
}

static int
measure_save(struct app *a, struct form *fm)
{
	struct process *p = app_process(a);
	struct edit *e = NULL;
	enum status st;
	const char *name = field_value(&fm->f[0]);
	const struct step *from, *to;

	if (!p || !measure_validate(a, fm)) {
		app_error(a, "fix the fields marked in red first");
		return FL_REDRAW;
	}
	while (*name == ' ')
		name++;
	from = step_numbered(p, field_value(&fm->f[1]));
	to = step_numbered(p, field_value(&fm->f[2]));
	if (fm->id == 0) {
		st = edit_measure_add(a->wb, p->id, name, from->id, to->id, (enum clock)fm->f[3].sel, &e);
		return app_do(a, st, &e, "add measure") | FL_QUIT;
	} else {
		const struct measure *m = process_measure(p, fm->id);
		struct measure *after = m ? measure_copy(m) : NULL;

		if (!after) {
			app_error(a, "the measure is gone");
			return FL_REDRAW | FL_QUIT;
		}
		free(after->name);
		after->name = strdup(name);
		after->from = from->id;
		after->to = to->id;
		after->clock = (enum clock)fm->f[3].sel;
		st = after->name ? edit_measure_set(a->wb, after, &e) : STATUS_NOMEM;
		measure_free(&after);
		return app_do(a, st, &e, "edit measure") | FL_QUIT;
	}
}

/* --- the process form ------------------------------------------------------------------- */

/* name, description, arrival, capacity (when the cursor's step has a lane),
 * time unit (the last field) */
static bool
process_validate(struct app *a, struct form *fm, struct dist *arrival, long *cap,
                 enum time_unit *unit)
{
	struct field *uf = &fm->f[fm->n - 1];
	enum time_unit u = TIME_UNIT_AUTO;
	struct process *p = app_process(a);
	const char *name = field_value(&fm->f[0]);
	struct err err;
	struct dist d;
	long c = 0;
	bool ok = true;
	size_t i;

	for (i = 0; i < fm->n; i++) {
		fm->f[i].msg[0] = '\0';
		fm->f[i].hint[0] = '\0';
	}
	if (!p)
		return false;
	while (*name == ' ')
		name++;
	if (!*name) {
		snprintf(fm->f[0].msg, sizeof fm->f[0].msg, "name: a process needs a name");
		ok = false;
	}
	err_clear(&err);
	if (dist_parse_arrival(field_value(&fm->f[2]), "arrival", &d, &err) != STATUS_OK) {
		snprintf(fm->f[2].msg, sizeof fm->f[2].msg, "%s", err.msg);
		ok = false;
	} else if (d.kind == DIST_NONE) {
		snprintf(fm->f[2].hint, sizeof fm->f[2].hint,
		         "none: every case arrives at once, at time 0 (12/h or exp(5m) sets one)");
	} else {
		char text[DIST_TEXT_MAX], rate[DIST_TEXT_MAX], mean[32];

		dist_format(&d, text, sizeof text);
		dist_format_rate(&d, rate, sizeof rate);
		snprintf(fm->f[2].hint, sizeof fm->f[2].hint, "%s%s%s: a case every %s on average",
		         text, rate[0] ? " = " : "", rate, fmt_time(dist_mean(&d), app_unit(a), mean, sizeof mean));
	}
	if (fm->lane) {
		const struct lane *l = process_lane(p, fm->lane);

		if (!parse_count(field_value(&fm->f[3]), &c)) {
			snprintf(fm->f[3].msg, sizeof fm->f[3].msg,
			         "capacity: expected a whole number of servers (0 or empty: unlimited), "
			         "got '%s'", field_value(&fm->f[3]));
			ok = false;
		} else if (l)
			snprintf(fm->f[3].hint, sizeof fm->f[3].hint, "of lane '%s'%s", l->name,
			         c ? "" : ": unlimited, never queues");
	}
	err_clear(&err);
	if (time_unit_read(field_value(uf), "time unit", &u, &err) != STATUS_OK) {
		snprintf(uf->msg, sizeof uf->msg, "%s", err.msg);
		ok = false;
	} else {
		char t[DIST_TEXT_MAX];

		/* what a time looks like in it: an hour and a half */
		snprintf(uf->hint, sizeof uf->hint, "%s: 1h30m shows as %s",
		         u == TIME_UNIT_AUTO ? "each time in the units that read best"
		                             : "every time in one unit",
		         duration_show(5400, u, t, sizeof t));
	}
	if (unit && ok)
		*unit = u;
	if (arrival && ok)
		*arrival = d;
	if (cap && ok)
		*cap = c;
	return ok;
}

static int
process_save(struct app *a, struct form *fm)
{
	struct process *p = app_process(a);
	const struct lane *l = p && fm->lane ? process_lane(p, fm->lane) : NULL;
	struct edit *e = NULL;
	struct err err;
	struct dist d;
	long cap = 0;
	enum time_unit unit = TIME_UNIT_AUTO;
	const char *name = field_value(&fm->f[0]);
	enum status st;

	if (!p || !process_validate(a, fm, &d, &cap, &unit)) {
		app_error(a, "fix the fields marked in red first (Esc leaves the process as it was)");
		return FL_REDRAW;
	}
	while (*name == ' ')
		name++;
	err_clear(&err);
	st = edit_process_settings(a->wb, p->id, name, field_value(&fm->f[1]), &d, unit,
	                           l ? l->id : 0, (int)cap, &e, &err);
	if (st == STATUS_NOTHING) {
		app_say(a, "no change");
		return FL_REDRAW | FL_QUIT;
	}
	if (st == STATUS_INPUT) {
		app_error(a, "%s", err.msg);
		return FL_REDRAW;
	}
	return app_do(a, st, &e, "process settings") | FL_QUIT;
}

bool
process_form_open(struct app *a, sm_id lane)
{
	struct process *p = app_process(a);
	const struct step *s = app_step(a);
	const struct lane *l;
	struct form *fm;
	char arr[DIST_TEXT_MAX], cap[32] = "";

	if (!p || !(fm = calloc(1, sizeof *fm)))
		return false;
	l = lane ? process_lane(p, lane) : NULL;
	if (!l && s && s->lane)
		l = process_lane(p, s->lane);
	fm->kind = FORM_PROCESS;
	fm->id = p->id;
	fm->lane = l ? l->id : 0;
	snprintf(fm->title, sizeof fm->title, "Process '%s'", p->name);
	add_text(fm, "name", p->name);
	add_text(fm, "description", p->description);
	dist_format_rate(&p->arrival, arr, sizeof arr);
	if (!arr[0])
		dist_format(&p->arrival, arr, sizeof arr);
	add_text(fm, "arrival", arr);
	if (l) {
		if (l->capacity > 0)
			snprintf(cap, sizeof cap, "%d", l->capacity);
		add_text(fm, "capacity", cap);
	}
	add_text(fm, "time unit", time_unit_name(p->time_unit));
	return form_push(a, fm);
}

/* --- the branch form --------------------------------------------------------------------- */

/* to step, label, probability, condition */
static bool
branch_validate(struct app *a, struct form *fm, struct flow **out)
{
	struct process *p = app_process(a);
	const struct flow *f = p ? process_flow(p, fm->id) : NULL;
	const struct step *from = f ? process_step(p, f->from) : NULL, *to;
	struct flow *c;
	double prob, sum = 0;
	bool ok = true;
	size_t i;

	if (out)
		*out = NULL;
	for (i = 0; i < fm->n; i++) {
		fm->f[i].msg[0] = '\0';
		fm->f[i].hint[0] = '\0';
	}
	if (!f || !from || !(c = flow_copy(f)))
		return false;
	to = step_numbered(p, field_value(&fm->f[0]));
	if (!to) {
		snprintf(fm->f[0].msg, sizeof fm->f[0].msg,
		         "to step: expected a step number from 1 to %zu, got '%s'", p->nsteps,
		         field_value(&fm->f[0]));
		ok = false;
	} else if (to == from) {
		snprintf(fm->f[0].msg, sizeof fm->f[0].msg,
		         "to step: a branch back to the step itself is its error rate (the step form)");
		ok = false;
	} else {
		for (i = 0; i < p->nflows; i++)
			if (p->flows[i]->id != f->id && p->flows[i]->from == f->from &&
			    p->flows[i]->to == to->id)
				break;
		if (i < p->nflows) {
			snprintf(fm->f[0].msg, sizeof fm->f[0].msg,
			         "to step: step %zu branches to step %zu already", from->index + 1,
			         to->index + 1);
			ok = false;
		} else {
			snprintf(fm->f[0].hint, sizeof fm->f[0].hint, "%s", to->name);
			c->to = to->id;
		}
	}
	if (!flow_prob_parse(field_value(&fm->f[2]), &prob)) {
		snprintf(fm->f[2].msg, sizeof fm->f[2].msg,
		         "probability: expected a probability like 70%% or 0.7 (empty: none), got '%s'",
		         field_value(&fm->f[2]));
		ok = false;
	} else {
		size_t given = 0, unset = 0;

		c->prob = prob;
		for (i = 0; i < p->nflows; i++) {
			double q = p->flows[i]->id == f->id ? prob : p->flows[i]->prob;

			if (p->flows[i]->from != f->from)
				continue;
			if (q >= 0) {
				sum += q;
				given++;
			} else
				unset++;
		}
		/* the sum as it will be, said plainly while typing */
		if (from->type != STEP_PARALLEL && given &&
		    (unset ? sum > 1 + 1e-9 : fabs(sum - 1) > 1e-9))
			snprintf(fm->f[2].hint, sizeof fm->f[2].hint,
			         "the branches of step %zu then sum to %.4g %%, not 100 %%", from->index + 1,
			         sum * 100);
		else if (given)
			snprintf(fm->f[2].hint, sizeof fm->f[2].hint,
			         "the branches of step %zu sum to 100 %%%s", from->index + 1,
			         unset ? " with those without one" : "");
	}
	free(c->label);
	c->label = field_value(&fm->f[1])[0] ? strdup(field_value(&fm->f[1])) : NULL;
	free(c->condition);
	c->condition = field_value(&fm->f[3])[0] ? strdup(field_value(&fm->f[3])) : NULL;
	if (ok && out)
		*out = c;
	else
		flow_free(&c);
	return ok;
}

static int
branch_save(struct app *a, struct form *fm)
{
	struct flow *after;
	struct edit *e = NULL;
	enum status st;
	sm_id from;

	if (!branch_validate(a, fm, &after)) {
		app_error(a, "fix the fields marked in red first (Esc leaves the branch as it was)");
		return FL_REDRAW;
	}
	from = after->from;
	st = edit_flow_set(a->wb, after, &e);
	flow_free(&after);
	return flow_say_sums(a, app_do(a, st, &e, "edit branch"), from) | FL_QUIT;
}

bool
branch_form_open(struct app *a, sm_id flow)
{
	struct process *p = app_process(a);
	const struct flow *f = p ? process_flow(p, flow) : NULL;
	const struct step *from = f ? process_step(p, f->from) : NULL;
	const struct step *to = f ? process_step(p, f->to) : NULL;
	struct form *fm;
	char num[32] = "", prob[32] = "";

	if (!from || !(fm = calloc(1, sizeof *fm)))
		return false;
	fm->kind = FORM_BRANCH;
	fm->id = f->id;
	snprintf(fm->title, sizeof fm->title, "Branch of step %zu '%s'", from->index + 1, from->name);
	if (to)
		snprintf(num, sizeof num, "%zu", to->index + 1);
	if (f->prob >= 0)
		snprintf(prob, sizeof prob, "%.4g%%", f->prob * 100);
	add_text(fm, "to step", num);
	add_text(fm, "label", f->label);
	add_text(fm, "probability", prob);
	add_text(fm, "condition", f->condition);
	return form_push(a, fm);
}

/* --- the form view ------------------------------------------------------------------------ */

static bool
validate(struct app *a, struct form *fm)
{
	switch (fm->kind) {
	case FORM_STEP:
		return step_validate(a, fm, NULL);
	case FORM_LANE:
		return lane_validate(a, fm);
	case FORM_MEASURE:
		return measure_validate(a, fm);
	case FORM_PROCESS:
		return process_validate(a, fm, NULL, NULL, NULL);
	case FORM_BRANCH:
		return branch_validate(a, fm, NULL);
	}
	return false;
}

static bool
form_push(struct app *a, struct form *fm)
{
	validate(a, fm);
	if (!app_push(a, &form_view_ops, fm)) {
		form_free(fm);
		return false;
	}
	return true;
}

bool
step_form_open(struct app *a, bool scen)
{
	const struct process *p = app_process(a);
	const struct scenario *sc = scen ? app_scenario(a) : NULL;
	const struct step *s = app_step(a), *shown = s;
	struct form *fm;

	if (!s)
		return false;
	if (sc) {
		const struct process *d = app_shown(a);

		if (!(shown = process_step(d, s->id)) || d == p) {
			app_error(a, "step %zu is %s in scenario '%s': nothing to edit there", s->index + 1,
			           app_mark(a, s->id) == MARK_REMOVED ? "removed" : "merged into another",
			           sc->name);
			return false;
		}
	}
	if (!(fm = calloc(1, sizeof *fm)))
		return false;
	fm->kind = FORM_STEP;
	fm->id = s->id;
	fm->scen = sc ? sc->id : 0;
	if (sc)
		snprintf(fm->title, sizeof fm->title, "Step %zu of %zu in scenario '%s' (saved as cuts)",
		         s->index + 1, p->nsteps, sc->name);
	else if (app_scenario(a))
		snprintf(fm->title, sizeof fm->title, "Step %zu of %zu in the baseline (every scenario "
		         "sees it)", s->index + 1, p->nsteps);
	else
		snprintf(fm->title, sizeof fm->title, "Step %zu of %zu", s->index + 1, p->nsteps);
	if (!step_fields(a, fm, sc ? app_shown(a) : p, shown)) {
		form_free(fm);
		app_error(a, "out of memory");
		return false;
	}
	return form_push(a, fm);
}

bool
lane_form_open(struct app *a, sm_id lane)
{
	struct process *p = app_process(a);
	const struct lane *l = lane ? process_lane(p, lane) : NULL;
	struct form *fm;
	struct field *f;
	char cap[32] = "";
	size_t i;
	bool ok = true;

	if (!p || !(fm = calloc(1, sizeof *fm)))
		return false;
	fm->kind = FORM_LANE;
	fm->id = l ? l->id : 0;
	snprintf(fm->title, sizeof fm->title, "%s", l ? "Lane" : "New lane");
	add_text(fm, "name", l ? l->name : "");
	f = add_choice(fm, "stage");
	for (i = 0; i < STAGE_COUNT_ && ok; i++)
		ok = choice_push(f, stage_name((enum stage)i));
	f->sel = l ? (size_t)l->stage : STAGE_OFFSTAGE;
	if (l && l->capacity > 0)
		snprintf(cap, sizeof cap, "%d", l->capacity);
	add_text(fm, "capacity", cap);
	if (!ok) {
		form_free(fm);
		return false;
	}
	return form_push(a, fm);
}

bool
measure_form_open(struct app *a, sm_id measure)
{
	struct process *p = app_process(a);
	const struct measure *m = measure ? process_measure(p, measure) : NULL;
	struct form *fm;
	struct field *f;
	char from[32] = "", to[32] = "";
	const struct step *s;
	bool ok;

	if (!p || !(fm = calloc(1, sizeof *fm)))
		return false;
	fm->kind = FORM_MEASURE;
	fm->id = m ? m->id : 0;
	snprintf(fm->title, sizeof fm->title, "%s", m ? "Measure" : "New measure");
	if (m && (s = process_step(p, m->from)))
		snprintf(from, sizeof from, "%zu", s->index + 1);
	else if (!m && p->nsteps)
		snprintf(from, sizeof from, "%zu", a->cur + 1);
	if (m && (s = process_step(p, m->to)))
		snprintf(to, sizeof to, "%zu", s->index + 1);
	else if (!m && p->nsteps)
		snprintf(to, sizeof to, "%zu", p->nsteps);
	add_text(fm, "name", m ? m->name : "");
	add_text(fm, "from step", from);
	add_text(fm, "to step", to);
	f = add_choice(fm, "clock");
	ok = choice_push(f, clock_name(CLOCK_CUSTOMER)) && choice_push(f, clock_name(CLOCK_PROCESS));
	f->sel = m ? (size_t)m->clock : CLOCK_PROCESS;
	if (!ok) {
		form_free(fm);
		return false;
	}
	return form_push(a, fm);
}

static void
pick(struct app *a, size_t i, void *ctx)
{
	struct form *fm = ctx;
	struct field *f = &fm->f[fm->at];

	if (f->choice && i < f->nchoices)
		f->sel = i;
	validate(a, fm);
}

static int
form_handle(struct app *a, struct view *v, enum cmd c, tkey k)
{
	struct form *fm = v->state;
	struct field *f = &fm->f[fm->at];
	int fl;

	switch (c) {
	case CMD_CANCEL:
		app_say(a, "form closed, nothing changed");
		app_pop(a);
		return FL_REDRAW;
	case CMD_ACCEPT:
		fl = fm->kind == FORM_STEP ? step_save(a, fm)
		   : fm->kind == FORM_LANE ? lane_save(a, fm)
		   : fm->kind == FORM_PROCESS ? process_save(a, fm)
		   : fm->kind == FORM_BRANCH ? branch_save(a, fm) : measure_save(a, fm);
		if (fl & FL_QUIT) {
			app_pop(a);
			fl &= ~FL_QUIT;
		}
		return fl;
	case CMD_NEXT:
		fm->at = (fm->at + 1) % fm->n;
		return FL_REDRAW;
	case CMD_PREV:
		fm->at = (fm->at + fm->n - 1) % fm->n;
		return FL_REDRAW;
	default:
		break;
	}
	if (f->choice) {
		size_t i;

		switch (c) {
		case CMD_CUR_LEFT:
			f->sel = (f->sel + f->nchoices - 1) % f->nchoices;
			break;
		case CMD_CUR_RIGHT:
			f->sel = (f->sel + 1) % f->nchoices;
			break;
		case CMD_CHOOSE:
			choose_open(a, f->label, (const char *const *)f->choices, f->nchoices, f->sel, pick, fm);
			return FL_REDRAW;
		case CMD_NONE:
			if (k == TK_SPACE) {
				choose_open(a, f->label, (const char *const *)f->choices, f->nchoices, f->sel,
				            pick, fm);
				return FL_REDRAW;
			}
			/* a letter picks the next choice starting with it */
			for (i = 1; i <= f->nchoices && k > 0 && k < 128; i++) {
				size_t j = (f->sel + i) % f->nchoices;
				char ch = f->choices[j][0];

				if (ch && (ch | 0x20) == ((char)k | 0x20)) {
					f->sel = j;
					break;
				}
			}
			break;
		default:
			return FL_NONE;
		}
		validate(a, fm);
		return FL_REDRAW;
	}
	if (c == CMD_CHOOSE)
		return FL_NONE;
	if (!line_edit(&f->text, c, k))
		return FL_NONE;
	validate(a, fm);
	return FL_REDRAW;
}

/* Rows under field f: its message (wrapped, at most 3 rows) or its hint. */
static int
extra_rows(const struct field *f, int w)
{
	if (f->msg[0])
		return text_rows(f->msg, w, 3);
	return f->hint[0] ? 1 : 0;
}

static void
form_draw(struct app *a, struct view *v, struct rect r)
{
	struct form *fm = v->state;
	int y, row, at_row = 0, rows_needed = 0;
	int lw = r.w < 24 ? r.w / 3 : LABEL_W;
	int x = r.x + 2 + lw + 1, w = r.w - (x - r.x) - 1;
	size_t i;

	if (w < 1)
		w = 1;
	/* keep the current field and its message on screen */
	for (i = 0; i < fm->n; i++) {
		if (i == fm->at)
			at_row = rows_needed;
		rows_needed += 1 + extra_rows(&fm->f[i], w);
	}
	if (at_row < fm->top)
		fm->top = at_row;
	if (at_row + 1 + extra_rows(&fm->f[fm->at], w) > fm->top + (r.h - 3))
		fm->top = at_row + 1 + extra_rows(&fm->f[fm->at], w) - (r.h - 3);
	if (fm->top < 0)
		fm->top = 0;
	draw_text(r.y, r.x + 1, r.w - 1, fm->title, ST_HEADER);
	y = r.y + 2;
	row = 0;
	for (i = 0; i < fm->n && y < r.y + r.h - 1; i++) {
		struct field *f = &fm->f[i];
		bool cur = i == fm->at;
		int extra = extra_rows(f, w);

		if (row++ >= fm->top) {
			if (cur)
				draw_glyph(a, y, r.x, 1, "▶", ">", ST_NORMAL);
			draw_text(y, r.x + 2, lw, f->label, f->msg[0] ? ST_ERROR : ST_DIM);
			if (f->choice) {
				char text[300];

				snprintf(text, sizeof text, "%s %s %s", a->utf8 ? "◀" : "<",
				         field_value(f)[0] ? field_value(f) : "(none)", a->utf8 ? "▶" : ">");
				draw_text(y, x, w, text, cur ? ST_CURSOR : ST_NORMAL);
			} else if (cur)
				line_draw(a, &f->text, y, x, w, ST_NORMAL);
			else
				draw_text(y, x, w, field_value(f), ST_NORMAL);
			y++;
		}
		if (!extra)
			continue;
		if (row < fm->top) {
			row += extra;
			continue;
		}
		row += extra;
		if (f->msg[0])
			y += draw_wrapped(y, x, w, r.y + r.h - 1 - y < 3 ? r.y + r.h - 1 - y : 3, f->msg,
			                  ST_ERROR);
		else
			draw_fmt(y++, x, w, ST_DIM, "%s %s", a->utf8 ? "↳" : "=", f->hint);
	}
	if (r.h >= 4)
		draw_text(r.y + r.h - 1, r.x + 1, r.w - 1,
		          fm->f[fm->at].choice
		          ? "Enter save  Esc cancel  Tab next field  Left/Right or Space: choose"
		          : "Enter save  Esc cancel  Tab/Down next field  Shift-Tab/Up previous",
		          ST_DIM);
}

static bool
form_typing(struct app *a, struct view *v)
{
	(void)a;
	(void)v;
	return true;
}

static void
form_changed(struct app *a, struct view *v)
{
	validate(a, v->state);
}

static void
form_done(struct app *a, struct view *v)
{
	(void)a;
	if (v->state)
		form_free(v->state);
	v->state = NULL;
}

const struct view_ops form_view_ops = {
	.name = "form",
	.draw = form_draw,
	.handle = form_handle,
	.typing = form_typing,
	.changed = form_changed,
	.done = form_done,
};
