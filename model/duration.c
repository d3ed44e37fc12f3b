/*
 * duration.c - the one parser and the one formatter of durations and
 * distributions ("45s", "1h30m", "tri(3m,5m,10m)"), and their means.
 *
 * Grammar (blanks allowed around every part, keywords in any case):
 *   duration  := "" | "0" | part { part }         parts in d, h, m, s order
 *   part      := number unit                      unit: d h m s
 *   number    := digits [ "." digits ] [ e [+-] digits ]
 *   dist      := duration | kw "(" duration { "," duration } ")"
 *   kw        := uni | tri | exp | norm | logn
 *
 * What a person types is held to the normal form: a part after a larger
 * unit is less than one of the unit above it ("1h70m" is refused and the
 * message says "write 2h10m (or 130m)"), and a distribution must vary
 * ("exp(0)", "norm(10m,0)", "logn(20m,0)", "uni(5m,5m)", "tri(5m,5m,5m)" are
 * refused, saying the fixed time to write). The form, CSV cells and the
 * command line all read through dist_parse(), so the rules are the same
 * everywhere; dist_read() keeps the older, looser rules for what a workbook
 * already holds.
 *
 * Round trip. dist_format() writes a whole number of seconds as days, hours,
 * minutes and seconds ("1h30m"); anything else as the same whole part with
 * the rest in the seconds, written with the fewest significant digits that
 * read back to the same double ("20m34.5s"). dist_parse() sums the parts in
 * the order written, so the whole units add exactly and the last addition
 * (an integer plus a double whose exact sum is the original double) rounds
 * to the original value: format then parse gives the identical double.
 */
#include "model/duration.h"
#include "model/bounds.h"

#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define DAY_S   86400.0
#define HOUR_S  3600.0
#define MINUTE_S 60.0
/* Ten years of 365.25 days: anything longer is a typo, not a process. */
#define DURATION_MAX_S BOUND_DURATION_MAX_S
/* Longest text accepted; longer input is refused before it is looked at. */
#define DIST_INPUT_MAX 256
/* Longest piece of the user's text quoted back in a message. */
#define QUOTE_MAX 60

static const struct {
	const char *kw;
	int nparams;
	const char *params;          /* parameter names, for messages */
} dist_info[] = {
	[DIST_NONE]  = { "", 0, "" },
	[DIST_FIXED] = { "", 1, "" },
	[DIST_UNI]   = { "uni", 2, "min,max" },
	[DIST_TRI]   = { "tri", 3, "min,mode,max" },
	[DIST_EXP]   = { "exp", 1, "mean" },
	[DIST_NORM]  = { "norm", 2, "mean,sd" },
	[DIST_LOGN]  = { "logn", 2, "mean,sd" },
};

/* --- messages ------------------------------------------------------------ */

/* The user's text between two pointers, trimmed and shortened for a message. */
static void
quote(char *buf, size_t size, const char *s, size_t n)
{
	while (n > 0 && isspace((unsigned char)*s))
		s++, n--;
	while (n > 0 && isspace((unsigned char)s[n - 1]))
		n--;
	if (n > QUOTE_MAX)
		snprintf(buf, size, "%.*s...", QUOTE_MAX, s);
	else
		snprintf(buf, size, "%.*s", (int)n, s);
}

static const char *
field_prefix(const char *field, char *buf, size_t size)
{
	if (!field || !*field)
		return "";
	snprintf(buf, size, "%s: ", field);
	return buf;
}

/* The general "expected a duration" error, with an optional hint after it. */
static enum status
expected(struct err *err, const char *field, const char *text, size_t n,
         const char *hint)
{
	char q[QUOTE_MAX + 8], pre[128];

	quote(q, sizeof q, text, n);
	return err_set(err, STATUS_INPUT,
	               "%sexpected a duration like 5m or tri(3m,5m,10m), got '%s'%s",
	               field_prefix(field, pre, sizeof pre), q, hint ? hint : "");
}

