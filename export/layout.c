/*
 * layout.c - BPMN DI geometry for one pool (see layout.h for the method).
 *
 * Coordinates are whole pixels (long). Positions are decided in two passes:
 * first the topology (columns, rows, which channel and gap each edge runs
 * in, which track it takes there), then the sizes (channels and gaps widen to
 * their tracks and labels), then the coordinates. Vertical order is compared
 * in "ranks": the gap above row g of band b is 2 (g + b), row g's centre line
 * the rank after it, so every row centre and gap in the pool is ordered.
 *
 * Owns: the arrays behind layout.bands and layout.pts, freed by layout_done().
 */
#include "export/layout_int.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define ROW_H 80              /* a row: room for a task */
#define ROW_MID 40            /* shapes are centred on this line of their row */
#define GAP_MIN 20            /* between rows, and above and below a lane's rows */
#define GAP_TRACK0 10         /* first track in a gap, from its top */
#define GAP_TRACK 8           /* between tracks in a gap */
#define CH_MIN 40             /* a channel between columns */
#define CH_TRACK0 12          /* first track in a channel, from its left */
#define CH_TRACK 10           /* between tracks in a channel */
#define LANE_MIN_H 120        /* a lane's name is written along its header */
#define LABEL_GAP 5           /* between a shape and its label */
#define LINE_H 14             /* a line of label text (11 px, line height 1.2) */

enum route_kind { R_STRAIGHT, R_Z1, R_Z2, R_FIVE, R_BACK };

struct route {
	enum route_kind kind;
	size_t ch1, ch2;             /* channels of the vertical segments */
	size_t tr1, tr2;             /* their tracks */
	size_t gap, trg;             /* gap of the horizontal one and its track */
};

/* One segment that needs a track: in channel or gap `where`, from lo to hi. */
struct seg {
	size_t where;
	long lo, hi;
	size_t *track;               /* where the track goes */
};

/* --- text -------------------------------------------------------------- */

/*
 * Advance widths of Arial (and of Liberation Sans, metric-compatible), in
 * thousandths of an em, for ' ' .. '~'. bpmn-js draws external labels in
 * 11 px Arial and wraps them at the width of their DI bounds, so the bounds
 * must be at least as wide as the text really is: widths are taken 10 %
 * larger than Arial's, for fonts that run wider.
 */
static const unsigned short arial[95] = {
	278, 278, 355, 556, 556, 889, 667, 191, 333, 333, 389, 584, 278, 333, 278, 278,
	556, 556, 556, 556, 556, 556, 556, 556, 556, 556, 278, 278, 584, 584, 584, 556,
	1015, 667, 667, 722, 722, 667, 611, 778, 722, 278, 500, 667, 556, 833, 722, 778,
	667, 778, 722, 667, 611, 722, 667, 944, 667, 667, 611, 278, 278, 278, 469, 556,
	333, 556, 556, 500, 556, 556, 278, 556, 556, 222, 222, 500, 222, 833, 556, 556,
	556, 556, 333, 500, 278, 556, 500, 722, 500, 500, 500, 334, 260, 334, 584,
};
#define FONT_PX 11.0          /* external labels */
#define TASK_FONT_PX 12.0     /* names inside tasks */
#define TASK_PAD 7            /* bpmn-js's padding around a task's name */
#define TASK_LINES 4          /* lines of a name that fit a task, clear of its icon */
#define TASK_W_MAX 180
#define FONT_SLACK 1.1

/* The width in pixels of the UTF-8 character at s (length *n), in 11 px. */
static double
char_width(const unsigned char *s, size_t *n)
{
	unsigned c = s[0], em = 600;

	if (c < 0x80) {
		*n = 1;
		em = c >= 0x20 && c < 0x7f ? arial[c - 0x20] : 0;
	} else if ((c & 0xe0) == 0xc0 && (s[1] & 0xc0) == 0x80) {
		*n = 2;
		em = 667;            /* accented Latin, Greek, Cyrillic */
	} else if ((c & 0xf0) == 0xe0 && (s[1] & 0xc0) == 0x80 && (s[2] & 0xc0) == 0x80) {
		unsigned long cp = (unsigned long)(c & 0x0f) << 12 |
		                   (unsigned long)(s[1] & 0x3f) << 6 | (s[2] & 0x3f);

		*n = 3;
		/* Hangul, CJK, fullwidth forms: a whole em */
		em = cp >= 0x1100 && cp < 0xffe0 && !(cp >= 0x2000 && cp < 0x2e80) ? 1000 : 833;
	} else if ((c & 0xf8) == 0xf0 && (s[1] & 0xc0) == 0x80 && (s[2] & 0xc0) == 0x80 &&
	           (s[3] & 0xc0) == 0x80) {
		*n = 4;
		em = 1000;
	} else {
		*n = 1;              /* a stray byte: the writer shows U+FFFD */
		em = 1000;
	}
	return em * FONT_PX * FONT_SLACK / 1000;
}

/* Wrap text at max_w pixels in a font of px pixels: its widest line and
 * the number of lines. */
