/*
 * test_duration.c - the duration syntax: what parses to what, the exact
 * messages for what does not, and the exact round trip format -> parse.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model/duration.h"

static const struct {
	const char *text;
	enum dist_kind kind;
	double p[3];
} valid[] = {
	{ "", DIST_NONE, { 0 } },
	{ "   ", DIST_NONE, { 0 } },
	{ "0", DIST_FIXED, { 0 } },
	{ "0s", DIST_FIXED, { 0 } },
	{ "45s", DIST_FIXED, { 45 } },
	{ "5m", DIST_FIXED, { 300 } },
	{ "5M", DIST_FIXED, { 300 } },
	{ "1h30m", DIST_FIXED, { 5400 } },
	{ " 1h 30m ", DIST_FIXED, { 5400 } },
	{ "2d", DIST_FIXED, { 172800 } },
	{ "2d3h", DIST_FIXED, { 183600 } },
	{ "1.5h", DIST_FIXED, { 5400 } },
	{ "7.25s", DIST_FIXED, { 7.25 } },
	{ "0.5s", DIST_FIXED, { 0.5 } },
	{ ".5m", DIST_FIXED, { 30 } },
	{ "1e-05s", DIST_FIXED, { 1e-05 } },
	{ "1d2h3m4s", DIST_FIXED, { 93784 } },
	{ "3650d", DIST_FIXED, { 3650 * 86400.0 } },
	{ "tri(3m,5m,10m)", DIST_TRI, { 180, 300, 600 } },
	{ "TRI( 3m , 5m , 10m )", DIST_TRI, { 180, 300, 600 } },
	{ "tri(0,0,5m)", DIST_TRI, { 0, 0, 300 } },
	{ "tri(3m,3m,5m)", DIST_TRI, { 180, 180, 300 } },
	{ "90m", DIST_FIXED, { 5400 } },
	{ "1h59m59.5s", DIST_FIXED, { 7199.5 } },
	{ "1d23h59m", DIST_FIXED, { 172740 } },
	{ "exp(7.5m)", DIST_EXP, { 450 } },
	{ "norm(10m,2m)", DIST_NORM, { 600, 120 } },
	{ "logn(20m,8m)", DIST_LOGN, { 1200, 480 } },
	{ "uni(2m,4m)", DIST_UNI, { 120, 240 } },
	{ "Uni (1h30m, 2h)", DIST_UNI, { 5400, 7200 } },
};

static void
test_valid(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < sizeof valid / sizeof valid[0]; i++) {
		struct dist d;
		struct err err = { 0 };

		if (dist_parse(valid[i].text, "work", &d, &err) != STATUS_OK)
			fail_msg("'%s': %s", valid[i].text, err.msg);
		assert_int_equal(d.kind, valid[i].kind);
		if (d.kind != DIST_NONE)
			for (int k = 0; k < 3; k++)
				if (d.p[k] != valid[i].p[k])
					fail_msg("'%s': p[%d] = %.17g, want %.17g", valid[i].text, k,
					         d.p[k], valid[i].p[k]);
	}
}

static const struct {
	const char *field;
	const char *text;
	const char *msg;
} invalid[] = {
	{ "work", "5 minutes",
	  "work: expected a duration like 5m or tri(3m,5m,10m), got '5 minutes'" },
	{ "work", "5min",
	  "work: expected a duration like 5m or tri(3m,5m,10m), got '5min'" },
	{ "work", "90",
	  "work: expected a duration like 5m or tri(3m,5m,10m), got '90' "
	  "(a number needs a unit: s, m, h or d)" },
	{ "work", "1h30",
	  "work: expected a duration like 5m or tri(3m,5m,10m), got '1h30' "
	  "(a number needs a unit: s, m, h or d)" },
	{ NULL, "abc",
	  "expected a duration like 5m or tri(3m,5m,10m), got 'abc'" },
	{ "wait", "tri(5m,3m,10m)",
	  "wait: tri(min,mode,max) needs min <= mode <= max, got tri(5m,3m,10m)" },
	{ "wait", "uni(4m,2m)",
	  "wait: uni(min,max) needs min <= max, got uni(4m,2m)" },
	{ "work", "tri(3m,5m)",
	  "work: tri needs 3 durations (min,mode,max), got tri(3m,5m)" },
	{ "work", "exp(1m,2m)",
	  "work: exp needs 1 duration (mean), got exp(1m,2m)" },
	{ "work", "logn(0,2m)",
	  "work: logn(mean,sd) needs a mean above 0 when sd is above 0, got logn(0,2m)" },
	{ "work", "gamma(1m)",
	  "work: unknown distribution 'gamma' (use uni, tri, exp, norm or logn), got 'gamma(1m)'" },
	{ "work", "-5m",
	  "work: durations cannot be negative, got '-5m'" },
	{ "work", "norm(-1m,2m)",
	  "work: durations cannot be negative, got 'norm(-1m,2m)'" },
	{ "work", "nan",
	  "work: expected a finite duration, got 'nan'" },
	{ "work", "inf",
	  "work: expected a finite duration, got 'inf'" },
	{ "work", "1e400s",
	  "work: a duration must be at most 10 years, got '1e400s'" },
	{ "work", "4000d",
	  "work: a duration must be at most 10 years, got '4000d'" },
	{ "work", "exp(4000d)",
	  "work: a duration must be at most 10 years, got 'exp(4000d)'" },
	{ "work", "30m1h",
	  "work: units must go from days down to seconds, each once, got '30m1h'" },
	{ "work", "5m5m",
	  "work: units must go from days down to seconds, each once, got '5m5m'" },
	{ "work", "tri(3m,5m,10m",
	  "work: expected a duration like 5m or tri(3m,5m,10m), got 'tri(3m,5m,10m'" },
	{ "work", "tri(3m,5m,10m) x",
	  "work: expected a duration like 5m or tri(3m,5m,10m), got 'tri(3m,5m,10m) x'" },
	{ "work", "0x10s",
	  "work: expected a duration like 5m or tri(3m,5m,10m), got '0x10s'" },
	{ "work", "tri",
	  "work: expected a duration like 5m or tri(3m,5m,10m), got 'tri'" },
	{ "work", "5m)",
	  "work: expected a duration like 5m or tri(3m,5m,10m), got '5m)'" },
	/* a part after a larger unit is less than one of the unit above it */
	{ "work", "1h70m",
	  "work: '70m' after a larger unit must be under 60m: write 2h10m (or 130m), got '1h70m'" },
	{ "work", "1h60m",
	  "work: '60m' after a larger unit must be under 60m: write 2h (or 120m), got '1h60m'" },
	{ "wait", "1d25h",
	  "wait: '25h' after a larger unit must be under 24h: write 2d1h (or 49h), got '1d25h'" },
	{ "work", "2m90s",
	  "work: '90s' after a larger unit must be under 60s: write 3m30s (or 210s), got '2m90s'" },
	{ "work", "1h70m30s",
	  "work: '70m' after a larger unit must be under 60m: write 2h10m30s, got '1h70m30s'" },
	{ "work", "exp(1h70m)",
	  "work: '70m' after a larger unit must be under 60m: write 2h10m (or 130m), got 'exp(1h70m)'" },
	/* a distribution must vary */
	{ "work", "exp(0)",
	  "work: exp(mean) needs a mean above 0: it would not vary (a fixed time is written 0s), "
	  "got exp(0)" },
	{ "work", "logn(20m,0)",
	  "work: logn(mean,sd) needs an sd above 0: it would not vary (a fixed time is written 20m), "
	  "got logn(20m,0)" },
	{ "work", "logn(0,0)",
	  "work: logn(mean,sd) needs an sd above 0: it would not vary (a fixed time is written 0s), "
	  "got logn(0,0)" },
	{ "work", "norm(10m,0)",
	  "work: norm(mean,sd) needs an sd above 0: it would not vary (a fixed time is written 10m), "
	  "got norm(10m,0)" },
	{ "work", "uni(5m,5m)",
	  "work: uni(min,max) needs min below max: it would not vary (a fixed time is written 5m), "
	  "got uni(5m,5m)" },
	{ "work", "tri(0,0,0)",
	  "work: tri(min,mode,max) needs min below max: it would not vary (a fixed time is written "
	  "0s), got tri(0,0,0)" },
};