/* --- parsing ------------------------------------------------------------- */

struct scan {
	const char *s;               /* the whole text */
	size_t n;                    /* its length */
	size_t i;                    /* position */
	const char *field;
	struct err *err;
	bool lenient;                /* dist_read(): what dist_format() wrote once */
};

static void
skip_blanks(struct scan *sc)
{
	while (sc->i < sc->n && isspace((unsigned char)sc->s[sc->i]))
		sc->i++;
}

static int
peek(const struct scan *sc)
{
	return sc->i < sc->n ? (unsigned char)sc->s[sc->i] : 0;
}

/*
 * Read a number token (no sign, no inf, no hex) at sc->i. Returns true and
 * the value, or false with sc->i unchanged when there is no number there.
 */
static bool
scan_number(struct scan *sc, double *v)
{
	size_t j = sc->i, digits = 0;
	char tok[80];

	while (j < sc->n && isdigit((unsigned char)sc->s[j]))
		j++, digits++;
	if (j < sc->n && sc->s[j] == '.') {
		j++;
		while (j < sc->n && isdigit((unsigned char)sc->s[j]))
			j++, digits++;
	}
	if (digits == 0)
		return false;
	if (j < sc->n && (sc->s[j] == 'e' || sc->s[j] == 'E')) {
		size_t k = j + 1;

		if (k < sc->n && (sc->s[k] == '+' || sc->s[k] == '-'))
			k++;
		if (k < sc->n && isdigit((unsigned char)sc->s[k])) {
			while (k < sc->n && isdigit((unsigned char)sc->s[k]))
				k++;
			j = k;
		}
	}
	if (j - sc->i >= sizeof tok)
		return false;
	memcpy(tok, sc->s + sc->i, j - sc->i);
	tok[j - sc->i] = '\0';
	*v = strtod(tok, NULL);
	sc->i = j;
	return true;
}

static double
unit_seconds(int c)
{
	switch (tolower(c)) {
	case 'd': return DAY_S;
	case 'h': return HOUR_S;
	case 'm': return MINUTE_S;
	case 's': return 1;
	default:  return 0;
	}
}

/* One of the unit above u, in seconds: 24h for an hour, 60m for a minute,
 * 60s for a second; no limit for a day. */
static double
unit_above(double u)
{
	return u == HOUR_S ? DAY_S : u == MINUTE_S ? HOUR_S : u == 1 ? MINUTE_S : INFINITY;
}

static const char *
unit_limit(double u)
{
	return u == HOUR_S ? "24h" : u == MINUTE_S ? "60m" : "60s";
}

/* The rest of a duration being read (the parts after an error found
 * mid-way), added into *v for the message; sc->i is left where it was. */
static void
scan_rest(struct scan *sc, double *v)
{
	size_t keep = sc->i;

	for (;;) {
		double x, u;

		skip_blanks(sc);
		if (!scan_number(sc, &x))
			break;
		skip_blanks(sc);
		if (!(u = unit_seconds(peek(sc))))
			break;
		sc->i++;
		*v += x * u;
	}
	sc->i = keep;
}

/*
 * Read one fixed duration starting at sc->i, up to the first character that
 * cannot continue it (',' ')' or the end). Returns STATUS_OK with *v, or an
 * error for the whole text in sc->err.
 */