static void
wrap_text(const char *text, double px, long max_w_px, double *widest_out, long *lines_out)
{
	const unsigned char *s = (const unsigned char *)(text ? text : "");
	double k = px / FONT_PX, max_w = (double)max_w_px / k;
	double line = 0, widest = 0, space = arial[0] * FONT_PX * FONT_SLACK / 1000;
	long lines = 0;

	while (*s) {
		const unsigned char *e;
		double ww = 0;
		size_t n;

		if (*s == ' ' || *s == '\t' || *s == '\r') {
			s++;
			continue;
		}
		if (*s == '\n') {
			if (line > widest)
				widest = line;
			lines += !lines;
			lines++;
			line = 0;
			s++;
			continue;
		}
		/* One word: up to a blank. */
		for (e = s; *e && *e != ' ' && *e != '\t' && *e != '\r' && *e != '\n'; e += n)
			ww += char_width(e, &n);
		lines += !lines;
		if (line > 0 && line + space + ww > max_w) {
			if (line > widest)
				widest = line;
			lines++;
			line = 0;
		}
		if (line > 0)
			line += space;
		/* A word wider than a line is broken where it must be. */
		while (line + ww > max_w) {
			const unsigned char *p = s;
			double cw = 0;

			while (p < e) {
				double c = char_width(p, &n);

				if (line + cw + c > max_w && (line > 0 || cw > 0))
					break;
				cw += c;
				p += n;
			}
			if (line + cw > widest)
				widest = line + cw;
			lines++;
			line = 0;
			ww -= cw;
			s = p;
		}
		line += ww;
		s = e;
	}
	if (line > widest)
		widest = line;
	*widest_out = widest * k;
	*lines_out = lines;
}

void
layout_text_size(const char *text, long max_w, long *w, long *h)
{
	double widest;
	long lines;

	wrap_text(text, FONT_PX, max_w, &widest, &lines);
	*w = lines ? (long)widest + 2 : 0;
	*h = lines * LINE_H;
}

/* The width of a task: the standard 100, or wider in steps of 20 until its
 * name fits in TASK_LINES lines. */
static long
task_width(const char *name)
{
	long w;

	for (w = LAY_TASK_W; w < TASK_W_MAX; w += 20) {
		double widest;
		long lines;

		wrap_text(name, TASK_FONT_PX, w - 2 * TASK_PAD, &widest, &lines);
		if (lines <= TASK_LINES)
			break;
	}
	return w;
}

int
lay_rect_overlap(const struct lay_rect *a, const struct lay_rect *b)
{
	return a->x < b->x + b->w && b->x < a->x + a->w &&
	       a->y < b->y + b->h && b->y < a->y + a->h;
}

/* --- helpers -------------------------------------------------------------- */

static long
node_w(const struct lay_node *nd)
{
	if (nd->kind == LAY_TASK)
		return nd->label && *nd->label ? task_width(nd->label) : LAY_TASK_W;
	return nd->kind == LAY_GATEWAY ? LAY_GATEWAY_SIZE : LAY_EVENT_SIZE;
}

static long
node_h(enum lay_kind k)
{
	return k == LAY_TASK ? LAY_TASK_H : k == LAY_GATEWAY ? LAY_GATEWAY_SIZE : LAY_EVENT_SIZE;
}

static int
seg_cmp(const void *a, const void *b)
{
	const struct seg *x = a, *y = b;

	if (x->where != y->where)
		return x->where < y->where ? -1 : 1;
	if (x->lo != y->lo)
		return x->lo < y->lo ? -1 : 1;
	if (x->hi != y->hi)
		return x->hi > y->hi ? -1 : 1;  /* the longer first: fans do not cross */
	return 0;
}

/*
 * Give each segment a track in its channel or gap: the lowest track whose
 * last segment ends before this one starts. ntracks[where] receives the
 * number used. segs is sorted here.
 */
static enum status
assign_tracks(struct seg *segs, size_t n, size_t *ntracks)
{
	long *ends = NULL;
	size_t cap = 0, i = 0;

	qsort(segs, n, sizeof *segs, seg_cmp);
	while (i < n) {
		size_t where = segs[i].where, used = 0;

		for (; i < n && segs[i].where == where; i++) {
			size_t t;

			for (t = 0; t < used && ends[t] >= segs[i].lo; t++)
				;
			if (t == used) {
				if (used == cap) {
					size_t nc = cap ? cap * 2 : 8;
					long *q = realloc(ends, nc * sizeof *q);

					if (!q) {
						free(ends);
						return STATUS_NOMEM;
					}
					ends = q;
					cap = nc;
				}
				used++;
			}
			ends[t] = segs[i].hi;
			*segs[i].track = t;
		}
		ntracks[where] = used;
	}
	free(ends);
	return STATUS_OK;
}

/* --- the layout --------------------------------------------------------------- */

struct work {
	struct layout *L;
	size_t n, m, nb;
	size_t *col, *row;           /* per node */
	struct lay_adj adj;          /* edges by node */
	size_t *order;               /* nodes by column, then index */
	size_t *band_rows, *band_row0;
	size_t nrows, ngaps;
	size_t *row_off, *row_cols;  /* the columns occupied in each global row */
	struct route *rt;
	size_t *ch_tracks, *gap_tracks;
	long *ch_label_w;
	long *col_x, *col_w, *ch_x, *ch_w;
	long *row_y, *row_hh, *gap_y, *gap_h;
	long *lab_w, *lab_h;         /* per node label */
	long *node_w;                /* per node */
	size_t *tier;                /* per node: which row of the wrapped process */
	unsigned char *str_in, *str_out;  /* per node: has a straight edge in, out */
	long *dy_out, *dy_in;        /* per edge: its ports, from the shapes' centre lines */
};

static long
row_rank(const struct work *k, size_t node)
{
	size_t b = k->L->nodes[node].band, g = k->band_row0[b] + k->row[node];

	return 2 * (long)(g + b) + 1;
}

static size_t
gap_index(const struct work *k, size_t band, size_t r)
{
	return k->band_row0[band] + band + r;
}

static long
gap_rank(size_t gi)
{
	return 2 * (long)gi;
}

/* True when global row g has no node in columns strictly between c1 and c2. */
static int
row_clear(const struct work *k, size_t g, size_t c1, size_t c2)
{
	size_t lo = k->row_off[g], hi = k->row_off[g + 1];

	/* first occupied column > c1 */
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;

		if (k->row_cols[mid] <= c1)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo == k->row_off[g + 1] || k->row_cols[lo] >= c2;
}