/* What a workbook already holds reads with the older, looser rules
 * (dist_read): a workbook written before them still opens. */
static void
test_read_lenient(void **state)
{
	static const struct { const char *text; enum dist_kind kind; double p0, p1; } held[] = {
		{ "1h70m", DIST_FIXED, 7800, 0 },
		{ "exp(0)", DIST_EXP, 0, 0 },
		{ "logn(20m,0)", DIST_LOGN, 1200, 0 },
		{ "norm(10m,0)", DIST_NORM, 600, 0 },
		{ "uni(5m,5m)", DIST_UNI, 300, 300 },
		{ "tri(0,0,0)", DIST_TRI, 0, 0 },
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof held / sizeof held[0]; i++) {
		struct dist d;
		struct err err = { 0 };

		if (dist_read(held[i].text, "work", &d, &err) != STATUS_OK)
			fail_msg("'%s': %s", held[i].text, err.msg);
		assert_int_equal(d.kind, held[i].kind);
		assert_true(d.p[0] == held[i].p0 && d.p[1] == held[i].p1);
		/* and dist_parse refuses it */
		assert_int_equal(dist_parse(held[i].text, "work", &d, NULL), STATUS_INPUT);
	}
	/* the looser rules are the syntax's: nonsense is still refused */
	assert_int_equal(dist_read("5 minutes", "work", &(struct dist){ 0 }, NULL), STATUS_INPUT);
	assert_int_equal(dist_read("uni(4m,2m)", "work", &(struct dist){ 0 }, NULL), STATUS_INPUT);
}