static enum status
scan_duration(struct scan *sc, double *v)
{
	double total = 0, last_unit = INFINITY;
	bool any = false;

	skip_blanks(sc);
	for (;;) {
		double x, u;
		size_t start = sc->i;

		if (!scan_number(sc, &x)) {
			if (!any)
				return expected(sc->err, sc->field, sc->s, sc->n, NULL);
			break;
		}
		skip_blanks(sc);
		u = unit_seconds(peek(sc));
		if (u == 0) {
			/* A bare number: only zero needs no unit. */
			int c = peek(sc);

			if (!any && x == 0 && (c == 0 || c == ',' || c == ')')) {
				*v = 0;
				return STATUS_OK;
			}
			if (c == 0 || c == ',' || c == ')')
				return expected(sc->err, sc->field, sc->s, sc->n,
				                " (a number needs a unit: s, m, h or d)");
			return expected(sc->err, sc->field, sc->s, sc->n, NULL);
		}
		sc->i++;
		/* "5min", "5 minutes": a unit must end where a letter would go on. */
		if (isalpha(peek(sc)) && !unit_seconds(peek(sc)))
			return expected(sc->err, sc->field, sc->s, sc->n, NULL);
		if (!(u < last_unit)) {
			char q[QUOTE_MAX + 8], pre[128];

			quote(q, sizeof q, sc->s, sc->n);
			return err_set(sc->err, STATUS_INPUT,
			               "%sunits must go from days down to seconds, each once, got '%s'",
			               field_prefix(sc->field, pre, sizeof pre), q);
		}
		/* "1h70m": a part after a larger unit must be less than one of
		 * the unit above it (60m, 60s, 24h); said with the time it means */
		if (!sc->lenient && any && x * u >= unit_above(u)) {
			char q[QUOTE_MAX + 8], pre[128], part[48], whole[DIST_TEXT_MAX], alone[DIST_TEXT_MAX];
			double rest = x * u;

			quote(q, sizeof q, sc->s, sc->n);
			quote(part, sizeof part, sc->s + start, sc->i - start);
			scan_rest(sc, &rest);
			duration_format(total + rest, whole, sizeof whole);
			alone[0] = '\0';
			if ((total + rest) / u == floor((total + rest) / u))
				snprintf(alone, sizeof alone, " (or %.0f%c)", (total + rest) / u,
				         tolower(sc->s[sc->i - 1]));
			return err_set(sc->err, STATUS_INPUT,
			               "%s'%s' after a larger unit must be under %s: write %s%s, got '%s'",
			               field_prefix(sc->field, pre, sizeof pre), part, unit_limit(u), whole,
			               alone, q);
		}
		last_unit = u;
		total += x * u;
		any = true;
		skip_blanks(sc);
	}
	*v = total;
	return STATUS_OK;
}

/* Check one parameter: finite and at most ten years. */
static enum status
check_range(struct scan *sc, double v)
{
	char q[QUOTE_MAX + 8], pre[128];

	quote(q, sizeof q, sc->s, sc->n);
	if (!isfinite(v) || v > DURATION_MAX_S)
		return err_set(sc->err, STATUS_INPUT,
		               "%sa duration must be at most 10 years, got '%s'",
		               field_prefix(sc->field, pre, sizeof pre), q);
	return STATUS_OK;
}

/* A distribution that does not vary is a typo for a fixed time, or for a
 * spread forgotten: "exp(0)", "logn(20m,0)", "uni(5m,5m)". Said with what
 * to write instead. */
static enum status
check_spread(struct scan *sc, const struct dist *d)
{
	const char *what = NULL;
	char q[QUOTE_MAX + 8], pre[128], fixed[DIST_TEXT_MAX];

	switch (d->kind) {
	case DIST_EXP:
		if (d->p[0] <= 0)
			what = "needs a mean above 0";
		break;
	case DIST_NORM:
	case DIST_LOGN:
		if (d->p[1] <= 0)
			what = "needs an sd above 0";
		break;
	case DIST_UNI:
		if (d->p[0] == d->p[1])
			what = "needs min below max";
		break;
	case DIST_TRI:
		if (d->p[0] == d->p[2])
			what = "needs min below max";
		break;
	default:
		break;
	}
	if (!what)
		return STATUS_OK;
	quote(q, sizeof q, sc->s, sc->n);
	duration_format(d->kind == DIST_UNI || d->kind == DIST_TRI ? d->p[1] : d->p[0], fixed,
	                sizeof fixed);
	return err_set(sc->err, STATUS_INPUT, "%s%s(%s) %s: it would not vary (a fixed time is "
	               "written %s), got %s", field_prefix(sc->field, pre, sizeof pre),
	               dist_info[d->kind].kw, dist_info[d->kind].params, what, fixed, q);
}

