/* stats.c - see stats.h. */
#include "stats.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "alloc.h"

static int cmp_i64(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
	return (x > y) - (x < y);
}

/* LSD radix sort on 16-bit digits, skipping digits every sample shares; timing samples run
 * to millions, where qsort() would cost the probe seconds.  qsort() for a few samples, or when
 * a sample is negative. */
static void sort_i64(int64_t *v, size_t n)
{
	uint64_t or_all = 0, and_all = ~(uint64_t)0;
	if (n < 2)	/* nothing to sort, and qsort() must not see a NULL array */
		return;
	for (size_t i = 0; i < n; i++) {
		if (v[i] < 0) {
			qsort(v, n, sizeof(*v), cmp_i64);
			return;
		}
		or_all |= (uint64_t)v[i];
		and_all &= (uint64_t)v[i];
	}
	if (n <= 64) {
		qsort(v, n, sizeof(*v), cmp_i64);
		return;
	}
	int64_t *tmp = probe_alloc_array(n, sizeof(*v), "a scratch copy of the samples to sort");
	int64_t *src = v, *dst = tmp;
	for (int shift = 0; shift < 64; shift += 16) {
		if ((((or_all ^ and_all) >> shift) & 0xffff) == 0)
			continue;	/* every sample has the same digit here */
		static size_t count[1 << 16];
		memset(count, 0, sizeof(count));
		for (size_t i = 0; i < n; i++)
			count[((uint64_t)src[i] >> shift) & 0xffff]++;
		size_t sum = 0;
		for (size_t d = 0; d < (1 << 16); d++) {
			size_t c = count[d];
			count[d] = sum;
			sum += c;
		}
		for (size_t i = 0; i < n; i++)
			dst[count[((uint64_t)src[i] >> shift) & 0xffff]++] = src[i];
		int64_t *t = src;
		src = dst;
		dst = t;
	}
	if (src != v)
		memcpy(v, src, n * sizeof(*v));
	free(tmp);
}

size_t stats_min_samples(double q)
{
	if (q <= 0.5)
		return 1;	/* the median of one sample is that sample */
	if (q >= 1.0)
		return 1;	/* the 100th percentile is the max, by definition */
	/* 1 / (1 - q), less a rounding margin: 1 / (1 - 0.9) is 10.000000000000002 */
	return (size_t)ceil(1.0 / (1.0 - q) - 1e-6);
}

double stats_percentile(const int64_t *sorted, size_t n, double q)
{
	if (n == 0 || n < stats_min_samples(q))
		return NAN;
	double rank = ceil(q * (double)n);
	size_t i = rank < 1 ? 0 : (size_t)rank - 1;
	return (double)sorted[i < n ? i : n - 1];
}

void stats_compute(int64_t *samples, size_t n, struct stats *s)
{
	s->n = n;
	sort_i64(samples, n);
	s->min = n ? (double)samples[0] : NAN;
	s->max = n ? (double)samples[n - 1] : NAN;
	s->p50 = stats_percentile(samples, n, 0.50);
	s->p90 = stats_percentile(samples, n, 0.90);
	s->p99 = stats_percentile(samples, n, 0.99);
	s->p999 = stats_percentile(samples, n, 0.999);
	double sum = 0, sq = 0;
	for (size_t i = 0; i < n; i++)
		sum += (double)samples[i];
	s->mean = n ? sum / (double)n : NAN;
	for (size_t i = 0; i < n; i++)
		sq += ((double)samples[i] - s->mean) * ((double)samples[i] - s->mean);
	s->stddev = n > 1 ? sqrt(sq / (double)(n - 1)) : NAN;
	ci_median_i64(samples, n, CI_LEVEL, &s->p50_ci);
	s->n_modes = stats_modes_i64(samples, n, s->modes, STATS_MODES_MAX);
}

static json_t *num_or_null(double v)
{
	return isfinite(v) ? json_real(v) : json_null();
}

/* {"lo","hi","level","reached","method"}, or null when there are no samples. */
static json_t *ci_json(const struct median_ci *ci)
{
	if (ci->n == 0)
		return json_null();
	return json_pack("{s:o, s:o, s:f, s:b, s:s}", "lo", num_or_null(ci->lo), "hi",
			 num_or_null(ci->hi), "level", ci->level, "reached", ci->reached,
			 "method", CI_METHOD);
}

/* The modes, when there are two or more; else null (one mode is the distribution itself). */
static json_t *modes_json(const struct stats *s)
{
	if (s->n_modes < 2)
		return json_null();
	json_t *a = json_array();
	for (size_t i = 0; i < s->n_modes && i < STATS_MODES_MAX; i++) {
		const struct mode *m = &s->modes[i];
		json_array_append_new(a, json_pack("{s:o, s:o, s:o, s:f}", "center",
						   num_or_null(m->center), "lo", num_or_null(m->lo),
						   "hi", num_or_null(m->hi), "share", m->share));
	}
	return a;
}

json_t *stats_json(const struct stats *s)
{
	json_t *o = json_object();
	json_object_set_new(o, "n", json_integer((json_int_t)s->n));
	json_object_set_new(o, "min", num_or_null(s->min));
	json_object_set_new(o, "p50", num_or_null(s->p50));
	json_object_set_new(o, "p90", num_or_null(s->p90));
	json_object_set_new(o, "p99", num_or_null(s->p99));
	json_object_set_new(o, "p999", num_or_null(s->p999));
	json_object_set_new(o, "max", num_or_null(s->max));
	json_object_set_new(o, "mean", num_or_null(s->mean));
	json_object_set_new(o, "stddev", num_or_null(s->stddev));
	json_object_set_new(o, "p50_ci", ci_json(&s->p50_ci));
	json_object_set_new(o, "modes", modes_json(s));
	return o;
}
