/*
 * histogram.c - the simulation screens' drawing helpers: times rounded for
 * reading, changes in per cent, bars in eighths of a cell, and histogram
 * bins on round times shared by a baseline and a scenario so the two
 * compare bin for bin.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "tui/sim_views.h"

char *
sim_time(double s, enum time_unit u, char *buf, size_t size)
{
	double t = s;

	if (!isfinite(s)) {
		snprintf(buf, size, "-");
		return buf;
	}
	if (s < 10)
		s = round(s * 10) / 10;
	else if (s < 3600)
		s = round(s);
	else if (s < 2 * 86400.0)
		s = 60 * round(s / 60);
	else
		s = 3600 * round(s / 3600);
	/* the rounding is auto's; a unit of its own rounds the time itself */
	return duration_show(u == TIME_UNIT_AUTO ? s : t, u, buf, size);
}

char *
sim_change(struct app *a, double b, double s, char *buf, size_t size, int *style)
{
	double pct;
	long r;

	*style = ST_NORMAL;
	buf[0] = '\0';
	if (!isfinite(b) || !isfinite(s) || b == 0)
		return buf;
	pct = (s - b) / b * 100;
	r = lround(pct);
	if (r == 0)
		snprintf(buf, size, "0 %%");
	else if (r < 0)
		snprintf(buf, size, "%s%ld %%", a->utf8 ? "−" : "-", -r);
	else
		snprintf(buf, size, "+%ld %%", r);
	if (r)
		*style = r < 0 ? ST_CHANGE_GOOD : ST_CHANGE_BAD;
	return buf;
}

char *
sim_count(unsigned long long n, char *buf, size_t size)
{
	char digits[32];
	size_t len, i, o = 0;

	snprintf(digits, sizeof digits, "%llu", n);
	len = strlen(digits);
	for (i = 0; i < len && o + 2 < size; i++) {
		if (i && (len - i) % 3 == 0)
			buf[o++] = ' ';
		buf[o++] = digits[i];
	}
	buf[o] = '\0';
	return buf;
}

int
draw_bar(struct app *a, int y, int x, int w, double frac, bool track, int style)
{
	static const char *const eighths[] = { "", "▏", "▎", "▍", "▌", "▋", "▊", "▉" };
	int full, part, i, used;

	if (w <= 0)
		return 0;
	if (!(frac > 0))
		frac = 0;
	if (frac > 1)
		frac = 1;
	if (a->utf8) {
		long e = lround(frac * w * 8);

		full = (int)(e / 8);
		part = (int)(e % 8);
		for (i = 0; i < full; i++)
			draw_text(y, x + i, 1, "█", style);
		if (part)
			draw_text(y, x + full, 1, eighths[part], style);
		used = full + (part ? 1 : 0);
		if (frac > 0 && used == 0) {
			draw_text(y, x, 1, eighths[1], style);   /* a sliver shows */
			used = 1;
		}
	} else {
		used = (int)lround(frac * w);
		if (frac > 0 && used == 0)
			used = 1;
		for (i = 0; i < used; i++)
			draw_text(y, x + i, 1, "#", style);
	}
	if (track)
		for (i = used; i < w; i++)
			draw_text(y, x + i, 1, a->utf8 ? "░" : ".", ST_DIM);
	return used;
}

/* --- histograms ------------------------------------------------------------------ */

/* Round bin widths, in seconds. */
static const double widths[] = {
	0.1, 0.2, 0.5, 1, 2, 5, 10, 15, 30,
	60, 120, 300, 600, 900, 1800,
	3600, 7200, 10800, 14400, 21600, 43200,
	86400, 2 * 86400, 7 * 86400, 14 * 86400, 28 * 86400, 91 * 86400, 365 * 86400,
};

/* How many of the sorted values a[0..n) are below v. */
static size_t
below(const double *a, size_t n, double v)
{
	size_t lo = 0, hi = n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (a[mid] < v)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

size_t
hist_bin(const struct hist *h, double v)
{
	double i = floor((v - h->lo) / h->width);

	if (!(i > 0))
		return 0;
	return i >= (double)h->nbins ? h->nbins - 1 : (size_t)i;
}

bool
hist_make(struct hist *h, const struct sim_stat *const *sets, size_t nsets, size_t max_bins)
{
	double min = INFINITY, top = -INFINITY, max = -INFINITY, w = 0;
	size_t s, i, k;

	memset(h, 0, sizeof *h);
	if (nsets > HIST_SETS)
		nsets = HIST_SETS;
	if (max_bins > HIST_BINS_MAX)
		max_bins = HIST_BINS_MAX;
	if (max_bins < 1)
		max_bins = 1;
	h->nsets = nsets;
	for (s = 0; s < nsets; s++) {
		const struct sim_stat *st = sets[s];
		double p99;

		h->p50_bin[s] = h->p90_bin[s] = -1;
		if (!st || !st->n || !st->samples)
			continue;
		p99 = st->samples[(size_t)floor(0.99 * (double)(st->n - 1))];
		if (st->samples[0] < min)
			min = st->samples[0];
		if (p99 > top)
			top = p99;
		if (st->samples[st->n - 1] > max)
			max = st->samples[st->n - 1];
	}
	if (!isfinite(min))
		return false;
	/* the smallest round width that spans min..top in max_bins bins */
	for (k = 0; k < sizeof widths / sizeof widths[0]; k++) {
		w = widths[k];
		if (floor(top / w) - floor(min / w) + 1 <= (double)max_bins)
			break;
	}
	while (floor(top / w) - floor(min / w) + 1 > (double)max_bins)
		w *= 2;                  /* beyond a year: keep doubling */
	h->width = w;
	h->lo = floor(min / w) * w;
	h->nbins = (size_t)(floor(top / w) - floor(min / w)) + 1;
	h->top_open = max >= h->lo + (double)h->nbins * w;
	for (s = 0; s < nsets; s++) {
		const struct sim_stat *st = sets[s];
		size_t prev = 0;

		if (!st || !st->n || !st->samples)
			continue;
		h->n[s] = st->n;
		for (i = 0; i < h->nbins; i++) {
			size_t upto = i + 1 == h->nbins
			              ? st->n
			              : below(st->samples, st->n, h->lo + (double)(i + 1) * w);

			h->count[s][i] = upto - prev;
			prev = upto;
		}
		h->p50_bin[s] = (int)hist_bin(h, st->p50);
		h->p90_bin[s] = (int)hist_bin(h, st->p90);
	}
	return true;
}