/* The parameters' own rules (ordering, a lognormal's mean). */
static enum status
check_params(struct scan *sc, const struct dist *d)
{
	const char *rule = NULL;
	char q[QUOTE_MAX + 8], pre[128];

	switch (d->kind) {
	case DIST_UNI:
		if (!(d->p[0] <= d->p[1]))
			rule = "needs min <= max";
		break;
	case DIST_TRI:
		if (!(d->p[0] <= d->p[1] && d->p[1] <= d->p[2]))
			rule = "needs min <= mode <= max";
		break;
	case DIST_LOGN:
		if (d->p[0] <= 0 && d->p[1] > 0)
			rule = "needs a mean above 0 when sd is above 0";
		break;
	default:
		break;
	}
	if (!rule && !sc->lenient)
		return check_spread(sc, d);
	if (!rule)
		return STATUS_OK;
	quote(q, sizeof q, sc->s, sc->n);
	return err_set(sc->err, STATUS_INPUT, "%s%s(%s) %s, got %s",
	               field_prefix(sc->field, pre, sizeof pre), dist_info[d->kind].kw,
	               dist_info[d->kind].params, rule, q);
}

static int
dist_kind_of(const char *word, size_t n)
{
	int k;

	for (k = DIST_UNI; k < DIST_KIND_COUNT_; k++)
		if (strlen(dist_info[k].kw) == n && strncasecmp(dist_info[k].kw, word, n) == 0)
			return k;
	return -1;
}

static enum status
scan_function(struct scan *sc, struct dist *d)
{
	char q[QUOTE_MAX + 8], pre[128], w[QUOTE_MAX + 8];
	size_t start = sc->i, np = 0;
	int kind;
	enum status st;

	while (sc->i < sc->n && isalpha((unsigned char)sc->s[sc->i]))
		sc->i++;
	kind = dist_kind_of(sc->s + start, sc->i - start);
	skip_blanks(sc);
	if (peek(sc) != '(')
		return expected(sc->err, sc->field, sc->s, sc->n, NULL);
	quote(q, sizeof q, sc->s, sc->n);
	if (kind < 0) {
		quote(w, sizeof w, sc->s + start, sc->i - start);
		return err_set(sc->err, STATUS_INPUT,
		               "%sunknown distribution '%s' (use uni, tri, exp, norm or logn), got '%s'",
		               field_prefix(sc->field, pre, sizeof pre), w, q);
	}
	sc->i++;
	memset(d, 0, sizeof *d);
	d->kind = (enum dist_kind)kind;
	for (;;) {
		double v;

		skip_blanks(sc);
		if (peek(sc) == '-')
			return err_set(sc->err, STATUS_INPUT,
			               "%sdurations cannot be negative, got '%s'",
			               field_prefix(sc->field, pre, sizeof pre), q);
		if ((st = scan_duration(sc, &v)) != STATUS_OK)
			return st;
		if ((st = check_range(sc, v)) != STATUS_OK)
			return st;
		if (np < 3)
			d->p[np] = v;
		np++;
		skip_blanks(sc);
		if (peek(sc) == ',') {
			sc->i++;
			continue;
		}
		if (peek(sc) == ')') {
			sc->i++;
			break;
		}
		return expected(sc->err, sc->field, sc->s, sc->n, NULL);
	}
	if ((int)np != dist_info[kind].nparams)
		return err_set(sc->err, STATUS_INPUT,
		               "%s%s needs %d duration%s (%s), got %s",
		               field_prefix(sc->field, pre, sizeof pre), dist_info[kind].kw,
		               dist_info[kind].nparams, dist_info[kind].nparams > 1 ? "s" : "",
		               dist_info[kind].params, q);
	skip_blanks(sc);
	if (sc->i != sc->n)
		return expected(sc->err, sc->field, sc->s, sc->n, NULL);
	return check_params(sc, d);
}

