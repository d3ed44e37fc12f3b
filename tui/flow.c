/*
 * flow.c - flows from the keyboard, on the map and the lane view: a step
 * made a decision (D), a branch added (B; a target alone on a plain step:
 * a jump, its one way on), a rework loop back (R), a
 * selection run in parallel in the baseline (|), a decision taken away
 * keeping one way (Z); the cursor on a branch line, where Enter opens the
 * branch form and d deletes the branch.
 *
 * Targets are typed on the bottom line in the CSV `next` syntax (csv.h),
 * or picked: Up and Down mark a step on the map, Tab types its number:
 *     5@70% Approve {amount < 1000} | 9@30% Reject
 * each item a step number (or /word: the first step after this one whose
 * name holds the word), optionally @ and its probability (70%, 0.7), a
 * label, a condition in braces. D also takes bare targets ("5 9"): then
 * each branch's label (and probability, "Approve 70%") is asked in turn,
 * and the branches given none share what the others leave, evenly.
 *
 * Every change is one edit of model/edit_flow.c through app_do(): one
 * transaction, one undo. Probabilities are written as given: when a step's
 * branches do not sum to 100 % the status line and the map say so, and
 * nothing rescales them behind the user's back.
 */
#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model/edit_flow.h"
#include "tui/app.h"

#define ITEMS_MAX 16
#define TEXT_MAX 256

struct item {
	sm_id to;
	char label[TEXT_MAX];
	char cond[TEXT_MAX];
	double prob;                 /* < 0: not given */
	bool bare;                   /* only a target was typed */
};

/* The decision being given its labels one by one (one at a time). */
static struct pending {
	sm_id step;
	struct item b[ITEMS_MAX];
	size_t n, at;
} pend;

/* --- reading what is typed ------------------------------------------------------------ */

bool
flow_prob_parse(const char *text, double *out)
{
	char *end;
	double v;
	bool pct = false;

	while (*text == ' ')
		text++;
	if (!*text) {
		*out = -1;
		return true;
	}
	errno = 0;
	v = strtod(text, &end);
	if (end == text || errno)
		return false;
	while (*end == ' ')
		end++;
	if (*end == '%') {
		pct = true;
		end++;
	}
	while (*end == ' ')
		end++;
	if (*end || !isfinite(v) || v < 0)
		return false;
	if (pct || v > 1)
		v /= 100;
	if (v > 1)
		return false;
	*out = v;
	return true;
}

/* A step of p named by a number or /word (searching on from step index
 * `from`, round to it). NULL with msg set when there is none. */
static const struct step *
target(struct app *a, const struct process *p, const char *word, size_t from, char *msg,
       size_t size)
{
	char *end;
	unsigned long n;
	size_t i;

	(void)a;
	if (word[0] == '/' && word[1]) {
		for (i = 1; i <= p->nsteps; i++) {
			const struct step *s = p->steps[(from + i) % p->nsteps];

			if (text_contains(s->name, word + 1))
				return s;
		}
		snprintf(msg, size, "no step's name holds '%s'", word + 1);
		return NULL;
	}
	errno = 0;
	n = strtoul(word, &end, 10);
	if (errno || end == word || *end || word[0] == '-' || n < 1 || n > p->nsteps) {
		snprintf(msg, size, "expected a step number from 1 to %zu or /word, got '%s'",
		         p->nsteps, word);
		return NULL;
	}
	return p->steps[n - 1];
}

/* Copy text[0..n) into out without its blanks at both ends, taking a
 * backslash's next character literally. */
static void
unescape(const char *text, size_t n, char *out, size_t size)
{
	size_t i, k = 0;

	while (n && text[0] == ' ')
		text++, n--;
	while (n && text[n - 1] == ' ')
		n--;
	for (i = 0; i < n && k + 1 < size; i++) {
		if (text[i] == '\\' && i + 1 < n)
			i++;
		out[k++] = text[i];
	}
	out[k] = '\0';
}