enum status
lay_adjacency(const struct lay_edge *edges, size_t m, size_t n, struct lay_adj *a)
{
	size_t i, *fo, *fi;

	a->out_off = calloc(n + 1, sizeof *a->out_off);
	a->in_off = calloc(n + 1, sizeof *a->in_off);
	a->out_e = malloc((m ? m : 1) * sizeof *a->out_e);
	a->in_e = malloc((m ? m : 1) * sizeof *a->in_e);
	fo = calloc(n + 1, sizeof *fo);
	fi = calloc(n + 1, sizeof *fi);
	if (!a->out_off || !a->in_off || !a->out_e || !a->in_e || !fo || !fi) {
		free(fo);
		free(fi);
		lay_adjacency_done(a);
		return STATUS_NOMEM;
	}
	for (i = 0; i < m; i++) {
		a->out_off[edges[i].from + 1]++;
		a->in_off[edges[i].to + 1]++;
	}
	for (i = 0; i < n; i++) {
		a->out_off[i + 1] += a->out_off[i];
		a->in_off[i + 1] += a->in_off[i];
	}
	for (i = 0; i < m; i++) {
		size_t f = edges[i].from, t = edges[i].to;

		a->out_e[a->out_off[f] + fo[f]++] = i;
		a->in_e[a->in_off[t] + fi[t]++] = i;
	}
	free(fo);
	free(fi);
	return STATUS_OK;
}

void
lay_adjacency_done(struct lay_adj *a)
{
	free(a->out_off);
	free(a->out_e);
	free(a->in_off);
	free(a->in_e);
	memset(a, 0, sizeof *a);
}

static void
assign_columns(struct work *k)
{
	struct layout *L = k->L;
	size_t v, j;

	k->L->ncols = 0;
	for (v = 0; v < k->n; v++) {
		size_t c = 0;
		int any = 0;

		for (j = k->adj.in_off[v]; j < k->adj.in_off[v + 1]; j++) {
			size_t u = L->edges[k->adj.in_e[j]].from;

			if (u < v && (!any || k->col[u] + 1 > c)) {
				c = k->col[u] + 1;
				any = 1;
			}
		}
		if (!any && v > 0)
			c = k->col[v - 1] + 1;
		k->col[v] = c;
		if (c + 1 > L->ncols)
			L->ncols = c + 1;
	}
}

/* Sort nodes by column, then index (a counting sort). */
static enum status
sort_by_column(struct work *k)
{
	size_t *cnt = calloc(k->L->ncols + 1, sizeof *cnt), v;

	if (!cnt)
		return STATUS_NOMEM;
	for (v = 0; v < k->n; v++)
		cnt[k->col[v] + 1]++;
	for (v = 0; v < k->L->ncols; v++)
		cnt[v + 1] += cnt[v];
	for (v = 0; v < k->n; v++)
		k->order[cnt[k->col[v]]++] = v;
	free(cnt);
	return STATUS_OK;
}

/* The rows: see layout.h. last[b] holds, per row of band b, its last column. */
static enum status
assign_rows(struct work *k)
{
	struct layout *L = k->L;
	long **last = calloc(k->nb, sizeof *last);
	size_t *cap = calloc(k->nb, sizeof *cap);
	enum status st = STATUS_NOMEM;
	size_t i, b;

	if (!last || !cap)
		goto out;
	for (i = 0; i < k->n; i++) {
		size_t v = k->order[i], j, r, u = SIZE_MAX;
		struct lay_node *nv = &L->nodes[v];

		b = nv->band;
		/* the nearest forward predecessor */
		for (j = k->adj.in_off[v]; j < k->adj.in_off[v + 1]; j++) {
			size_t p = L->edges[k->adj.in_e[j]].from;

			if (p < v && (u == SIZE_MAX || k->col[p] > k->col[u] ||
			              (k->col[p] == k->col[u] && p < u)))
				u = p;
		}
		if (u != SIZE_MAX && L->nodes[u].band == b) {
			size_t rank = 0;

			/* branches of u in this band before v take the rows above */
			for (j = k->adj.out_off[u]; j < k->adj.out_off[u + 1]; j++) {
				size_t t = L->edges[k->adj.out_e[j]].to, q;
				int dup = 0;

				if (t <= u || t >= v || L->nodes[t].band != b)
					continue;
				for (q = k->adj.out_off[u]; q < j; q++)
					dup |= L->edges[k->adj.out_e[q]].to == t;
				rank += !dup;
			}
			r = k->row[u] + rank;
			while (r < k->band_rows[b] && last[b][r] > (long)k->col[u])
				r++;
		} else {
			r = 0;
			while (r < k->band_rows[b] && last[b][r] >= (long)k->col[v])
				r++;
		}
		while (r >= k->band_rows[b]) {
			if (k->band_rows[b] == cap[b]) {
				size_t nc = cap[b] ? cap[b] * 2 : 4;
				long *q = realloc(last[b], nc * sizeof *q);

				if (!q)
					goto out;
				last[b] = q;
				cap[b] = nc;
			}
			last[b][k->band_rows[b]++] = -1;
		}
		last[b][r] = (long)k->col[v];
		k->row[v] = r;
	}
	st = STATUS_OK;
out:
	for (b = 0; last && b < k->nb; b++)
		free(last[b]);
	free(last);
	free(cap);
	return st;
}

/*
 * Wrapping: a long process is cut into rows of at most `per` columns, one
 * under the other inside every lane, so that the pool is not a strip. The
 * smallest number of rows is taken whose estimated pool is at most
 * WRAP_ASPECT times as wide as high (estimated: a column as wide as its
 * widest shape or label plus a channel, a row of a lane ROW_H + WRAP_ROW_EXTRA).
 */
#define WRAP_ASPECT_NUM 14    /* 1.4 : 1 estimated: the real pool comes out near 1.5 to 2 : 1 */
#define WRAP_ASPECT_DEN 10
#define WRAP_MIN_COLS 4       /* fewer columns a row than this: no use wrapping */
#define WRAP_ROW_EXTRA 34     /* a gap and a line of label */

