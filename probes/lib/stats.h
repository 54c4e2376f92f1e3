/* stats.h - the distribution of a set of samples: n, min, p50, p90, p99, p999, max, mean,
 * stddev.  A figure the samples do not define (any, for n = 0; stddev, for n = 1) is NAN in
 * struct stats and null in its JSON: NaN never reaches a record. */
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

/* The nearest-rank percentile q (0 < q <= 1) of sorted samples; NAN when n = 0. */
double stats_percentile(const int64_t *sorted, size_t n, double q);

/* {"n":..,"min":..,"p50":..,"p90":..,"p99":..,"p999":..,"max":..,"mean":..,"stddev":..},
 * nulls for undefined figures.  Caller owns the result. */
json_t *stats_json(const struct stats *s);

#ifdef __cplusplus
}
#endif

#endif
