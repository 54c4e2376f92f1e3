/* stats.h - the distribution of a set of samples: n, min, p50, p90, p99, p999, max, mean,
 * stddev; how sure the median is (p50_ci: its distribution-free 95% interval from order
 * statistics, ci.h); and its modes when it is clearly multi-modal (modes.h).  A figure the
 * samples do not define (any, for n = 0; stddev, for n = 1; a tail percentile q, for
 * n < 1 / (1 - q)) is NAN in struct stats and null in its JSON: NaN never reaches a record.
 *
 * The samples of one repetition are serially correlated (one process, one placement, one
 * stretch of the machine's weather), so p50_ci is narrower than the spread of the median
 * across process runs: the runner's interval over repetitions is the one that judges. */
#ifndef IPCPROBE_STATS_H
#define IPCPROBE_STATS_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#include "ci.h"
#include "modes.h"

#ifdef __cplusplus
extern "C" {
#endif

#define STATS_MODES_MAX 8	/* modes kept in struct stats; n_modes may say more */

struct stats {
	uint64_t n;
	double min, p50, p90, p99, p999, max, mean, stddev;
	struct median_ci p50_ci;	/* at CI_LEVEL */
	size_t n_modes;			/* stats_modes(): 0 too few to tell, 1 unimodal */
	struct mode modes[STATS_MODES_MAX];
};

/* Sort samples[0..n) in place (ascending) and describe them into s.  Percentiles are
 * nearest-rank (always a sample); stddev is the sample standard deviation (n - 1); p50_ci
 * and the modes are over the same sorted samples. */
void stats_compute(int64_t *samples, size_t n, struct stats *s);

/* The samples a tail percentile q needs: 1 / (1 - q) (10 for p90, 100 for p99, 1000 for
 * p99.9).  With fewer, the nearest rank is the max itself, not a tail: no such figure is
 * made.  The median (q <= 0.5) and q = 1 (the max) need one sample. */
size_t stats_min_samples(double q);

/* The nearest-rank percentile q (0 < q <= 1) of sorted samples; NAN when n is below
 * stats_min_samples(q) (so null in JSON: the record's n and max say what there is). */
double stats_percentile(const int64_t *sorted, size_t n, double q);

/* {"n":..,"min":..,"p50":..,"p90":..,"p99":..,"p999":..,"max":..,"mean":..,"stddev":..,
 *  "p50_ci":{"lo":..,"hi":..,"level":..,"reached":true|false,"method":CI_METHOD},
 *  "modes":[{"center":..,"lo":..,"hi":..,"share":..},...]},
 * nulls for undefined figures; p50_ci is null when n = 0 and level is its exact coverage
 * (reached false when n is too small for CI_LEVEL); modes is null unless there are two or
 * more (then the median describes none of them).  Caller owns the result. */
json_t *stats_json(const struct stats *s);

#ifdef __cplusplus
}
#endif

#endif