struct wrap_est {
	const struct work *k;
	const long *gw;              /* per global column */
	const size_t *gcol, *key;    /* per node: global column; band's first row + row */
	size_t *stamp, gen;          /* per global row */
	long *colmax, *rows;         /* per local column; per band */
};

/* Is the pool, cut every `per` columns, at most WRAP_ASPECT wide? */
static int
wrap_fits(struct wrap_est *e, size_t per)
{
	const struct work *k = e->k;
	size_t nc = k->L->ncols, c, i, b;
	long w = LAY_POOL_HEADER + LAY_LANE_HEADER + CH_MIN, h = 0;

	e->gen++;
	for (c = 0; c < per; c++)
		e->colmax[c] = 0;
	for (c = 0; c < nc; c++)
		if (e->gw[c] > e->colmax[c % per])
			e->colmax[c % per] = e->gw[c];
	for (c = 0; c < per && c < nc; c++)
		w += e->colmax[c];
	for (b = 0; b < k->nb; b++)
		e->rows[b] = 0;
	for (i = 0; i < k->n; i++) {
		size_t v = k->order[i], tag = e->gen * (nc + 1) + e->gcol[v] / per;

		if (e->stamp[e->key[v]] != tag) {
			e->stamp[e->key[v]] = tag;
			e->rows[k->L->nodes[v].band]++;
		}
	}
	for (b = 0; b < k->nb; b++) {
		long hb = e->rows[b] * (ROW_H + WRAP_ROW_EXTRA) + GAP_MIN;

		h += hb < LANE_MIN_H ? LANE_MIN_H : hb;
	}
	return w * WRAP_ASPECT_DEN <= h * WRAP_ASPECT_NUM;
}

static int
key_cmp(const void *a, const void *b)
{
	size_t x = *(const size_t *)a, y = *(const size_t *)b;

	return x < y ? -1 : x > y;
}

/* Choose where to cut (see above), then number columns within their row
 * of the process and each lane's rows anew: the rows a lane uses in each
 * row of the process, in their order, after those of the rows before. */
static enum status
wrap_rows(struct work *k)
{
	struct layout *L = k->L;
	size_t nc = L->ncols, nr = 0, b, i, j, per, lo, hi;
	size_t *row0 = calloc(k->nb + 1, sizeof *row0), *gcol = NULL, *key = NULL;
	size_t *stamp = NULL, *rband = NULL, *base = NULL, *map = NULL, *tmp = NULL;
	long *gw = NULL, *colmax = NULL, *rows = NULL;
	enum status st = STATUS_NOMEM;
	struct wrap_est e;

	for (i = 0; i < k->n; i++)
		k->tier[i] = 0;
	if (!row0)
		return st;
	for (b = 0; b < k->nb; b++) {
		row0[b] = nr;
		nr += k->band_rows[b];
	}
	gcol = malloc((k->n + 1) * sizeof *gcol);
	key = malloc((k->n + 1) * sizeof *key);
	tmp = malloc((k->n + 1) * sizeof *tmp);
	stamp = calloc(nr + 1, sizeof *stamp);
	rband = malloc((nr + 1) * sizeof *rband);
	map = malloc((nr + 1) * sizeof *map);
	base = calloc(k->nb + 1, sizeof *base);
	gw = calloc(nc + 1, sizeof *gw);
	colmax = calloc(nc + 1, sizeof *colmax);
	rows = calloc(k->nb + 1, sizeof *rows);
	if (!gcol || !key || !tmp || !stamp || !rband || !map || !base || !gw || !colmax || !rows)
		goto out;
	for (b = 0; b < k->nb; b++)
		for (j = 0; j < k->band_rows[b]; j++)
			rband[row0[b] + j] = b;
	for (i = 0; i < k->n; i++) {
		long w = k->node_w[i] > k->lab_w[i] ? k->node_w[i] : k->lab_w[i];

		gcol[i] = k->col[i];
		key[i] = row0[L->nodes[i].band] + k->row[i];
		if (w + CH_MIN > gw[k->col[i]])
			gw[k->col[i]] = w + CH_MIN;
	}
	e = (struct wrap_est){ k, gw, gcol, key, stamp, 0, colmax, rows };
	per = nc;
	if (nc > WRAP_MIN_COLS && !wrap_fits(&e, nc)) {
		/* the widest rows that fit; wider rows are wider, fewer lower */
		lo = WRAP_MIN_COLS;
		hi = nc - 1;
		if (!wrap_fits(&e, lo)) {
			per = lo;
		} else {
			while (lo < hi) {
				size_t mid = lo + (hi - lo + 1) / 2;

				if (wrap_fits(&e, mid))
					lo = mid;
				else
					hi = mid - 1;
			}
			per = lo;
		}
	}
	if (per < nc) {
		/* nodes are in column order, so each row of the process is a run */
		for (i = 0; i < k->n; i = j) {
			size_t t = gcol[k->order[i]] / per, nk = 0, q;

			for (j = i; j < k->n && gcol[k->order[j]] / per == t; j++)
				tmp[nk++] = key[k->order[j]];
			qsort(tmp, nk, sizeof *tmp, key_cmp);
			for (q = 0; q < nk; q++)
				if (q == 0 || tmp[q] != tmp[q - 1])
					map[tmp[q]] = base[rband[tmp[q]]]++;
			for (q = i; q < j; q++) {
				size_t v = k->order[q];

				k->row[v] = map[key[v]];
				k->col[v] = gcol[v] % per;
				k->tier[v] = t;
			}
		}
		for (b = 0; b < k->nb; b++)
			k->band_rows[b] = base[b];
		L->ncols = per;
	}
	st = STATUS_OK;
out:
	free(row0);
	free(gcol);
	free(key);
	free(tmp);
	free(stamp);
	free(rband);
	free(map);
	free(base);
	free(gw);
	free(colmax);
	free(rows);
	return st;
}

