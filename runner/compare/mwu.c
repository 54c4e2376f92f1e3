/* mwu.c - see mwu.h. */
#include "compare/mwu.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define EXACT_MAX 20	/* exact distribution up to this many per sample */

/* Ways to get each U from samples of n and m without ties: count[u] for u in 0..n*m, by
 * the recurrence f(n, m, u) = f(n-1, m, u-m) + f(n, m-1, u). */
static double *u_counts(size_t n, size_t m)
{
	size_t umax = n * m;
	double *prev = calloc((n + 1) * (umax + 1), sizeof(double));
	double *cur = calloc((n + 1) * (umax + 1), sizeof(double));
	if (!prev || !cur) {
		free(prev);
		free(cur);
		return NULL;
	}
	/* prev: f(i, j-1, u) for i = 0..n; start at j = 0: f(i, 0, 0) = 1. */
	for (size_t i = 0; i <= n; i++)
		prev[i * (umax + 1)] = 1;
	for (size_t j = 1; j <= m; j++) {
		memset(cur, 0, (n + 1) * (umax + 1) * sizeof(double));
		for (size_t i = 0; i <= n; i++) {
			for (size_t u = 0; u <= i * j; u++) {
				double v = prev[i * (umax + 1) + u];	/* last item from b */
				if (i > 0 && u >= j)
					v += cur[(i - 1) * (umax + 1) + u - j];	/* from a */
				cur[i * (umax + 1) + u] = v;
			}
		}
		double *t = prev;
		prev = cur;
		cur = t;
	}
	double *out = malloc((umax + 1) * sizeof(double));
	if (out)
		memcpy(out, prev + n * (umax + 1), (umax + 1) * sizeof(double));
	free(prev);
	free(cur);
	return out;
}

static double exact_p(size_t n, size_t m, double u)
{
	double *c = u_counts(n, m);
	if (!c)
		return NAN;
	double total = 0, tail = 0, umin = fmin(u, (double)(n * m) - u);
	for (size_t k = 0; k <= n * m; k++) {
		total += c[k];
		if ((double)k <= umin + 1e-9)
			tail += c[k];
	}
	free(c);
	double p = 2 * tail / total;
	return p > 1 ? 1 : p;
}

struct item {
	double v;
	int from_a;
};

static int cmp_item(const void *x, const void *y)
{
	double a = ((const struct item *)x)->v, b = ((const struct item *)y)->v;
	return (a > b) - (a < b);
}

double mwu_p(const double *a, size_t n, const double *b, size_t m, double *u_out)
{
	size_t N = n + m;
	struct item *it = malloc(N * sizeof(*it));
	if (!it)
		return NAN;
	for (size_t i = 0; i < n; i++)
		it[i] = (struct item){ a[i], 1 };
	for (size_t j = 0; j < m; j++)
		it[n + j] = (struct item){ b[j], 0 };
	qsort(it, N, sizeof(*it), cmp_item);
	/* Mid-ranks; the tie term sum(t^3 - t) for the variance. */
	double ra = 0, ties = 0;
	for (size_t i = 0; i < N;) {
		size_t k = i;
		while (k + 1 < N && it[k + 1].v == it[i].v)
			k++;
		double rank = (double)(i + k) / 2 + 1, t = (double)(k - i + 1);
		for (size_t q = i; q <= k; q++)
			if (it[q].from_a)
				ra += rank;
		ties += t * t * t - t;
		i = k + 1;
	}
	free(it);
	double u = ra - (double)n * (double)(n + 1) / 2;
	if (u_out)
		*u_out = u;
	if (ties == 0 && n <= EXACT_MAX && m <= EXACT_MAX)
		return exact_p(n, m, u);
	double mu = (double)n * (double)m / 2;
	double var = (double)n * (double)m / 12 * ((double)N + 1 - ties / ((double)N * (double)(N - 1)));
	if (var <= 0)
		return 1;
	double z = (fabs(u - mu) - 0.5) / sqrt(var);
	if (z < 0)
		z = 0;
	double p = erfc(z / sqrt(2));
	return p > 1 ? 1 : p;
}

double mwu_min_p(size_t n, size_t m)
{
	/* Complete separation: 2 / C(n + m, n). */
	double c = 1;
	for (size_t i = 1; i <= n; i++)
		c = c * (double)(m + i) / (double)i;
	double p = 2 / c;
	return p > 1 ? 1 : p;
}