static void
test_invalid(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < sizeof invalid / sizeof invalid[0]; i++) {
		struct dist d = dist_fixed(42);
		struct err err = { 0 };

		if (dist_parse(invalid[i].text, invalid[i].field, &d, &err) != STATUS_INPUT)
			fail_msg("'%s' was accepted", invalid[i].text);
		assert_string_equal(err.msg, invalid[i].msg);
		/* On error *out is unchanged. */
		assert_int_equal(d.kind, DIST_FIXED);
		assert_true(d.p[0] == 42);
	}
}

/* A long text is refused without being read to its end, and a message quotes
 * only the start of what was typed. */
static void
test_overlong(void **state)
{
	char *big = malloc(100001);
	struct err err = { 0 };
	struct dist d;
	char *s;

	(void)state;
	assert_non_null(big);
	memset(big, '5', 100000);
	big[100000] = '\0';
	assert_int_equal(dist_parse(big, "work", &d, &err), STATUS_INPUT);
	assert_string_equal(err.msg, "work: expected a duration like 5m or tri(3m,5m,10m), "
	                    "got a text of more than 256 characters");
	free(big);

	/* Exactly 256 characters is read, and the quote is cut short. */
	s = malloc(257);
	assert_non_null(s);
	memset(s, 'x', 256);
	s[256] = '\0';
	assert_int_equal(dist_parse(s, "work", &d, &err), STATUS_INPUT);
	assert_true(strlen(err.msg) < 150);
	assert_non_null(strstr(err.msg, "...'"));
	free(s);

	/* A buffer with no terminator past the limit: only the first 257 bytes
	 * are looked at (ASan would catch a read past the allocation). */
	s = malloc(300);
	assert_non_null(s);
	memset(s, '1', 300);
	assert_int_equal(dist_parse(s, "work", &d, &err), STATUS_INPUT);
	free(s);
}

static const struct {
	struct dist d;
	const char *text;
} formats[] = {
	{ { DIST_NONE, { 0 } }, "" },
	{ { DIST_FIXED, { 0 } }, "0s" },
	{ { DIST_FIXED, { 45 } }, "45s" },
	{ { DIST_FIXED, { 300 } }, "5m" },
	{ { DIST_FIXED, { 5400 } }, "1h30m" },
	{ { DIST_FIXED, { 183600 } }, "2d3h" },
	{ { DIST_FIXED, { 7.25 } }, "7.25s" },
	{ { DIST_FIXED, { 1234.5 } }, "20m34.5s" },
	{ { DIST_FIXED, { 3600.25 } }, "1h0.25s" },
	{ { DIST_FIXED, { 0.1 } }, "0.1s" },
	{ { DIST_TRI, { 180, 300, 600 } }, "tri(3m,5m,10m)" },
	{ { DIST_EXP, { 450 } }, "exp(7m30s)" },
	{ { DIST_NORM, { 600, 120 } }, "norm(10m,2m)" },
	{ { DIST_LOGN, { 1200, 480 } }, "logn(20m,8m)" },
	{ { DIST_UNI, { 0, 240 } }, "uni(0s,4m)" },
};