/* The first global row of each band and the columns taken in every row. */
static enum status
index_rows(struct work *k)
{
	struct layout *L = k->L;
	size_t b, i, *fill;

	k->nrows = 0;
	for (b = 0; b < k->nb; b++) {
		k->band_row0[b] = k->nrows;
		k->nrows += k->band_rows[b];
	}
	k->ngaps = k->nrows + k->nb;
	k->row_off = calloc(k->nrows + 1, sizeof *k->row_off);
	k->row_cols = malloc((k->n ? k->n : 1) * sizeof *k->row_cols);
	fill = calloc(k->nrows + 1, sizeof *fill);
	if (!k->row_off || !k->row_cols || !fill) {
		free(fill);
		return STATUS_NOMEM;
	}
	for (i = 0; i < k->n; i++)
		k->row_off[k->band_row0[L->nodes[i].band] + k->row[i] + 1]++;
	for (i = 0; i < k->nrows; i++)
		k->row_off[i + 1] += k->row_off[i];
	for (i = 0; i < k->n; i++) {
		size_t v = k->order[i], g = k->band_row0[L->nodes[v].band] + k->row[v];

		k->row_cols[k->row_off[g] + fill[g]++] = k->col[v];
	}
	free(fill);
	return STATUS_OK;
}

/* Choose each edge's route and collect the segments that need tracks. */
static enum status
route_edges(struct work *k)
{
	struct layout *L = k->L;
	struct seg *vs = NULL, *hs = NULL;
	size_t nv = 0, nh = 0, i;
	enum status st = STATUS_NOMEM;

	vs = malloc((2 * k->m + 1) * sizeof *vs);
	hs = malloc((k->m + 1) * sizeof *hs);
	if (!vs || !hs)
		goto out;
	for (i = 0; i < k->m; i++) {
		struct lay_edge *e = &L->edges[i];
		struct route *r = &k->rt[i];
		size_t s = e->from, t = e->to;
		size_t bs = L->nodes[s].band, bt = L->nodes[t].band;
		size_t gs = k->band_row0[bs] + k->row[s], gt = k->band_row0[bt] + k->row[t];
		long ys = row_rank(k, s), yt = row_rank(k, t);

		memset(r, 0, sizeof *r);
		if (t > s && k->col[t] <= k->col[s]) {
			/* into a later row of the wrapped process: through a gap by the target */
			r->kind = R_FIVE;
			r->ch1 = k->col[s] + 1;
			r->ch2 = k->col[t];
			r->gap = gt < gs ? gap_index(k, bt, k->row[t] + 1) : gap_index(k, bt, k->row[t]);
		} else if (t > s) {
			size_t cs = k->col[s], ct = k->col[t];

			if (gs == gt && row_clear(k, gs, cs, ct) && !k->str_out[s] && !k->str_in[t]) {
				/* one straight edge a side: a second between the same two goes round */
				r->kind = R_STRAIGHT;
				k->str_out[s] = k->str_in[t] = 1;
				continue;
			}
			if (gs != gt && row_clear(k, gt, cs, ct)) {
				r->kind = R_Z1;
				r->ch1 = cs + 1;
			} else if (gs != gt && row_clear(k, gs, cs, ct)) {
				r->kind = R_Z2;
				r->ch1 = ct;
			} else {
				r->kind = R_FIVE;
				r->ch1 = cs + 1;
				r->ch2 = ct;
				r->gap = gt < gs ? gap_index(k, bt, k->row[t] + 1)
				       : gt > gs ? gap_index(k, bt, k->row[t])
				       : gap_index(k, bt, k->row[t] + 1);
			}
		} else {
			r->kind = R_BACK;
			r->ch1 = k->col[s] + 1;
			r->ch2 = k->col[t];
			r->gap = gap_index(k, bs, k->row[s] + 1);
		}
		if (r->kind == R_Z1 || r->kind == R_Z2) {
			vs[nv++] = (struct seg){ r->ch1, ys < yt ? ys : yt, ys < yt ? yt : ys, &r->tr1 };
		} else {
			long yg = gap_rank(r->gap);
			long x1 = 2 * (long)r->ch1, x2 = 2 * (long)r->ch2;

			vs[nv++] = (struct seg){ r->ch1, ys < yg ? ys : yg, ys < yg ? yg : ys, &r->tr1 };
			vs[nv++] = (struct seg){ r->ch2, yt < yg ? yt : yg, yt < yg ? yg : yt, &r->tr2 };
			hs[nh++] = (struct seg){ r->gap, x1 < x2 ? x1 : x2, x1 < x2 ? x2 : x1, &r->trg };
		}
	}
	if (assign_tracks(vs, nv, k->ch_tracks) != STATUS_OK ||
	    assign_tracks(hs, nh, k->gap_tracks) != STATUS_OK)
		goto out;
	st = STATUS_OK;
out:
	free(vs);
	free(hs);
	return st;
}

/*
 * The height a lane or pool needs for its name, written along its header
 * as bpmn-js does (12 px, wrapped at the band's height less HEADER_PAD, in
 * at most HEADER_LINES lines across the header): at least min.
 */
#define HEADER_PAD 10
#define HEADER_LINES 2
#define HEADER_MAX 4000       /* a name longer than this is cut by the viewer */

static long
header_need(const char *name, long min)
{
	long h;

	if (!name || !*name)
		return min;
	for (h = min > 2 * HEADER_PAD ? min : 2 * HEADER_PAD; h < HEADER_MAX; h += 10) {
		double widest;
		long lines;

		wrap_text(name, TASK_FONT_PX, h - HEADER_PAD, &widest, &lines);
		if (lines <= HEADER_LINES && widest <= (double)(h - HEADER_PAD))
			break;
	}
	return h;
}

