/* ci.h - how sure a median is: its distribution-free confidence interval from order
 * statistics.  For n independent values from any continuous distribution, the number B of
 * values below the true median is Binomial(n, 1/2), so the k-th smallest and the k-th largest
 * value bracket the median with probability exactly 1 - 2 P(B <= k - 1).  The interval is the
 * narrowest such pair whose coverage reaches the level asked for; a sample too small to reach
 * it (n < 6 for 95%) gets (min, max) and its true, lower coverage, never a pretended 95%.
 * The probes use it on one repetition's samples, the runner on the repetitions' medians. */
#ifndef IPCPROBE_CI_H
#define IPCPROBE_CI_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define CI_LEVEL 0.95
#define CI_METHOD "order statistics (binomial, distribution-free)"

struct median_ci {
	size_t n;
	size_t lo_rank, hi_rank;	/* 1-based ranks of the bounds in the sorted values */
	double lo, hi;			/* the interval; NAN when n = 0 */
	double level;			/* its exact coverage (>= the level asked, unless !reached) */
	int reached;			/* 1 when the coverage reaches the level asked */
};

/* P(B <= k) for B ~ Binomial(n, 1/2): exact for n <= 2000, the normal approximation with a
 * continuity correction above (its error there is below 1e-4). */
double ci_binom_half_cdf(size_t n, size_t k);

/* Sort values[0..n) ascending in place and return their median (the mean of the two middle
 * values when n is even); NAN when n = 0.  The interval below then reads the same array. */
double ci_sort_median(double *values, size_t n);

/* The interval for the median of sorted[0..n) (ascending) at level (0 < level < 1). */
void ci_median(const double *sorted, size_t n, double level, struct median_ci *out);

/* The same for int64 samples (a probe's nanoseconds), sorted ascending. */
void ci_median_i64(const int64_t *sorted, size_t n, double level, struct median_ci *out);

/* The interval's half-width relative to the median m: (hi - lo) / 2 / |m|; NAN when
 * undefined (n = 0 or m = 0). */
double ci_relative_half_width(const struct median_ci *ci, double m);

#ifdef __cplusplus
}
#endif

#endif