/* A last word of label like "70%" is a probability: into *prob, and off the
 * label. */
static void
take_percent(char *label, double *prob)
{
	char *last = strrchr(label, ' ');
	double pr;

	last = last ? last + 1 : label;
	if (*last && strchr(last, '%') && flow_prob_parse(last, &pr)) {
		*prob = pr;
		*last = '\0';
		while (last > label && last[-1] == ' ')
			*--last = '\0';
	}
}

/* One item "5@70% label {condition}" (or "5 label 70%") into it; false
 * with msg. */
static bool
parse_item(struct app *a, const struct process *p, const char *text, size_t from,
           struct item *it, char *msg, size_t size)
{
	char word[TEXT_MAX], pr[64] = "";
	const char *s = text, *rest, *brace;
	const struct step *t;
	size_t n;

	memset(it, 0, sizeof *it);
	while (*s == ' ')
		s++;
	for (n = 0; s[n] && s[n] != ' ' && s[n] != '@' && n + 1 < sizeof word; n++)
		word[n] = s[n];
	word[n] = '\0';
	if (!n) {
		snprintf(msg, size, "a branch starts with its step: a number or /word");
		return false;
	}
	if (!(t = target(a, p, word, from, msg, size)))
		return false;
	it->to = t->id;
	rest = s + n;
	it->prob = -1;
	if (*rest == '@') {
		for (n = 0, rest++; rest[n] && rest[n] != ' ' && n + 1 < sizeof pr; n++)
			pr[n] = rest[n];
		pr[n] = '\0';
		rest += n;
		if (!flow_prob_parse(pr, &it->prob) || it->prob < 0) {
			snprintf(msg, size, "branch to %s: expected a probability like 70%% or 0.7, got '%s'",
			         word, pr);
			return false;
		}
	}
	brace = NULL;
	for (n = 0; rest[n]; n++) {
		if (rest[n] == '\\' && rest[n + 1]) {
			n++;
			continue;
		}
		if (rest[n] == '{') {
			brace = rest + n;
			break;
		}
	}
	unescape(rest, brace ? (size_t)(brace - rest) : strlen(rest), it->label, sizeof it->label);
	if (brace) {
		const char *close = strrchr(brace, '}');

		if (!close) {
			snprintf(msg, size, "branch to %s: the condition's { has no }", word);
			return false;
		}
		unescape(brace + 1, (size_t)(close - brace - 1), it->cond, sizeof it->cond);
	}
	if (it->prob < 0)
		take_percent(it->label, &it->prob);
	it->bare = it->prob < 0 && !it->label[0] && !it->cond[0];
	return true;
}

/* Items separated by '|' (a backslash keeps one); returns the count, or
 * -1 with msg. */
static int
parse_items(struct app *a, const struct process *p, const char *text, size_t from,
            struct item *items, size_t max, char *msg, size_t size)
{
	char buf[TEXT_MAX * 2];
	size_t n = 0, i, k = 0;

	for (i = 0;; i++) {
		if (text[i] == '\\' && text[i + 1]) {
			if (k + 2 < sizeof buf) {
				buf[k++] = text[i];
				buf[k++] = text[i + 1];
			}
			i++;
			continue;
		}
		if (text[i] == '|' || !text[i]) {
			buf[k] = '\0';
			if (n == max) {
				snprintf(msg, size, "at most %zu branches at once", max);
				return -1;
			}
			if (!parse_item(a, p, buf, from, &items[n], msg, size))
				return -1;
			n++;
			k = 0;
			if (!text[i])
				break;
			continue;
		}
		if (k + 1 < sizeof buf)
			buf[k++] = text[i];
	}
	return (int)n;
}

/* "5 9 /reject": bare targets only; the count, 0 when it is not that. */
static size_t
parse_bare(struct app *a, const struct process *p, const char *text, size_t from,
           struct item *items, size_t max)
{
	char word[TEXT_MAX], msg[200];
	const struct step *t;
	size_t n = 0, k;