/* Sizes and positions of columns, channels, rows, gaps and bands. */
static void
measure(struct work *k)
{
	struct layout *L = k->L;
	size_t i, b, c;
	long x, y;

	for (c = 0; c < L->ncols; c++)
		k->col_w[c] = 0;
	for (i = 0; i < k->n; i++) {
		long w = k->node_w[i];

		if (k->lab_w[i] > w)
			w = k->lab_w[i];
		if (w > k->col_w[k->col[i]])
			k->col_w[k->col[i]] = w;
	}
	for (c = 0; c <= L->ncols; c++) {
		long w = CH_TRACK0 + CH_TRACK * (long)k->ch_tracks[c];

		if (k->ch_label_w[c])
			w += k->ch_label_w[c] + 8;
		else
			w += 8;
		k->ch_w[c] = w < CH_MIN ? CH_MIN : w;
	}
	x = L->x + LAY_POOL_HEADER + LAY_LANE_HEADER;
	for (c = 0; c <= L->ncols; c++) {
		k->ch_x[c] = x;
		x += k->ch_w[c];
		if (c < L->ncols) {
			k->col_x[c] = x;
			x += k->col_w[c];
		}
	}
	/* rows: tall enough for labels under events and gateways */
	for (i = 0; i < k->nrows; i++)
		k->row_hh[i] = ROW_H;
	for (i = 0; i < k->n; i++) {
		const struct lay_node *nd = &L->nodes[i];
		size_t g = k->band_row0[nd->band] + k->row[i];
		long h = ROW_MID + node_h(nd->kind) / 2 + LABEL_GAP + k->lab_h[i];

		if (k->lab_h[i] && h > k->row_hh[g])
			k->row_hh[g] = h;
	}
	for (i = 0; i < k->ngaps; i++) {
		long h = GAP_TRACK0 * 2 + GAP_TRACK * ((long)k->gap_tracks[i] - 1);

		k->gap_h[i] = h < GAP_MIN ? GAP_MIN : h;
	}
	y = L->y;
	for (b = 0; b < k->nb; b++) {
		size_t r, g0 = gap_index(k, b, 0), gl = gap_index(k, b, k->band_rows[b]);
		long h = 0, need = header_need(L->band_names ? L->band_names[b] : NULL, LANE_MIN_H);

		if (b + 1 == k->nb && header_need(L->pool_name, 0) - (y - L->y) > need)
			need = header_need(L->pool_name, 0) - (y - L->y);  /* the pool's name too */
		for (r = 0; r <= k->band_rows[b]; r++)
			h += k->gap_h[g0 + r];
		for (r = 0; r < k->band_rows[b]; r++)
			h += k->row_hh[k->band_row0[b] + r];
		if (h < need) {
			long extra = need - h;

			if (gl == g0) {
				k->gap_h[g0] += extra;
			} else {
				k->gap_h[g0] += extra / 2;
				k->gap_h[gl] += extra - extra / 2;
			}
			h = need;
		}
		L->bands[b] = (struct lay_rect){ L->x + LAY_POOL_HEADER, y, 0, h };
		for (r = 0; r <= k->band_rows[b]; r++) {
			k->gap_y[g0 + r] = y;
			y += k->gap_h[g0 + r];
			if (r < k->band_rows[b]) {
				k->row_y[k->band_row0[b] + r] = y;
				y += k->row_hh[k->band_row0[b] + r];
			}
		}
	}
	L->pool = (struct lay_rect){ L->x, L->y, x - L->x, y - L->y };
	for (b = 0; b < k->nb; b++)
		L->bands[b].w = L->pool.w - LAY_POOL_HEADER;
}

static long
ch_track_x(const struct work *k, size_t ch, size_t t)
{
	return k->ch_x[ch] + CH_TRACK0 + CH_TRACK * (long)t;
}

static long
gap_track_y(const struct work *k, size_t g, size_t t)
{
	return k->gap_y[g] + GAP_TRACK0 + GAP_TRACK * (long)t;
}

/*
 * Ports: the edges at one side of a shape meet it at separate points, so
 * no two share a segment there. Top to bottom: those whose next segment
 * goes up (out) or that come from above (in), then the straight one on the
 * centre line, then the others; each group ordered so that they do not
 * cross each other. Spread evenly over most of the side (port_span()
 * either way of the centre), so that a label fits between two flows.
 */
struct port {
	int cls;                     /* 0 above, 1 straight, 2 below */
	long x;                      /* the vertical segment it turns into */
	size_t e;
};

static int
port_cmp(const void *a, const void *b)
{
	const struct port *p = a, *q = b;

	if (p->cls != q->cls)
		return p->cls < q->cls ? -1 : 1;
	if (p->x != q->x)
		return p->x < q->x ? -1 : 1;
	return p->e < q->e ? -1 : p->e > q->e;
}

static long
port_span(enum lay_kind kind)
{
	return kind == LAY_TASK ? 33 : kind == LAY_GATEWAY ? 14 : 11;
}

/* Spread the n ports of one side, sorted, over the span of a shape. */
static void
spread_ports(const struct port *p, size_t n, long span, long *dy)
{
	size_t i, above = 0, below = 0, mid = SIZE_MAX;

	for (i = 0; i < n; i++) {
		if (p[i].cls == 1)
			mid = i;
		above += p[i].cls == 0;
		below += p[i].cls == 2;
	}
	if (mid != SIZE_MAX) {
		size_t most = above > below ? above : below;
		long step = most ? span / (long)most : 0;

		for (i = 0; i < n; i++)
			dy[p[i].e] = ((long)i - (long)mid) * step;
	} else {
		long step = n > 1 ? 2 * span / (long)(n - 1) : 0;

		for (i = 0; i < n; i++)
			dy[p[i].e] = (2 * (long)i - (long)(n - 1)) * step / 2;
	}
}

