/* stats.h - the distribution of a set of samples: n, min, p50, p90, p99, p999, max, mean,
 * stddev.  A figure the samples do not define (any, for n = 0; stddev, for n = 1; a tail
 * percentile q, for n < 1 / (1 - q)) is NAN in struct stats and null in its JSON: NaN never
 * reaches a record. */
#ifndef IPCPROBE_STATS_H
#define IPCPROBE_STATS_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

struct stats {
	uint64_t n;
	double min, p50, p90, p99, p999, max, mean, stddev;
};

/* Sort samples[0..n) in place (ascending) and describe them into s.  Percentiles are
 * nearest-rank (always a sample); stddev is the sample standard deviation (n - 1). */
void stats_compute(int64_t *samples, size_t n, struct stats *s);

/* The samples a tail percentile q needs: 1 / (1 - q) (10 for p90, 100 for p99, 1000 for
 * p99.9).  With fewer, the nearest rank is the max itself, not a tail: no such figure is
 * made.  The median (q <= 0.5) and q = 1 (the max) need one sample. */
size_t stats_min_samples(double q);

/* The nearest-rank percentile q (0 < q <= 1) of sorted samples; NAN when n is below
 * stats_min_samples(q) (so null in JSON: the record's n and max say what there is). */
double stats_percentile(const int64_t *sorted, size_t n, double q);

/* {"n":..,"min":..,"p50":..,"p90":..,"p99":..,"p999":..,"max":..,"mean":..,"stddev":..},
 * nulls for undefined figures.  Caller owns the result. */
json_t *stats_json(const struct stats *s);

#ifdef __cplusplus
}
#endif

#endif