	if (strpbrk(text, "|@{"))
		return 0;
	while (*text) {
		while (*text == ' ')
			text++;
		if (!*text)
			break;
		for (k = 0; text[k] && text[k] != ' ' && k + 1 < sizeof word; k++)
			word[k] = text[k];
		word[k] = '\0';
		text += k;
		if (n == max || !(t = target(a, p, word, from, msg, sizeof msg)))
			return 0;
		memset(&items[n], 0, sizeof items[n]);
		items[n].to = t->id;
		items[n].prob = -1;
		items[n].bare = true;
		n++;
	}
	return n;
}

/* Branches without a probability share what the others leave, evenly (0
 * each when nothing is left). */
static void
fill_probs(struct item *b, size_t n)
{
	double given = 0;
	size_t i, unset = 0;

	for (i = 0; i < n; i++) {
		if (b[i].prob >= 0)
			given += b[i].prob;
		else
			unset++;
	}
	for (i = 0; i < n && unset; i++)
		if (b[i].prob < 0)
			b[i].prob = given < 1 ? (1 - given) / (double)unset : 0;
}

/* --- saying the sums ------------------------------------------------------------------ */

/* After an edit: the step's branches not summing to 100 % said plainly. */
int
flow_say_sums(struct app *a, int fl, sm_id step)
{
	const struct process *p = app_process(a);
	const struct step *s = p ? process_step(p, step) : NULL;
	char done[sizeof a->status];
	double sum;
	size_t given, unset;

	if (!(fl & FL_CHANGED) || !s || flow_prob_check(p, step, &sum, &given, &unset))
		return fl;
	snprintf(done, sizeof done, "%s", a->status);
	app_error(a, "%s; step %zu's branches sum to %.4g %%, not 100 %% (figures and simulation "
	          "take them as shares of it)", done, s->index + 1, sum * 100);
	return fl;
}

char *
flow_branch_text(struct app *a, const struct process *p, const struct flow *f, char *buf,
                 size_t size)
{
	const struct step *to = process_step(p, f->to);
	char pr[16] = "", num[24] = "";

	if (f->prob >= 0)
		snprintf(pr, sizeof pr, "%.0f%% ", f->prob * 100);
	/* the map's (the baseline's) number; a step a scenario's cut made (a
	 * parallel join) has none */
	if (!to || app_listed_number(a, p, to->index))
		snprintf(num, sizeof num, "%zu ", to ? app_listed_number(a, p, to->index) : 0);
	snprintf(buf, size, " %s%s %s%s%s%s%s", pr, a->utf8 ? "→" : "->", num,
	         to ? to->name : "?", f->label ? "  \"" : "", f->label ? f->label : "",
	         f->label ? "\"" : "");
	return buf;
}

void
flow_draw_sum(struct app *a, const struct process *p, const struct step *s, int y, int x, int w)
{
	double sum;
	size_t given, unset;

	if (w <= 0 || flow_prob_check(p, s->id, &sum, &given, &unset))
		return;
	draw_fmt(y, x, w, ST_ERROR, "%s sum %.4g %%, not 100 %%", a->utf8 ? "⚠" : "!", sum * 100);
}

/* --- the cursor on branch lines --------------------------------------------------------- */

/* The branch lines of the cursor's step the cursor can stand on. */
static size_t
shown_flows(struct app *a, const struct process *p, const struct flow *const **f)
{
	size_t n, rows;

	if (a->cur >= p->nsteps)
		return 0;
	rows = app_branch_rows(a, p, a->cur);
	*f = app_flows_from(a, p->steps[a->cur], &n);
	return rows == 0 ? 0 : n < BRANCHES_SHOWN ? n : BRANCHES_SHOWN;
}