/* How far right of its centre a shape's border is, dy below its centre
 * line: the box's for a task, the diamond's or circle's otherwise. */
static long
border_dx(const struct lay_rect *b, enum lay_kind kind, long dy)
{
	long half = b->w / 2, ady = dy < 0 ? -dy : dy, x;

	if (kind == LAY_TASK)
		return half;
	if (kind == LAY_GATEWAY)
		return half - ady;
	for (x = half; x > 0 && x * x + ady * ady > half * half; x--)
		;
	return x;
}

static enum status
assign_ports(struct work *k)
{
	struct layout *L = k->L;
	struct port *p = malloc((k->m + 1) * sizeof *p);
	size_t v, j;

	if (!p)
		return STATUS_NOMEM;
	for (v = 0; v < k->n; v++) {
		size_t n = 0;
		long rv = row_rank(k, v), span = port_span(L->nodes[v].kind);

		for (j = k->adj.out_off[v]; j < k->adj.out_off[v + 1]; j++) {
			size_t e = k->adj.out_e[j];
			const struct route *r = &k->rt[e];
			long to = r->kind == R_Z1 || r->kind == R_Z2 ? row_rank(k, L->edges[e].to)
			                                            : gap_rank(r->gap);

			long x = ch_track_x(k, r->ch1, r->tr1);

			/* out: going up, the nearer track leaves higher; going down, lower */
			p[n++] = (struct port){ r->kind == R_STRAIGHT ? 1 : to < rv ? 0 : 2,
			                        to < rv ? x : -x, e };
		}
		qsort(p, n, sizeof *p, port_cmp);
		spread_ports(p, n, span, k->dy_out);
		n = 0;
		for (j = k->adj.in_off[v]; j < k->adj.in_off[v + 1]; j++) {
			size_t e = k->adj.in_e[j];
			const struct route *r = &k->rt[e];
			int z = r->kind == R_Z1 || r->kind == R_Z2;
			long from = z ? row_rank(k, L->edges[e].from) : gap_rank(r->gap);
			long x = z ? ch_track_x(k, r->ch1, r->tr1) : ch_track_x(k, r->ch2, r->tr2);

			/* in: from above, the further track enters lower; from below, higher */
			p[n++] = (struct port){ r->kind == R_STRAIGHT ? 1 : from < rv ? 0 : 2,
			                        from < rv ? -x : x, e };
		}
		qsort(p, n, sizeof *p, port_cmp);
		spread_ports(p, n, span, k->dy_in);
	}
	free(p);
	return STATUS_OK;
}

static void
place(struct work *k)
{
	struct layout *L = k->L;
	size_t i, np = 0;

	for (i = 0; i < k->n; i++) {
		struct lay_node *nd = &L->nodes[i];
		size_t g = k->band_row0[nd->band] + k->row[i];
		long w = k->node_w[i], h = node_h(nd->kind);

		nd->col = k->col[i];
		nd->row = k->row[i];
		nd->box = (struct lay_rect){ k->col_x[nd->col] + (k->col_w[nd->col] - w) / 2,
		                             k->row_y[g] + ROW_MID - h / 2, w, h };
		if (k->lab_w[i])
			nd->label_box = (struct lay_rect){ nd->box.x + w / 2 - k->lab_w[i] / 2,
			                                   nd->box.y + h + LABEL_GAP, k->lab_w[i],
			                                   k->lab_h[i] };
		else
			nd->label_box = (struct lay_rect){ 0, 0, 0, 0 };
	}
	for (i = 0; i < k->m; i++) {
		struct lay_edge *e = &L->edges[i];
		const struct route *r = &k->rt[i];
		const struct lay_rect *a = &L->nodes[e->from].box, *z = &L->nodes[e->to].box;
		struct lay_point *p = L->pts + np;
		long ys = a->y + a->h / 2 + k->dy_out[i], yt = z->y + z->h / 2 + k->dy_in[i];
		long xs = a->x + a->w / 2 + border_dx(a, L->nodes[e->from].kind, k->dy_out[i]);
		long xt = z->x + z->w / 2 - border_dx(z, L->nodes[e->to].kind, k->dy_in[i]);
		long x1, x2, yg;

		e->pt0 = np;
		p[0] = (struct lay_point){ xs, ys };
		switch (r->kind) {
		case R_STRAIGHT:
			p[1] = (struct lay_point){ xt, yt };
			e->npts = 2;
			break;
		case R_Z1:
		case R_Z2:
			x1 = ch_track_x(k, r->ch1, r->tr1);
			p[1] = (struct lay_point){ x1, ys };
			p[2] = (struct lay_point){ x1, yt };
			p[3] = (struct lay_point){ xt, yt };
			e->npts = 4;
			break;
		default:
			x1 = ch_track_x(k, r->ch1, r->tr1);
			x2 = ch_track_x(k, r->ch2, r->tr2);
			yg = gap_track_y(k, r->gap, r->trg);
			p[1] = (struct lay_point){ x1, ys };
			p[2] = (struct lay_point){ x1, yg };
			p[3] = (struct lay_point){ x2, yg };
			p[4] = (struct lay_point){ x2, yt };
			p[5] = (struct lay_point){ xt, yt };
			e->npts = 6;
			break;
		}
		np += e->npts;
		e->label_box = (struct lay_rect){ 0, 0, 0, 0 };
	}
	L->npts = np;
}