static void
test_format(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < sizeof formats / sizeof formats[0]; i++) {
		char buf[DIST_TEXT_MAX];

		assert_string_equal(dist_format(&formats[i].d, buf, sizeof buf), formats[i].text);
	}
}

/* A random duration: whole seconds, fractions of all sizes, tiny values. */
static double
random_seconds(unsigned *seed)
{
	double max = 10 * 365.25 * 86400;
	double u = (double)rand_r(seed) / RAND_MAX, v = (double)rand_r(seed) / RAND_MAX;

	switch (rand_r(seed) % 5) {
	case 0:  return floor(u * 1e6);                       /* whole seconds */
	case 1:  return u * max;                              /* any fraction */
	case 2:  return u * pow(10, -12 + 20 * v);            /* any magnitude */
	case 3:  return floor(u * 1e4) / 64;                  /* binary fractions */
	default: return nextafter(floor(u * 1e5), INFINITY);  /* the last bit */
	}
}

static void
test_round_trip(void **state)
{
	static const enum dist_kind kinds[] = {
		DIST_FIXED, DIST_UNI, DIST_TRI, DIST_EXP, DIST_NORM, DIST_LOGN,
	};
	unsigned seed = 20240611;
	int i;

	(void)state;
	for (i = 0; i < 60000; i++) {
		struct dist d = { kinds[i % 6], { 0 } }, back;
		struct err err = { 0 };
		char buf[DIST_TEXT_MAX];
		int k;

		for (k = 0; k < 3; k++)
			d.p[k] = random_seconds(&seed);
		/* Keep the parameters in their required order. */
		if (d.kind == DIST_UNI && d.p[0] > d.p[1])
			d.p[0] = d.p[1];
		if (d.kind == DIST_TRI) {
			double t;
			if (d.p[0] > d.p[1]) t = d.p[0], d.p[0] = d.p[1], d.p[1] = t;
			if (d.p[1] > d.p[2]) t = d.p[1], d.p[1] = d.p[2], d.p[2] = t;
			if (d.p[0] > d.p[1]) t = d.p[0], d.p[0] = d.p[1], d.p[1] = t;
		}
		if (d.kind == DIST_LOGN && d.p[0] == 0)
			d.p[0] = 1;
		for (k = (d.kind == DIST_TRI ? 3 : d.kind == DIST_FIXED || d.kind == DIST_EXP ? 1 : 2);
		     k < 3; k++)
			d.p[k] = 0;
		dist_format(&d, buf, sizeof buf);
		if (strlen(buf) >= DIST_TEXT_MAX - 1)
			fail_msg("'%s' is too long", buf);
		/* the store reads with dist_read(); a typed value that varies
		 * reads the same through dist_parse() */
		if (dist_read(buf, "work", &back, &err) != STATUS_OK)
			fail_msg("'%s' (from %.17g): %s", buf, d.p[0], err.msg);
		if (!dist_equal(&d, &back))
			fail_msg("'%s': %.17g %.17g %.17g read back as %.17g %.17g %.17g", buf,
			         d.p[0], d.p[1], d.p[2], back.p[0], back.p[1], back.p[2]);
	}
}

/* What a person types reads back the same after a format: parse, format,
 * parse gives the same value. */
static void
test_typed_round_trip(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < sizeof valid / sizeof valid[0]; i++) {
		struct dist a, b;
		char buf[DIST_TEXT_MAX];

		assert_int_equal(dist_parse(valid[i].text, NULL, &a, NULL), STATUS_OK);
		dist_format(&a, buf, sizeof buf);
		assert_int_equal(dist_parse(buf, NULL, &b, NULL), STATUS_OK);
		assert_true(dist_equal(&a, &b));
	}
}

static void
test_duration_format(void **state)
{
	char buf[DIST_TEXT_MAX];

	(void)state;
	assert_string_equal(duration_format(0, buf, sizeof buf), "0s");
	assert_string_equal(duration_format(90, buf, sizeof buf), "1m30s");
	assert_string_equal(duration_format(27 * 60, buf, sizeof buf), "27m");
	assert_string_equal(duration_format(86400 + 60, buf, sizeof buf), "1d1m");
	/* A small buffer is cut, never overrun. */
	assert_string_equal(duration_format(86400 + 3600 + 60 + 1, buf, 5), "1d1h");
}