static enum status
parse(const char *text, const char *field, struct dist *out, struct err *err, bool lenient)
{
	struct scan sc = { .s = text ? text : "", .field = field, .err = err, .lenient = lenient };
	struct dist d;
	char pre[128];
	enum status st;
	size_t j;

	sc.n = strnlen(sc.s, DIST_INPUT_MAX + 1);
	if (sc.n > DIST_INPUT_MAX)
		return err_set(err, STATUS_INPUT,
		               "%sexpected a duration like 5m or tri(3m,5m,10m), got a text of "
		               "more than %d characters", field_prefix(field, pre, sizeof pre),
		               DIST_INPUT_MAX);
	skip_blanks(&sc);
	if (sc.i == sc.n) {
		memset(out, 0, sizeof *out);
		out->kind = DIST_NONE;
		return STATUS_OK;
	}
	/* Say what is wrong with the commonest mistakes before the general
	 * message: a sign, and numbers that are not numbers. */
	j = sc.i;
	if (sc.s[j] == '-' || sc.s[j] == '+') {
		char q[QUOTE_MAX + 8];

		quote(q, sizeof q, sc.s, sc.n);
		if (sc.s[j] == '-')
			return err_set(err, STATUS_INPUT, "%sdurations cannot be negative, got '%s'",
			               field_prefix(field, pre, sizeof pre), q);
		j++;
	}
	if (sc.n - j >= 3 && (strncasecmp(sc.s + j, "inf", 3) == 0 ||
	                      strncasecmp(sc.s + j, "nan", 3) == 0)) {
		char q[QUOTE_MAX + 8];

		quote(q, sizeof q, sc.s, sc.n);
		return err_set(err, STATUS_INPUT, "%sexpected a finite duration, got '%s'",
		               field_prefix(field, pre, sizeof pre), q);
	}
	memset(&d, 0, sizeof d);
	if (isalpha(peek(&sc))) {
		if ((st = scan_function(&sc, &d)) != STATUS_OK)
			return st;
	} else {
		d.kind = DIST_FIXED;
		if ((st = scan_duration(&sc, &d.p[0])) != STATUS_OK)
			return st;
		if (sc.i != sc.n)
			return expected(err, field, sc.s, sc.n, NULL);
		if ((st = check_range(&sc, d.p[0])) != STATUS_OK)
			return st;
	}
	*out = d;
	return STATUS_OK;
}

enum status
dist_parse(const char *text, const char *field, struct dist *out, struct err *err)
{
	return parse(text, field, out, err, false);
}

enum status
dist_read(const char *text, const char *field, struct dist *out, struct err *err)
{
	return parse(text, field, out, err, true);
}

/* --- formatting ------------------------------------------------------------ */

/* The shortest text of v that strtod reads back to v: whole numbers without
 * an exponent, others by %g with the fewest significant digits. */
static void
shortest(double v, char *buf, size_t size)
{
	int prec;

	if (v == floor(v) && fabs(v) < 1e15) {
		snprintf(buf, size, "%.0f", v);
		return;
	}
	for (prec = 1; prec <= 17; prec++) {
		snprintf(buf, size, "%.*g", prec, v);
		if (strtod(buf, NULL) == v)
			return;
	}
}

static const struct {
	const char *kw;
	double secs;
	const char *letter;
} time_units[] = {
#define TIME_UNIT_ROW_(name, kw, secs, letter) [TIME_UNIT_##name] = { kw, secs, letter },
	TIME_UNIT_INFO(TIME_UNIT_ROW_)
#undef TIME_UNIT_ROW_
};

const char *
time_unit_name(enum time_unit u)
{
	return (unsigned)u < TIME_UNIT_COUNT_ ? time_units[u].kw : "";
}

