/* modes.c - see modes.h.  Every step is written so that probes/python/pyprobe/stats.py can
 * repeat it operation for operation (same sums in the same order), giving the same answer. */
#include "modes.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "alloc.h"

#define KERNEL_STEPS 16	/* grid steps per side the kernel reaches: 4 h at h = 4 steps */

/* The samples, double or int64: one reader for both. */
struct vals {
	const double *d;
	const int64_t *i;
	size_t n;
};

static double val(const struct vals *v, size_t k)
{
	return v->d ? v->d[k] : (double)v->i[k];
}

/* Silverman's bandwidth on the logs, at least MODES_MIN_BANDWIDTH.  Sorted samples repeat
 * (whole nanoseconds): a log is taken once per distinct value. */
static double bandwidth(const struct vals *v)
{
	double sum = 0, sumsq = 0, prev = NAN, lg = 0;
	for (size_t k = 0; k < v->n; k++) {
		double x = val(v, k);
		if (x != prev)
			lg = log(x);
		prev = x;
		sum += lg;
		sumsq += lg * lg;
	}
	double n = (double)v->n, var = (sumsq - sum * sum / n) / (n - 1);
	double sd = var > 0 ? sqrt(var) : 0;
	size_t r25 = (size_t)ceil(0.25 * n), r75 = (size_t)ceil(0.75 * n);
	double iqr = log(val(v, r75 - 1)) - log(val(v, r25 - 1));
	double s = iqr / 1.34 < sd ? iqr / 1.34 : sd;
	if (s <= 0)
		s = sd;	/* more than half the samples share one value: the sd still sees spread */
	double h = 0.9 * s * pow(n, -0.2);
	return h > MODES_MIN_BANDWIDTH ? h : MODES_MIN_BANDWIDTH;
}

/* The density on its grid: x0, dx, size, and the (unnormalised) estimate at each point. */
struct grid {
	double x0, dx;
	size_t size;
	double *bins, *dens;
};

/* Linear binning of the logs (each sample's weight split between its two grid points), then
 * the Gaussian kernel convolved over KERNEL_STEPS points each side. */
static void estimate(const struct vals *v, struct grid *g)
{
	double w[KERNEL_STEPS + 1], prev = NAN, p = 0;
	for (int d = 0; d <= KERNEL_STEPS; d++)
		w[d] = exp(-0.5 * (d / 4.0) * (d / 4.0));	/* h = 4 dx */
	for (size_t k = 0; k < v->n; k++) {
		double x = val(v, k);
		if (x != prev)
			p = (log(x) - g->x0) / g->dx;
		prev = x;
		double j = floor(p), f = p - j;
		g->bins[(size_t)j] += 1 - f;
		g->bins[(size_t)j + 1] += f;
	}
	for (size_t i = 0; i < g->size; i++) {
		double s = 0;
		for (int d = -KERNEL_STEPS; d <= KERNEL_STEPS; d++) {
			long j = (long)i + d;
			if (j >= 0 && j < (long)g->size)
				s += g->bins[j] * w[d < 0 ? -d : d];
		}
		g->dens[i] = s;
	}
}

/* The grid for bandwidth h: spacing h / 4 and KERNEL_STEPS points of margin each side; when
 * that would pass MODES_GRID_MAX points, the spacing grows to fit (and h with it). */
static void make_grid(const struct vals *v, double h, struct grid *g)
{
	double lo = log(val(v, 0)), span = log(val(v, v->n - 1)) - lo;
	g->dx = h / 4;
	double steps = ceil(span / g->dx);
	if (steps + 2 * KERNEL_STEPS + 2 > MODES_GRID_MAX) {
		steps = MODES_GRID_MAX - 2 * KERNEL_STEPS - 2;
		g->dx = span / steps;
	}
	g->size = (size_t)steps + 2 * KERNEL_STEPS + 2;
	g->x0 = lo - KERNEL_STEPS * g->dx;
	g->bins = probe_alloc_array(2 * g->size, sizeof(double), "the modes' density grid");
	g->dens = g->bins + g->size;
}

/* The candidate modes, left to right: peak (grid index and height), the valley to the right
 * of each but the last (grid index and height), and the samples each holds. */
struct segs {
	size_t count;
	size_t *peak, *valley, *held;
	double *peak_h, *valley_h;
};