static void
test_mean(void **state)
{
	struct dist d;

	(void)state;
	d = (struct dist){ DIST_NONE, { 0 } };
	assert_true(dist_mean(&d) == 0);
	d = dist_fixed(300);
	assert_true(dist_mean(&d) == 300);
	d = (struct dist){ DIST_UNI, { 120, 240, 0 } };
	assert_true(dist_mean(&d) == 180);
	d = (struct dist){ DIST_TRI, { 180, 300, 600, } };
	assert_true(dist_mean(&d) == 360);
	d = (struct dist){ DIST_EXP, { 450, 0, 0 } };
	assert_true(dist_mean(&d) == 450);
	d = (struct dist){ DIST_LOGN, { 1200, 480, 0 } };
	assert_true(dist_mean(&d) == 1200);
	/* A normal far from 0 is hardly truncated... */
	d = (struct dist){ DIST_NORM, { 600, 120, 0 } };
	assert_true(fabs(dist_mean(&d) - 600) < 1e-3);
	/* ...one centred on 0 has the half-normal mean sigma * sqrt(2/pi). */
	d = (struct dist){ DIST_NORM, { 0, 60, 0 } };
	assert_true(fabs(dist_mean(&d) - 60 * sqrt(2 / M_PI)) < 1e-9);
	/* mu = sigma: mu + sigma * phi(-1) / Phi(1) = 1.2875999709 sigma. */
	d = (struct dist){ DIST_NORM, { 100, 100, 0 } };
	assert_true(fabs(dist_mean(&d) - 128.75999709) < 1e-6);
	d = (struct dist){ DIST_NORM, { 100, 0, 0 } };
	assert_true(dist_mean(&d) == 100);
}

static void
test_scale_equal(void **state)
{
	struct dist a = { DIST_TRI, { 180, 300, 600 } }, b;

	(void)state;
	b = dist_scale(&a, 0.5);
	assert_int_equal(b.kind, DIST_TRI);
	assert_true(b.p[0] == 90 && b.p[1] == 150 && b.p[2] == 300);
	assert_false(dist_equal(&a, &b));
	b = dist_scale(&b, 2);
	assert_true(dist_equal(&a, &b));
	/* Parameters a kind does not use do not count. */
	a = dist_fixed(5);
	b = dist_fixed(5);
	b.p[2] = 99;
	assert_true(dist_equal(&a, &b));
	b = (struct dist){ DIST_EXP, { 5, 0, 0 } };
	assert_false(dist_equal(&a, &b));
}

/* Arrival rates: "6/h" is exp(10m) exactly, shown back as the rate. */
static void
test_arrival_rate(void **state)
{
	static const struct { const char *text; double mean; const char *back; } ok[] = {
		{ "6/h", 600, "6/h" },
		{ "12/h", 300, "12/h" },
		{ "200/d", 432, "200/d" },
		{ " 200 / day ", 432, "200/d" },
		{ "0.5/m", 120, "30/h" },
		{ "3/s", 1.0 / 3, "3/s" },
		{ "2/hours", 1800, "2/h" },
		{ "1/w", 604800, "1/w" },
		{ "7/h", 3600.0 / 7, "7/h" },
	};
	static const struct { const char *text, *msg; } bad[] = {
		{ "0/h", "arrival: a rate is more than 0 cases per unit, got '0/h'" },
		{ "6/fortnight", "arrival: expected a rate like 12/h or 200/d (cases per s, m, h, d or w), "
		                 "or a time between arrivals like exp(5m), got '6/fortnight'" },
		{ "/h", "arrival: expected a rate like 12/h or 200/d (cases per s, m, h, d or w), or a "
		        "time between arrivals like exp(5m), got '/h'" },
		{ "6/h/2", "arrival: expected a rate like 12/h or 200/d (cases per s, m, h, d or w), or "
		           "a time between arrivals like exp(5m), got '6/h/2'" },
	};
	struct dist d;
	struct err err;
	char buf[DIST_TEXT_MAX];
	size_t i;

	for (i = 0; i < sizeof ok / sizeof ok[0]; i++) {
		err_clear(&err);
		assert_int_equal(dist_parse_arrival(ok[i].text, "arrival", &d, &err), STATUS_OK);
		assert_int_equal(d.kind, DIST_EXP);
		assert_true(d.p[0] == ok[i].mean);
		assert_string_equal(dist_format_rate(&d, buf, sizeof buf), ok[i].back);
	}
	for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		err_clear(&err);
		assert_int_equal(dist_parse_arrival(bad[i].text, "arrival", &d, &err), STATUS_INPUT);
		assert_string_equal(err.msg, bad[i].msg);
	}
	/* the rest is dist_parse()'s */
	assert_int_equal(dist_parse_arrival("exp(10m)", NULL, &d, NULL), STATUS_OK);
	assert_string_equal(dist_format_rate(&d, buf, sizeof buf), "6/h");
	assert_int_equal(dist_parse_arrival("tri(1m,2m,3m)", NULL, &d, NULL), STATUS_OK);
	assert_string_equal(dist_format_rate(&d, buf, sizeof buf), "");
	assert_int_equal(dist_parse_arrival("", NULL, &d, NULL), STATUS_OK);
	assert_int_equal(d.kind, DIST_NONE);
	(void)state;
}