size_t
flow_cursor_row(struct app *a)
{
	struct process *p = app_process(a);
	const struct flow *const *f;
	const struct flow *cf = app_cur_flow(a);
	size_t n, k;

	if (!p || !cf)
		return 0;
	n = shown_flows(a, p, &f);
	for (k = 0; k < n; k++)
		if (f[k] == cf)
			return k + 1;
	return 0;
}

bool
flow_cursor_move(struct app *a, const struct process *p, int dir)
{
	const struct flow *const *f;
	size_t n = shown_flows(a, p, &f), row = flow_cursor_row(a);

	if (dir > 0) {
		if (row < n) {
			a->cur_flow = f[row]->id;
			return true;
		}
		return a->cur + 1 >= p->nsteps;      /* the last line: stay */
	}
	if (row > 0) {
		a->cur_flow = row > 1 ? f[row - 2]->id : 0;
		return true;
	}
	if (a->cur == 0)
		return false;
	app_set_cursor(a, a->cur - 1);
	n = shown_flows(a, p, &f);
	if (n)
		a->cur_flow = f[n - 1]->id;
	return true;
}

/* --- the commands ----------------------------------------------------------------------- */

static int
do_edit(struct app *a, enum status st, struct edit **e, struct err *err, sm_id step,
        const char *what)
{
	int fl;

	if (st != STATUS_OK && st != STATUS_NOMEM) {
		edit_free(e);
		app_error(a, "%s: %s", what, err->msg[0] ? err->msg : status_text(st));
		return FL_REDRAW;
	}
	fl = app_do(a, st, e, what);
	return flow_say_sums(a, fl, step);
}

static int
make_decision(struct app *a, sm_id step, struct item *b, size_t n)
{
	struct branch br[ITEMS_MAX];
	struct edit *e = NULL;
	struct err err;
	size_t i;

	err_clear(&err);
	fill_probs(b, n);
	for (i = 0; i < n; i++)
		br[i] = (struct branch){ b[i].to, b[i].label, b[i].cond, b[i].prob };
	return do_edit(a, edit_decision_make(a->wb, step, br, n, &e, &err), &e, &err, step,
	               "decision");
}

static int label_accept(struct app *a, const char *text, void *ctx);

/* Ask for the label of pend.b[pend.at]. */
static void
ask_label(struct app *a)
{
	const struct process *p = app_process(a);
	const struct step *t = p ? process_step(p, pend.b[pend.at].to) : NULL;
	char label[64], name[20];
	size_t n;

	/* the target's name cut to fit the question, at a character's start */
	snprintf(name, sizeof name, "%s", t ? t->name : "?");
	n = strlen(name);
	if (t && n < strlen(t->name))
		while (n > 0 && ((unsigned char)t->name[n] & 0xC0) == 0x80)
			name[--n] = '\0';
	snprintf(label, sizeof label, "%zu/%zu to %zu %s: label [%%]: ", pend.at + 1, pend.n,
	         t ? t->index + 1 : 0, name);
	app_prompt(a, label, "", label_accept, NULL);
}

static int
label_accept(struct app *a, const char *text, void *ctx)
{
	struct item *it = &pend.b[pend.at];
	char buf[TEXT_MAX];

	(void)ctx;
	snprintf(buf, sizeof buf, "%s", text);
	/* a last word that is a percentage is the probability */
	take_percent(buf, &it->prob);
	unescape(buf, strlen(buf), it->label, sizeof it->label);
	if (++pend.at < pend.n) {
		ask_label(a);
		return FL_REDRAW;
	}
	return make_decision(a, pend.step, pend.b, pend.n);
}