double
time_unit_seconds(enum time_unit u)
{
	return (unsigned)u < TIME_UNIT_COUNT_ ? time_units[u].secs : 0;
}

int
time_unit_parse(const char *s)
{
	size_t k;

	if (!s)
		return -1;
	if (!strcasecmp(s, "m"))
		return TIME_UNIT_MIN;
	for (k = 0; k < TIME_UNIT_COUNT_; k++)
		if (!strcasecmp(s, time_units[k].kw))
			return (int)k;
	return -1;
}

enum status
time_unit_read(const char *text, const char *field, enum time_unit *out, struct err *err)
{
	char word[16];
	size_t n;
	int k = -1;

	while (text && isspace((unsigned char)*text))
		text++;
	n = text ? strlen(text) : 0;
	while (n && isspace((unsigned char)text[n - 1]))
		n--;
	if (n && n < sizeof word) {
		memcpy(word, text, n);
		word[n] = '\0';
		k = time_unit_parse(word);
	}
	if (k < 0)
		return err_set(err, STATUS_INPUT, "%s%sexpected %s, got '%.*s'",
		               field ? field : "", field ? ": " : "", TIME_UNIT_LIST,
		               (int)(n > QUOTE_MAX ? QUOTE_MAX : n), text ? text : "");
	*out = (enum time_unit)k;
	return STATUS_OK;
}

char *
duration_show(double seconds, enum time_unit u, char *buf, size_t size)
{
	double v;
	int decimals, len;

	if (!buf || size == 0)
		return buf;
	if ((unsigned)u >= TIME_UNIT_COUNT_ || u == TIME_UNIT_AUTO || !isfinite(seconds))
		return duration_format(seconds, buf, size);
	v = fabs(seconds) / time_units[u].secs;
	/* three significant digits, never fewer than the whole part, at most
	 * six decimals */
	decimals = v >= 100 ? 0 : v >= 10 ? 1 : v >= 1 ? 2
	         : v > 0 ? 2 - (int)floor(log10(v)) : 0;
	if (decimals > 6)
		decimals = 6;
	len = snprintf(buf, size, "%s%.*f", seconds < 0 ? "-" : "", decimals, v);
	if (len < 0 || (size_t)len >= size)
		return buf;
	if (decimals) {
		while (len > 0 && buf[len - 1] == '0')
			len--;
		if (len > 0 && buf[len - 1] == '.')
			len--;
	}
	if (len == 2 && buf[0] == '-' && buf[1] == '0')    /* "-0" is 0 */
		len = 0, buf[len++] = '0';
	snprintf(buf + len, size - (size_t)len, "%s", time_units[u].letter);
	return buf;
}

char *
duration_format(double seconds, char *buf, size_t size)
{
	static const struct { double s; char unit; } units[] = {
		{ DAY_S, 'd' }, { HOUR_S, 'h' }, { MINUTE_S, 'm' },
	};
	double whole, rest;
	size_t len = 0, k;

	if (!buf || size == 0)
		return buf;
	buf[0] = '\0';
	if (!isfinite(seconds) || seconds < 0 || seconds > 1e15) {
		/* Not a duration dist_parse() accepts; still say what it is. */
		char num[40];

		shortest(seconds, num, sizeof num);
		snprintf(buf, size, "%ss", num);
		return buf;
	}
	if (seconds == 0) {
		snprintf(buf, size, "0s");
		return buf;
	}
	whole = floor(seconds);
	/* Days, hours and minutes from the whole part; the seconds part takes
	 * the remainder exactly (seconds - whole-minutes is representable). */
	for (k = 0; k < sizeof units / sizeof units[0]; k++) {
		double n = floor(whole / units[k].s);

		if (n > 0) {
			int w = snprintf(buf + len, size - len, "%.0f%c", n, units[k].unit);

			if (w < 0 || (size_t)w >= size - len)
				return buf;
			len += (size_t)w;
			whole -= n * units[k].s;
		}
	}
	rest = seconds - (floor(seconds) - whole);
	if (rest > 0 || len == 0) {
		double base = floor(seconds) - whole;
		char num[40];
		int prec;

		/* The fewest digits for which base + rest, as dist_parse() adds
		 * them, gives back seconds exactly. */
		shortest(rest, num, sizeof num);
		for (prec = 1; prec <= 17 && rest != floor(rest); prec++) {
			char try[40];

			snprintf(try, sizeof try, "%.*g", prec, rest);
			if (base + strtod(try, NULL) == seconds) {
				memcpy(num, try, sizeof num);
				break;
			}
		}
		snprintf(buf + len, size - len, "%ss", num);
	}
	return buf;
}