/* A time in a process's unit: auto as duration_format(), a unit of its own
 * as a number of it with up to three significant digits, which reads back
 * through dist_parse() to the time shown. */
static void
test_time_unit(void **state)
{
	static const struct {
		double s;
		enum time_unit u;
		const char *want;
	} cases[] = {
		{ 5400, TIME_UNIT_AUTO, "1h30m" }, { 5400, TIME_UNIT_MIN, "90m" },
		{ 5400, TIME_UNIT_H, "1.5h" },     { 5400, TIME_UNIT_S, "5400s" },
		{ 5400, TIME_UNIT_D, "0.0625d" },  { 1608, TIME_UNIT_MIN, "26.8m" },
		{ 1608, TIME_UNIT_H, "0.447h" },   { 0, TIME_UNIT_H, "0h" },
		{ 1, TIME_UNIT_D, "0.000012d" },   { -1608, TIME_UNIT_MIN, "-26.8m" },
		{ -0.01, TIME_UNIT_D, "0d" },      { 0.3, TIME_UNIT_MIN, "0.005m" },         { 2160, TIME_UNIT_H, "0.6h" },
		{ 86400 * 400.0, TIME_UNIT_H, "9600h" }, { 4.25, TIME_UNIT_S, "4.25s" },
	};
	char buf[DIST_TEXT_MAX];
	struct err err;
	enum time_unit u;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		struct dist d;

		duration_show(cases[i].s, cases[i].u, buf, sizeof buf);
		if (strcmp(buf, cases[i].want))
			fail_msg("%g s in %s: '%s', not '%s'", cases[i].s, time_unit_name(cases[i].u), buf,
			         cases[i].want);
		if (cases[i].s > 0 && cases[i].u != TIME_UNIT_AUTO) {
			assert_int_equal(dist_parse(buf, NULL, &d, NULL), STATUS_OK);
			assert_true(fabs(d.p[0] - cases[i].s) <= 0.005 * time_unit_seconds(cases[i].u) +
			            0.0005 * cases[i].s);
		}
	}
	for (i = 0; i < TIME_UNIT_COUNT_; i++)
		assert_int_equal(time_unit_parse(time_unit_name((enum time_unit)i)), (int)i);
	assert_int_equal(time_unit_parse("m"), TIME_UNIT_MIN);
	assert_int_equal(time_unit_parse("MIN"), TIME_UNIT_MIN);
	assert_int_equal(time_unit_parse(""), -1);
	assert_int_equal(time_unit_read(" h ", "time unit", &u, &err), STATUS_OK);
	assert_int_equal(u, TIME_UNIT_H);
	err_clear(&err);
	assert_int_equal(time_unit_read("parsec", "time unit", &u, &err), STATUS_INPUT);
	assert_string_equal(err.msg, "time unit: expected auto, s, min, h or d, got 'parsec'");
	assert_int_equal(u, TIME_UNIT_H);    /* unchanged */
	assert_int_equal(time_unit_read("", NULL, &u, &err), STATUS_INPUT);
	assert_string_equal(err.msg, "expected auto, s, min, h or d, got ''");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_valid),
		cmocka_unit_test(test_invalid),
		cmocka_unit_test(test_read_lenient),
		cmocka_unit_test(test_overlong),
		cmocka_unit_test(test_format),
		cmocka_unit_test(test_round_trip),
		cmocka_unit_test(test_typed_round_trip),
		cmocka_unit_test(test_duration_format),
		cmocka_unit_test(test_mean),
		cmocka_unit_test(test_scale_equal),
		cmocka_unit_test(test_arrival_rate),
		cmocka_unit_test(test_time_unit),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