static int
decide_accept(struct app *a, const char *text, void *ctx)
{
	struct process *p = app_process(a);
	const struct step *s = p ? process_step(p, (sm_id)(intptr_t)ctx) : NULL;
	struct item items[ITEMS_MAX];
	char msg[300];
	size_t n;
	int k;

	if (!s)
		return FL_REDRAW;
	if (!text[0]) {
		app_say(a, "decision: nothing changed");
		return FL_REDRAW;
	}
	if ((n = parse_bare(a, p, text, s->index, items, ITEMS_MAX)) >= 2) {
		pend.step = s->id;
		pend.n = n;
		pend.at = 0;
		memcpy(pend.b, items, n * sizeof *items);
		ask_label(a);
		return FL_REDRAW;
	}
	if ((k = parse_items(a, p, text, s->index, items, ITEMS_MAX, msg, sizeof msg)) < 0) {
		app_error(a, "decision: %s", msg);
		return FL_REDRAW;
	}
	return make_decision(a, s->id, items, (size_t)k);
}

static int
branch_accept(struct app *a, const char *text, void *ctx)
{
	struct process *p = app_process(a);
	const struct step *s = p ? process_step(p, (sm_id)(intptr_t)ctx) : NULL;
	struct item it;
	struct branch b;
	struct edit *e = NULL;
	struct err err;
	char msg[300];

	if (!s || !text[0])
		return FL_REDRAW;
	if (!parse_item(a, p, text, s->index, &it, msg, sizeof msg)) {
		app_error(a, "branch: %s", msg);
		return FL_REDRAW;
	}
	err_clear(&err);
	b = (struct branch){ it.to, it.label, it.cond, it.prob };
	return do_edit(a, edit_branch_add(a->wb, s->id, &b, &e, &err), &e, &err, s->id, "branch");
}

static int
loop_accept(struct app *a, const char *text, void *ctx)
{
	struct process *p = app_process(a);
	const struct step *s = p ? process_step(p, (sm_id)(intptr_t)ctx) : NULL;
	struct item it;
	struct edit *e = NULL;
	struct err err;
	char msg[300];

	if (!s || !text[0])
		return FL_REDRAW;
	if (!parse_item(a, p, text, s->index, &it, msg, sizeof msg)) {
		app_error(a, "loop: %s", msg);
		return FL_REDRAW;
	}
	if (it.prob < 0) {
		app_error(a, "loop: give its probability after the step: %s@20%%", text);
		return FL_REDRAW;
	}
	err_clear(&err);
	return do_edit(a, edit_loop_add(a->wb, s->id, it.to, it.prob, it.label, &e, &err), &e, &err,
	               s->id, "loop");
}

static int
keep_accept(struct app *a, const char *text, void *ctx)
{
	struct process *p = app_process(a);
	const struct step *s = p ? process_step(p, (sm_id)(intptr_t)ctx) : NULL;
	const struct step *t;
	const struct flow *const *f;
	struct edit *e = NULL;
	struct err err;
	char msg[300];
	size_t n, k;

	if (!s || !text[0])
		return FL_REDRAW;
	if (!(t = target(a, p, text, s->index, msg, sizeof msg))) {
		app_error(a, "keep: %s", msg);
		return FL_REDRAW;
	}
	f = app_flows_from(a, s, &n);
	for (k = 0; k < n && f[k]->to != t->id; k++)
		;
	if (k == n) {
		app_error(a, "keep: step %zu has no branch to step %zu", s->index + 1, t->index + 1);
		return FL_REDRAW;
	}
	err_clear(&err);
	return do_edit(a, edit_decision_remove(a->wb, s->id, f[k]->id, &e, &err), &e, &err, s->id,
	               "remove decision");
}

/* The current branches of s in the item syntax (D on a decision shows
 * them to edit). */