enum status
layout_run(struct layout *L, struct err *err)
{
	struct work k;
	enum status st = STATUS_NOMEM;
	size_t i, nc;

	memset(&k, 0, sizeof k);
	k.L = L;
	k.n = L->nnodes;
	k.m = L->nedges;
	k.nb = L->nbands ? L->nbands : 1;
	L->bands = NULL;
	L->pts = NULL;
	L->npts = 0;
	L->ncols = 0;
	for (i = 0; i < k.n; i++)
		if (L->nodes[i].band >= k.nb)
			return err_set(err, STATUS_INTERNAL, "layout: node %zu in band %zu of %zu",
			               i, L->nodes[i].band, k.nb);
	for (i = 0; i < k.m; i++)
		if (L->edges[i].from >= k.n || L->edges[i].to >= k.n)
			return err_set(err, STATUS_INTERNAL, "layout: edge %zu between missing nodes", i);
	k.col = calloc(k.n + 1, sizeof *k.col);
	k.row = calloc(k.n + 1, sizeof *k.row);
	k.order = malloc((k.n + 1) * sizeof *k.order);
	k.band_rows = calloc(k.nb, sizeof *k.band_rows);
	k.band_row0 = calloc(k.nb, sizeof *k.band_row0);
	k.rt = malloc((k.m + 1) * sizeof *k.rt);
	k.lab_w = calloc(k.n + 1, sizeof *k.lab_w);
	k.lab_h = calloc(k.n + 1, sizeof *k.lab_h);
	k.node_w = calloc(k.n + 1, sizeof *k.node_w);
	k.tier = calloc(k.n + 1, sizeof *k.tier);
	k.str_in = calloc(k.n + 1, 1);
	k.str_out = calloc(k.n + 1, 1);
	k.dy_in = calloc(k.m + 1, sizeof *k.dy_in);
	k.dy_out = calloc(k.m + 1, sizeof *k.dy_out);
	L->bands = calloc(k.nb, sizeof *L->bands);
	L->pts = malloc((6 * k.m + 1) * sizeof *L->pts);
	if (!k.col || !k.row || !k.order || !k.band_rows || !k.band_row0 || !k.rt ||
	    !k.lab_w || !k.lab_h || !k.node_w || !k.tier || !k.str_in || !k.str_out ||
	    !k.dy_in || !k.dy_out || !L->bands || !L->pts)
		goto out;
	for (i = 0; i < k.n; i++) {
		k.node_w[i] = node_w(&L->nodes[i]);
		if (L->nodes[i].kind != LAY_TASK && L->nodes[i].label && *L->nodes[i].label)
			layout_text_size(L->nodes[i].label, LAY_LABEL_MAX_W, &k.lab_w[i], &k.lab_h[i]);
	}
	if ((st = lay_adjacency(L->edges, k.m, k.n, &k.adj)) != STATUS_OK)
		goto out;
	assign_columns(&k);
	st = STATUS_NOMEM;
	if (sort_by_column(&k) != STATUS_OK || assign_rows(&k) != STATUS_OK ||
	    wrap_rows(&k) != STATUS_OK || index_rows(&k) != STATUS_OK)
		goto out;
	nc = L->ncols + 1;
	k.ch_tracks = calloc(nc, sizeof *k.ch_tracks);
	k.gap_tracks = calloc(k.ngaps, sizeof *k.gap_tracks);
	k.ch_label_w = calloc(nc, sizeof *k.ch_label_w);
	k.col_x = calloc(nc, sizeof *k.col_x);
	k.col_w = calloc(nc, sizeof *k.col_w);
	k.ch_x = calloc(nc, sizeof *k.ch_x);
	k.ch_w = calloc(nc, sizeof *k.ch_w);
	k.row_y = calloc(k.nrows + 1, sizeof *k.row_y);
	k.row_hh = calloc(k.nrows + 1, sizeof *k.row_hh);
	k.gap_y = calloc(k.ngaps, sizeof *k.gap_y);
	k.gap_h = calloc(k.ngaps, sizeof *k.gap_h);
	if (!k.ch_tracks || !k.gap_tracks || !k.ch_label_w || !k.col_x || !k.col_w ||
	    !k.ch_x || !k.ch_w || !k.row_y || !k.row_hh || !k.gap_y || !k.gap_h)
		goto out;
	if (route_edges(&k) != STATUS_OK)
		goto out;
	for (i = 0; i < k.m; i++) {
		const struct lay_edge *e = &L->edges[i];
		long w, h;

		if (!e->label || !*e->label)
			continue;
		layout_text_size(e->label, LAY_LABEL_MAX_W, &w, &h);
		if (w > k.ch_label_w[k.col[e->to]])
			k.ch_label_w[k.col[e->to]] = w;
	}
	measure(&k);
	if (assign_ports(&k) != STATUS_OK)
		goto out;
	place(&k);
	if (layout_place_labels(L) != STATUS_OK)
		goto out;
	st = STATUS_OK;
out:
	if (st == STATUS_NOMEM)
		err_set(err, st, "out of memory laying out the diagram");
	if (st != STATUS_OK) {
		free(L->bands);
		free(L->pts);
		L->bands = NULL;
		L->pts = NULL;
	}
	free(k.col);
	free(k.row);
	lay_adjacency_done(&k.adj);
	free(k.order);
	free(k.band_rows);
	free(k.band_row0);
	free(k.row_off);
	free(k.row_cols);
	free(k.rt);
	free(k.ch_tracks);
	free(k.gap_tracks);
	free(k.ch_label_w);
	free(k.col_x);
	free(k.col_w);
	free(k.ch_x);
	free(k.ch_w);
	free(k.row_y);
	free(k.row_hh);
	free(k.gap_y);
	free(k.gap_h);
	free(k.lab_w);
	free(k.lab_h);
	free(k.node_w);
	free(k.tier);
	free(k.str_in);
	free(k.str_out);
	free(k.dy_in);
	free(k.dy_out);
	return st;
}

void
layout_done(struct layout *L)
{
	if (!L)
		return;
	free(L->bands);
	free(L->pts);
	L->bands = NULL;
	L->pts = NULL;
	L->npts = 0;
}
