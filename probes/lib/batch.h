/* batch.h - timing operations that are too short to time one by one.  A clock read costs
 * timer_overhead_ns() (tens of ns here); an operation cheaper than BATCH_CLOCK_FACTOR clock
 * reads is timed in batches of k operations between two clock reads, so that the clock is at
 * most 1/BATCH_CLOCK_FACTOR of every timed span.  A batch's figure is its time over k (the
 * mean operation of that batch); records carry the batch size and the clock's cost
 * (batch_facts), so a reader sees what share of a figure the clock could be.  Nothing is
 * subtracted: the clock's cost stays inside the span, made small, never "corrected". */
#ifndef IPCPROBE_BATCH_H
#define IPCPROBE_BATCH_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#include "stats.h"

#ifdef __cplusplus
extern "C" {
#endif

#define BATCH_CLOCK_FACTOR 50

struct rec;

/* Runs k operations (untimed by the callee); arg is the caller's. */
typedef int (*batch_fn)(void *arg, long k);

/* The smallest power of two k (or max, 1 <= k <= max) for which fn(arg, k) takes at least
 * BATCH_CLOCK_FACTOR * clock_ns, judged by the fastest of 3 tries (a quiet machine's view,
 * so the batch is long enough also when nothing interferes).  fn runs for real: use an
 * operation that changes nothing the measurement checks.  -1 when fn fails (returns != 0). */
long batch_calibrate(batch_fn fn, void *arg, int64_t clock_ns, long max);

/* What the calibration saw, so that a record can show its batch follows the rule: want_ns =
 * BATCH_CLOCK_FACTOR * clock_ns; fastest_ns, the fastest of the 3 tries of the batch chosen
 * (>= want_ns unless the batch is max); below_ns, the fastest try of the batch before it
 * (< want_ns), -1 when the batch is 1. */
struct batch_seen {
	int64_t want_ns, fastest_ns, below_ns;
};
long batch_calibrate_seen(batch_fn fn, void *arg, int64_t clock_ns, long max,
			  struct batch_seen *seen);
/* facts.batch_calibration: {want_ns, fastest_ns, below_ns (null for a batch of 1)}. */
void batch_seen_fact(struct rec *r, const struct batch_seen *seen);

/* Scale a distribution of batch times (ns per batch of k operations) to ns per operation:
 * every time is divided by k (the percentiles, mean, stddev, p50_ci's bounds, the modes'
 * center, lo and hi); counts and fractions are not (n, p50_ci's level, a mode's share). */
void batch_scale_stats(struct stats *s, long k);

/* The same on a stats_json() object: every top-level number but "n", "p50_ci" lo and hi,
 * and each mode's center, lo and hi divided by k (null stays null). */
void batch_scale_json(json_t *dist, long k);

/* facts.timer_overhead_ns and facts.batch (operations per timed span) on r. */
void batch_facts(struct rec *r, long k, int64_t clock_ns);

/* facts.timer_overhead_ns and facts.timed_intervals on a timing with no distribution: its one
 * figure comes from `intervals` timed spans summed (1: a single span per repetition, such as
 * a stream's first send to its last byte), so its interval can come only from the
 * repetitions. */
void batch_interval_facts(struct rec *r, long intervals, int64_t clock_ns);

#ifdef __cplusplus
}
#endif

#endif