static void
items_text(struct app *a, const struct process *p, const struct step *s, char *buf, size_t size)
{
	const struct flow *const *f;
	size_t n, k, used = 0;

	buf[0] = '\0';
	f = app_flows_from(a, s, &n);
	for (k = 0; k < n && used + 1 < size; k++) {
		const struct step *t = process_step(p, f[k]->to);
		char pr[32] = "";

		if (f[k]->prob >= 0)
			snprintf(pr, sizeof pr, "@%.4g%%", f[k]->prob * 100);
		used += (size_t)snprintf(buf + used, size - used, "%s%zu%s%s%s%s%s%s", k ? " | " : "",
		                         t ? t->index + 1 : 0, pr, f[k]->label ? " " : "",
		                         f[k]->label ? f[k]->label : "", f[k]->condition ? " {" : "",
		                         f[k]->condition ? f[k]->condition : "",
		                         f[k]->condition ? "}" : "");
		if (used >= size)
			used = size - 1;
	}
}

int
flow_command(struct app *a, enum cmd c)
{
	struct process *p = app_process(a);
	struct step *s = app_step(a);
	const struct flow *cf = app_cur_flow(a);
	char label[64], initial[600];
	struct edit *e = NULL;
	struct err err;
	size_t lo, hi, n;

	switch (c) {
	case CMD_DECIDE: case CMD_BRANCH: case CMD_LOOP: case CMD_PARALLEL_BLOCK:
	case CMD_UNDECIDE:
		break;
	case CMD_EDIT:
	case CMD_DELETE:
		if (!cf)
			return FL_UNHANDLED;
		break;
	default:
		return FL_UNHANDLED;
	}
	if (!p || !s) {
		app_error(a, "%s: no step here", cmd_info(c)->name);
		return FL_REDRAW;
	}
	err_clear(&err);
	switch (c) {
	case CMD_EDIT:
		branch_form_open(a, cf->id);
		return FL_REDRAW;
	case CMD_DELETE: {
		sm_id id = cf->id;

		a->cur_flow = 0;
		return flow_say_sums(a, app_do(a, edit_flow_del(a->wb, id, &e), &e, "delete branch"), s->id);
	}
	case CMD_DECIDE:
		items_text(a, p, s, initial, sizeof initial);
		snprintf(label, sizeof label, "step %zu branches to (5 9, 5@70%% Yes | 9 No; Tab): ",
		         s->index + 1);
		app_prompt_pick(a, label, initial, decide_accept, (void *)(intptr_t)s->id);
		return FL_REDRAW;
	case CMD_BRANCH:
		snprintf(label, sizeof label, "branch from %zu to (7@20%% Escalate): ", s->index + 1);
		app_prompt_pick(a, label, "", branch_accept, (void *)(intptr_t)s->id);
		return FL_REDRAW;
	case CMD_LOOP:
		snprintf(label, sizeof label, "rework loop from %zu back to (3@20%% Redo): ",
		         s->index + 1);
		app_prompt_pick(a, label, "", loop_accept, (void *)(intptr_t)s->id);
		return FL_REDRAW;
	case CMD_UNDECIDE:
		app_flows_from(a, s, &n);
		if (n == 0) {
			app_error(a, "step %zu has no branches to take away", s->index + 1);
			return FL_REDRAW;
		}
		if (cf) {
			snprintf(initial, sizeof initial, "%zu", process_step(p, cf->to)->index + 1);
			return keep_accept(a, initial, (void *)(intptr_t)s->id);
		}
		snprintf(label, sizeof label, "step %zu: keep the way to step: ", s->index + 1);
		snprintf(initial, sizeof initial, "%zu",
		         process_step(p, app_flows_from(a, s, &n)[0]->to)->index + 1);
		app_prompt(a, label, initial, keep_accept, (void *)(intptr_t)s->id);
		return FL_REDRAW;
	case CMD_PARALLEL_BLOCK:
		if (!app_selection(a, &lo, &hi)) {
			app_error(a, "parallel: select the steps first (V, then move, then |)");
			return FL_REDRAW;
		}
		a->sel = false;
		return do_edit(a, edit_parallel_make(a->wb, p->steps[lo]->id, p->steps[hi]->id, &e,
		                                     &err),
		               &e, &err, p->steps[lo]->id, "parallel");
	default:
		return FL_UNHANDLED;
	}
}
