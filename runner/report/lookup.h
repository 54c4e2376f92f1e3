/* lookup.h - look-ups in the records that report sections share. */
#ifndef IPCPROBE_LOOKUP_H
#define IPCPROBE_LOOKUP_H

#include <jansson.h>
#include <stddef.h>

/* Is o's string field key equal to want (want NULL: always)? */
int str_is(json_t *o, const char *key, const char *want);
/* Records of probe/case/metric (transport NULL: any) with status ok, as a new array. */
json_t *report_select(json_t *records, const char *probe, const char *cas,
		      const char *transport, const char *metric);
/* The values of recs that report_median (and every figure over repetitions: the interval
 * cells, the claims) takes: those of the repetitions store/reps.h makes the figure of (the
 * disturbed ones of a timing left out when any other is there, else all of them), as
 * summary.json, compare and the exports take.  out has room for json_array_size(recs);
 * returns how many it got, in recs' order.  *calm and *disturbed (each may be NULL) get how
 * many repetitions count as undisturbed and how many were disturbed (left out, or all there
 * is): with calm 0, the values returned are disturbed ones. */
size_t report_median_values(json_t *recs, double *out, size_t *calm, size_t *disturbed);
/* The median of the values of recs (NAN if none), those report_median_values takes. */
double report_median(json_t *recs);
/* The cell for tail percentile dist.<key> over recs (the median over repetitions); where
 * the distributions hold too few samples for it (null, n > 0), "n too small (n N): = max M"
 * rather than a tail nobody measured. */
const char *report_fmt_tail(json_t *recs, const char *key, const char *unit, char *buf,
			    size_t len);
/* The operations per timed sample of recs: the largest facts.batch, 1 when none was timed in
 * batches.  Where it is above 1, a record's dist (its percentiles, min, max, modes) is over
 * means of that many operations, not over single ones, and its n counts batches. */
json_int_t report_batch(json_t *recs);
/* v in unit, and " (N-op means)" when recs were timed in batches of N: a percentile of batch
 * means is never shown as one of single operations. */
const char *report_fmt_batched(json_t *recs, double v, const char *unit, char *buf,
			       size_t len);
/* The distinct values of the string field key in recs, in the order first seen (a new array
 * of strings). */
json_t *distinct_strings(json_t *recs, const char *key);
/* Ordered transport names appearing in recs (a new array of strings). */
json_t *report_transports(json_t *recs);

/* Each record of recs as {"value": its dist.<key> (its value when key is NULL), and the
 * status, direction, unit and machine store/reps.h chooses by}, those without that number
 * left out (a new array): what report_median and report_fmt_interval read, for a statistic
 * other than the value. */
json_t *report_values_of(json_t *recs, const char *key);
/* The median over repetitions of the numbers at obj.key (obj NULL: the record's own key),
 * e.g. ("facts", "timer_overhead_ns"), chosen as report_median chooses. */
double report_median_field(json_t *recs, const char *obj, const char *key);
/* The median over repetitions of dist.<key> (or of value when key is NULL; NAN if none). */
double report_median_of(json_t *recs, const char *key);

/* How sure the median over repetitions of recs' values is, for a table cell: "[lo – hi] L%" (its
 * distribution-free interval at level L, ci.h: 95% or more when the repetitions allow it,
 * the highest they allow below that, e.g. 75.0% for 3), "—" with one repetition; and " disturbed k/n" when k of the
 * repetitions were measured while the machine was disturbed (left out where others are
 * there, as compare and summary.json do; where none is, "—": no interval for a figure
 * measured under load). */
const char *report_fmt_interval(json_t *recs, const char *unit, char *buf, size_t len);
/* The median over repetitions of recs' values (those report_median_values takes; NAN if
 * none) and, in *ci, the interval that cell shows: over the undisturbed repetitions, none
 * (n 0) when every one was disturbed.  *calm and *disturbed (each may be NULL) as
 * report_median_values gives them. */
struct median_ci;
double report_median_ci(json_t *recs, struct median_ci *ci, size_t *calm, size_t *disturbed);

/* Whether the repetitions' distributions (those store/reps.h chooses) were clearly
 * multi-modal (dist.modes): "" when none was, else "k/n reps: c1 (s1%), c2 (s2%)" with the
 * modes of the first that was, so that a median describing neither mode is said to be one. */
const char *report_fmt_modes(json_t *recs, const char *unit, char *buf, size_t len);
/* The records of recs whose params.<param> equals v (a new array). */
json_t *with_param(json_t *recs, const char *param, json_int_t v);
/* The distinct values of params.<param> in recs, sorted; returns the count (at most max). */
int param_values(json_t *recs, const char *param, json_int_t *out, int max);

#endif