char *
dist_format(const struct dist *d, char *buf, size_t size)
{
	size_t len;
	int k, n;

	if (!buf || size == 0)
		return buf;
	buf[0] = '\0';
	if (!d || d->kind == DIST_NONE || (unsigned)d->kind >= DIST_KIND_COUNT_)
		return buf;
	if (d->kind == DIST_FIXED)
		return duration_format(d->p[0], buf, size);
	n = dist_info[d->kind].nparams;
	snprintf(buf, size, "%s(", dist_info[d->kind].kw);
	for (k = 0; k < n; k++) {
		char part[DIST_TEXT_MAX];

		duration_format(d->p[k], part, sizeof part);
		len = strlen(buf);
		snprintf(buf + len, size - len, "%s%s", part, k + 1 < n ? "," : ")");
	}
	return buf;
}

/* --- arithmetic ------------------------------------------------------------ */

double
dist_mean(const struct dist *d)
{
	if (!d)
		return 0;
	switch (d->kind) {
	case DIST_FIXED:
	case DIST_EXP:
	case DIST_LOGN:
		return d->p[0];
	case DIST_UNI:
		return (d->p[0] + d->p[1]) / 2;
	case DIST_TRI:
		return (d->p[0] + d->p[1] + d->p[2]) / 3;
	case DIST_NORM: {
		/* A normal truncated at 0: mu + sigma * phi(a) / (1 - Phi(a)),
		 * a = -mu / sigma. */
		double mu = d->p[0], sigma = d->p[1], a, tail;

		if (!(sigma > 0))
			return mu > 0 ? mu : 0;
		a = -mu / sigma;
		tail = 0.5 * erfc(a / sqrt(2.0));
		if (!(tail > 1e-300))
			return 0;
		return mu + sigma * (exp(-0.5 * a * a) / sqrt(2 * M_PI)) / tail;
	}
	default:
		return 0;
	}
}

struct dist
dist_fixed(double s)
{
	struct dist d = { .kind = DIST_FIXED, .p = { s, 0, 0 } };

	return d;
}

bool
dist_equal(const struct dist *a, const struct dist *b)
{
	int k;

	if (a->kind != b->kind)
		return false;
	if ((unsigned)a->kind >= DIST_KIND_COUNT_)
		return true;
	for (k = 0; k < dist_info[a->kind].nparams; k++)
		if (a->p[k] != b->p[k])
			return false;
	return true;
}

struct dist
dist_scale(const struct dist *d, double factor)
{
	struct dist r = *d;
	int k;

	if ((unsigned)r.kind >= DIST_KIND_COUNT_)
		return r;
	for (k = 0; k < dist_info[r.kind].nparams; k++)
		r.p[k] = d->p[k] * factor;
	return r;
}

/* --- arrival rates ---------------------------------------------------------- */

static const struct rate_unit {
	const char *name;
	double s;
} rate_units[] = {
	{ "h", HOUR_S }, { "d", DAY_S }, { "m", MINUTE_S }, { "s", 1 },
	{ "hour", HOUR_S }, { "hr", HOUR_S }, { "day", DAY_S }, { "min", MINUTE_S },
	{ "sec", 1 }, { "w", 7 * DAY_S }, { "wk", 7 * DAY_S }, { "week", 7 * DAY_S },
};

