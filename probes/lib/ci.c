/* ci.c - see ci.h. */
#include "ci.h"

#include <math.h>
#include <stdlib.h>

#define EXACT_MAX_N 2000

double ci_binom_half_cdf(size_t n, size_t k)
{
	if (k >= n)
		return 1.0;
	if (n <= EXACT_MAX_N) {
		/* Sum the terms in logs: 2^-n underflows a double past n = 1074. */
		double sum = 0, lnf = lgamma((double)n + 1), ln2n = (double)n * log(2.0);
		for (size_t j = 0; j <= k; j++)
			sum += exp(lnf - lgamma((double)j + 1) - lgamma((double)(n - j) + 1) - ln2n);
		return sum < 1.0 ? sum : 1.0;
	}
	double z = ((double)k + 0.5 - (double)n / 2) / (sqrt((double)n) / 2);
	return 0.5 * erfc(-z / sqrt(2.0));
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

double ci_sort_median(double *values, size_t n)
{
	if (n == 0)
		return NAN;
	qsort(values, n, sizeof(*values), cmp_double);
	return n % 2 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2;
}

/* The largest k (1 <= k <= n/2) whose pair (x(k), x(n+1-k)) covers the median with
 * probability >= level; 0 when even (min, max) does not. */
static size_t widest_rank(size_t n, double level)
{
	size_t lo = 0, hi = n / 2;	/* coverage falls as k grows: bisect */
	while (lo < hi) {
		size_t k = lo + (hi - lo + 1) / 2;
		double coverage = 1.0 - 2.0 * ci_binom_half_cdf(n, k - 1);
		if (coverage >= level)
			lo = k;
		else
			hi = k - 1;
	}
	return lo;
}

static void fill(size_t n, double level, struct median_ci *out)
{
	size_t k = n ? widest_rank(n, level) : 0;
	out->n = n;
	out->reached = k > 0;
	if (n == 0) {
		out->lo_rank = out->hi_rank = 0;
		out->level = 0;
		return;
	}
	if (k == 0)
		k = 1;	/* (min, max): the widest there is, with its own coverage */
	out->lo_rank = k;
	out->hi_rank = n + 1 - k;
	out->level = 1.0 - 2.0 * ci_binom_half_cdf(n, k - 1);
}

void ci_median(const double *sorted, size_t n, double level, struct median_ci *out)
{
	fill(n, level, out);
	out->lo = n ? sorted[out->lo_rank - 1] : NAN;
	out->hi = n ? sorted[out->hi_rank - 1] : NAN;
}

void ci_median_i64(const int64_t *sorted, size_t n, double level, struct median_ci *out)
{
	fill(n, level, out);
	out->lo = n ? (double)sorted[out->lo_rank - 1] : NAN;
	out->hi = n ? (double)sorted[out->hi_rank - 1] : NAN;
}

double ci_relative_half_width(const struct median_ci *ci, double m)
{
	if (ci->n == 0 || m == 0 || !isfinite(m))
		return NAN;
	return (ci->hi - ci->lo) / 2 / fabs(m);
}
