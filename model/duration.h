/*
 * duration.h - durations and distributions of time, in one text syntax.
 *
 * A duration is a fixed time ("45s", "5m", "1h30m", "2d", "1.5h") or a
 * distribution of times: "uni(2m,4m)", "tri(3m,5m,10m)", "exp(7.5m)",
 * "norm(10m,2m)" (truncated at 0 when sampled), "logn(20m,8m)" (mean and
 * standard deviation of the time itself, not of its logarithm). The same
 * syntax is used in form fields, CSV cells, the command line and the
 * workbook, so one parser and one formatter serve them all.
 *
 * Values are held in seconds as doubles. dist_format() writes the shortest
 * text that dist_parse() reads back to the identical value (round trip exact).
 */
#ifndef STEPMAP_DURATION_H
#define STEPMAP_DURATION_H

#include <stdbool.h>
#include <stddef.h>

#include "model/status.h"

/* _(NAME, keyword in the syntax, number of parameters) */
#define DIST_KIND_INFO(_) \
	_(NONE,  "",     0) \
	_(FIXED, "",     1) \
	_(UNI,   "uni",  2) \
	_(TRI,   "tri",  3) \
	_(EXP,   "exp",  1) \
	_(NORM,  "norm", 2) \
	_(LOGN,  "logn", 2)

enum dist_kind {
#define DIST_ENUM_(name, kw, n) DIST_##name,
	DIST_KIND_INFO(DIST_ENUM_)
#undef DIST_ENUM_
	DIST_KIND_COUNT_
};

/*
 * A duration. DIST_NONE is "not given" and counts as zero time.
 *   FIXED: p[0] seconds
 *   UNI:   p[0] min, p[1] max
 *   TRI:   p[0] min, p[1] mode, p[2] max
 *   EXP:   p[0] mean
 *   NORM:  p[0] mean, p[1] standard deviation
 *   LOGN:  p[0] mean, p[1] standard deviation
 */
struct dist {
	enum dist_kind kind;
	double p[3];
};

/* Longest text dist_format() writes, NUL included. */
#define DIST_TEXT_MAX 96

/*
 * Parse text (leading and trailing blanks allowed) into *out. The empty
 * string gives DIST_NONE. On error *out is unchanged and err says what was
 * expected, prefixed with field when field is not NULL:
 *   "work: expected a duration like 5m or tri(3m,5m,10m), got '5 minutes'".
 * Parameters must be finite, non-negative, at most 10 years, and ordered
 * (uni min <= max; tri min <= mode <= max). A part after a larger unit must
 * be less than one of the unit above it ("1h70m": "write 2h10m (or 130m)"),
 * and a distribution must vary ("exp(0)", "logn(20m,0)", "uni(5m,5m)": "a
 * fixed time is written 20m").
 */
enum status dist_parse(const char *text, const char *field, struct dist *out,
                       struct err *err);
/*
 * dist_parse() for what a workbook or an edit already holds: the same
 * syntax, without the rules on how a person writes a time ("1h70m" reads as
 * 2h10m; a distribution may have no spread: "exp(0)", "norm(5m,0)"), so a
 * workbook written before those rules still opens.
 */
enum status dist_read(const char *text, const char *field, struct dist *out,
                      struct err *err);

/*
 * Write d into buf (size at least DIST_TEXT_MAX) as the canonical text:
 * "" for NONE, "0s", "45s", "5m", "1h30m", "2d3h", "7.25s", "tri(3m,5m,10m)".
 * Returns buf.
 */
char *dist_format(const struct dist *d, char *buf, size_t size);

/* Write a time in seconds as a duration ("1h30m", "0s"). Returns buf. */
char *duration_format(double seconds, char *buf, size_t size);

/*
 * The unit a process's times are shown in (its setting, kept in the
 * workbook): AUTO writes each time as a duration in the units that read best
 * ("1h30m", "26m48s"); the others write every time as a number of that one
 * unit, with the unit's letter of the duration syntax ("90m", "1.5h"), so a
 * figure shown reads back as the same time.
 * _(NAME, keyword, seconds in the unit, letter written after the number)
 */
#define TIME_UNIT_INFO(_) \
	_(AUTO, "auto", 0,     "") \
	_(S,    "s",    1,     "s") \
	_(MIN,  "min",  60,    "m") \
	_(H,    "h",    3600,  "h") \
	_(D,    "d",    86400, "d")

enum time_unit {
#define TIME_UNIT_ENUM_(name, kw, secs, letter) TIME_UNIT_##name,
	TIME_UNIT_INFO(TIME_UNIT_ENUM_)
#undef TIME_UNIT_ENUM_
	TIME_UNIT_COUNT_
};

/* The keywords, as one phrase for messages and help. */
#define TIME_UNIT_LIST "auto, s, min, h or d"

/* "auto", "s", "min", "h", "d"; "" when out of range. */
const char *time_unit_name(enum time_unit u);
/* The seconds in one u (60 for min); 0 for AUTO. */
double time_unit_seconds(enum time_unit u);
/* A unit from its keyword (any case; "m" is min too); -1 when unknown. */
int time_unit_parse(const char *s);
/* time_unit_parse() with the message: "time_unit: expected auto, s, min,
 * h or d, got 'parsec'" (field first when not NULL). Blanks around it are
 * allowed; "" is refused. */
enum status time_unit_read(const char *text, const char *field, enum time_unit *out,
                           struct err *err);

/*
 * A time of seconds as shown in unit u, into buf: AUTO is duration_format()
 * of seconds as given (callers round it as their place needs); another unit
 * is the number of that unit with up to three significant digits (no
 * fewer than its whole part, no more than six decimals) and its letter: 1608 s is "26.8m" in min,
 * "0.447h" in h; 5400 s is "90m", "1.5h". A negative time keeps its sign.
 * Callers that round a time for reading round it for AUTO only, so a time
 * in a unit reads the same on every screen, in the report and the readout.
 * Returns buf.
 */
char *duration_show(double seconds, enum time_unit u, char *buf, size_t size);

/* The mean of d in seconds (0 for NONE). For NORM the truncation at 0 is
 * taken into account. */
double dist_mean(const struct dist *d);

/* A fixed duration of s seconds. */
struct dist dist_fixed(double s);

/* True when a and b are the same distribution with the same parameters. */
bool dist_equal(const struct dist *a, const struct dist *b);

/* d with every time parameter multiplied by factor (factor >= 0). */
struct dist dist_scale(const struct dist *d, double factor);

/*
 * An arrival pattern (the time between case arrivals): anything
 * dist_parse() reads, or a rate as people say it: "12/h", "200/d",
 * "0.5/m", "3/s" (also /min, /hour, /day, /week), a positive number of
 * cases per unit. A rate becomes exponential times between arrivals whose
 * mean is the unit over the number, exactly: 6/h is exp(10m), 200/d is
 * exp(7m12s). Errors as dist_parse(), naming the rate form.
 */
enum status dist_parse_arrival(const char *text, const char *field, struct dist *out,
                               struct err *err);

/* An exponential d as a rate ("6/h", "200/d") into buf, when one reads back
 * through dist_parse_arrival() to exactly d; "" otherwise. Returns buf. */
char *dist_format_rate(const struct dist *d, char *buf, size_t size);

#endif