enum status
dist_parse_arrival(const char *text, const char *field, struct dist *out, struct err *err)
{
	struct scan sc = { .s = text ? text : "", .field = field, .err = err };
	const char *slash;
	char pre[128], q[QUOTE_MAX + 8], unit[16];
	double count, per = 0;
	size_t i, j, k;

	sc.n = strnlen(sc.s, DIST_INPUT_MAX + 1);
	if (sc.n > DIST_INPUT_MAX || !(slash = memchr(sc.s, '/', sc.n)))
		return dist_parse(text, field, out, err);
	quote(q, sizeof q, sc.s, sc.n);
	skip_blanks(&sc);
	if (!scan_number(&sc, &count) || sc.s + sc.i > slash)
		goto bad;
	skip_blanks(&sc);
	if (sc.s + sc.i != slash)
		goto bad;
	sc.i++;
	skip_blanks(&sc);
	for (j = sc.i, k = 0; j < sc.n && isalpha((unsigned char)sc.s[j]) && k + 1 < sizeof unit; j++)
		unit[k++] = (char)tolower((unsigned char)sc.s[j]);
	unit[k] = '\0';
	sc.i = j;
	skip_blanks(&sc);
	if (sc.i != sc.n || !k)
		goto bad;
	if (k > 1 && unit[k - 1] == 's' && strcmp(unit, "s") != 0)
		unit[--k] = '\0';           /* hours, days, mins */
	for (i = 0; i < sizeof rate_units / sizeof rate_units[0]; i++)
		if (!strcmp(unit, rate_units[i].name))
			per = rate_units[i].s;
	if (per == 0)
		goto bad;
	if (!(count > 0) || !isfinite(count))
		return err_set(err, STATUS_INPUT, "%sa rate is more than 0 cases per unit, got '%s'",
		               field_prefix(field, pre, sizeof pre), q);
	if (!(per / count <= DURATION_MAX_S))
		return err_set(err, STATUS_INPUT, "%sa rate this low means a case every %s years or "
		               "more, got '%s'", field_prefix(field, pre, sizeof pre), "10", q);
	memset(out, 0, sizeof *out);
	out->kind = DIST_EXP;
	out->p[0] = per / count;
	return STATUS_OK;
bad:
	return err_set(err, STATUS_INPUT,
	               "%sexpected a rate like 12/h or 200/d (cases per s, m, h, d or w), or a "
	               "time between arrivals like exp(5m), got '%s'",
	               field_prefix(field, pre, sizeof pre), q);
}

char *
dist_format_rate(const struct dist *d, char *buf, size_t size)
{
	/* the units a rate is shown in: the one with the smallest whole-looking
	 * count of at least 1 wins (6/h, not 144/d; 200/d, not 8.33333/h) */
	static const size_t shown[] = { 0, 1, 2, 3, 9 };
	double best = INFINITY;
	size_t i;

	if (size)
		buf[0] = '\0';
	if (d->kind != DIST_EXP || !(d->p[0] > 0))
		return buf;
	for (i = 0; i < sizeof shown / sizeof shown[0]; i++) {
		const struct rate_unit *u = &rate_units[shown[i]];
		double count = u->s / d->p[0];
		char num[40], text[64];
		struct dist back;

		/* 3600 / (3600 / 7) need not be 7 exactly: the count to six
		 * digits, kept when it reads back to the same mean */
		snprintf(num, sizeof num, "%.6g", count);
		if (strchr(num, 'e') || count < 1 - 1e-9 || count >= best)
			continue;
		snprintf(text, sizeof text, "%s/%s", num, u->name);
		if (dist_parse_arrival(text, NULL, &back, NULL) == STATUS_OK && dist_equal(&back, d)) {
			snprintf(buf, size, "%s", text);
			best = count;
		}
	}
	return buf;
}