/* Index of the first sample >= the value at grid point i (a valley's cut). */
static size_t cut_index(const struct vals *v, const struct grid *g, size_t i)
{
	double cut = exp(g->x0 + (double)i * g->dx);
	size_t lo = 0, hi = v->n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (val(v, mid) < cut)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* Every local maximum, the lowest point between each two, and the samples between cuts. */
static void find_peaks(const struct vals *v, const struct grid *g, struct segs *s)
{
	const double *d = g->dens;
	s->count = 0;
	for (size_t i = 1; i + 1 < g->size; i++) {
		if (!(d[i] > d[i - 1] && d[i] >= d[i + 1]))
			continue;
		size_t c = s->count++;
		s->peak[c] = i;
		s->peak_h[c] = d[i];
		if (c == 0)
			continue;
		size_t m = s->peak[c - 1];
		for (size_t j = m; j <= i; j++)
			if (d[j] < d[m])
				m = j;
		s->valley[c - 1] = m;
		s->valley_h[c - 1] = d[m];
	}
	size_t start = 0;
	for (size_t c = 0; c < s->count; c++) {
		size_t end = c + 1 < s->count ? cut_index(v, g, s->valley[c]) : v->n;
		s->held[c] = end - start;
		start = end;
	}
}

/* Merge candidate b + 1 into b (the higher peak stays the peak). */
static void merge(struct segs *s, size_t b)
{
	if (s->peak_h[b + 1] > s->peak_h[b]) {
		s->peak[b] = s->peak[b + 1];
		s->peak_h[b] = s->peak_h[b + 1];
	}
	s->held[b] += s->held[b + 1];
	size_t tail = s->count - b - 2;
	memmove(&s->peak[b + 1], &s->peak[b + 2], tail * sizeof(size_t));
	memmove(&s->peak_h[b + 1], &s->peak_h[b + 2], tail * sizeof(double));
	memmove(&s->held[b + 1], &s->held[b + 2], tail * sizeof(size_t));
	memmove(&s->valley[b], &s->valley[b + 1], tail * sizeof(size_t));
	memmove(&s->valley_h[b], &s->valley_h[b + 1], tail * sizeof(double));
	s->count--;
}

/* How shallow the valley right of candidate b is: its height over the lower peak's. */
static double valley_ratio(const struct segs *s, size_t b)
{
	double low = s->peak_h[b] < s->peak_h[b + 1] ? s->peak_h[b] : s->peak_h[b + 1];
	return low > 0 ? s->valley_h[b] / low : 1.0;
}

/* One merge by the rules in modes.h; 0 when none is due. */
static int merge_one(struct segs *s, size_t n)
{
	if (s->count < 2)
		return 0;
	size_t best = 0, small = 0;
	for (size_t b = 1; b + 1 < s->count; b++)
		if (valley_ratio(s, b) > valley_ratio(s, best))
			best = b;
	if (valley_ratio(s, best) >= MODES_VALLEY_RATIO) {
		merge(s, best);
		return 1;
	}
	for (size_t c = 1; c < s->count; c++)
		if (s->held[c] < s->held[small])
			small = c;
	if (s->held[small] >= MODES_MIN_COUNT && (double)s->held[small] >= MODES_MIN_SHARE * (double)n)
		return 0;
	if (small == 0)
		merge(s, 0);
	else if (small == s->count - 1 || valley_ratio(s, small - 1) >= valley_ratio(s, small))
		merge(s, small - 1);
	else
		merge(s, small);
	return 1;
}

static size_t report(const struct vals *v, const struct grid *g, const struct segs *s,
		     struct mode *out, size_t max)
{
	size_t start = 0;
	for (size_t c = 0; c < s->count && c < max; c++) {
		out[c].center = exp(g->x0 + (double)s->peak[c] * g->dx);
		out[c].lo = val(v, start);
		out[c].hi = val(v, start + s->held[c] - 1);
		out[c].share = (double)s->held[c] / (double)v->n;
		start += s->held[c];
	}
	return s->count;
}

static size_t modes(const struct vals *v, struct mode *out, size_t max)
{
	if (v->n < STATS_MODES_MIN_N || !(val(v, 0) > 0))
		return 0;
	struct grid g;
	make_grid(v, bandwidth(v), &g);
	estimate(v, &g);
	size_t cap = g.size / 2 + 1;
	struct segs s;
	s.peak = probe_alloc_array(3 * cap, sizeof(size_t), "the modes' candidates");
	s.valley = s.peak + cap;
	s.held = s.valley + cap;
	s.peak_h = probe_alloc_array(2 * cap, sizeof(double), "the modes' candidates");
	s.valley_h = s.peak_h + cap;
	find_peaks(v, &g, &s);
	while (merge_one(&s, v->n))
		;
	size_t count = report(v, &g, &s, out, max);
	free(s.peak);
	free(s.peak_h);
	free(g.bins);
	return count;
}

size_t stats_modes(const double *sorted, size_t n, struct mode *out, size_t max)
{
	struct vals v = { sorted, NULL, n };
	return modes(&v, out, max);
}

size_t stats_modes_i64(const int64_t *sorted, size_t n, struct mode *out, size_t max)
{
	struct vals v = { NULL, sorted, n };
	return modes(&v, out, max);
}
