/* batch.c - see batch.h. */
#include "batch.h"

#include <string.h>

#include "probe.h"
#include "timing.h"

long batch_calibrate_seen(batch_fn fn, void *arg, int64_t clock_ns, long max,
			 struct batch_seen *seen)
{
	int64_t want = BATCH_CLOCK_FACTOR * (clock_ns > 0 ? clock_ns : 1), below = -1;
	long k = 1;
	if (max < 1)
		max = 1;
	for (;;) {
		int64_t best = INT64_MAX;
		for (int t = 0; t < 3; t++) {
			int64_t t0 = now_ns();
			if (fn(arg, k) != 0)
				return -1;
			int64_t dt = now_ns() - t0;
			if (dt < best)
				best = dt;
		}
		if (best >= want || k >= max) {
			if (seen)
				*seen = (struct batch_seen){ want, best, below };
			return k;
		}
		below = best;
		k = k < max / 2 ? 2 * k : max;
	}
}

long batch_calibrate(batch_fn fn, void *arg, int64_t clock_ns, long max)
{
	return batch_calibrate_seen(fn, arg, clock_ns, max, NULL);
}

void batch_seen_fact(struct rec *r, const struct batch_seen *seen)
{
	rec_fact(r, "batch_calibration",
		 json_pack("{s:I, s:I, s:o}", "want_ns", (json_int_t)seen->want_ns, "fastest_ns",
			   (json_int_t)seen->fastest_ns, "below_ns",
			   seen->below_ns < 0 ? json_null() : json_integer(seen->below_ns)));
}

void batch_scale_stats(struct stats *s, long k)
{
	double *f[] = { &s->min, &s->p50, &s->p90, &s->p99, &s->p999, &s->max, &s->mean,
			&s->stddev };
	for (size_t i = 0; i < sizeof(f) / sizeof(f[0]); i++)
		*f[i] /= (double)k;	/* NAN stays NAN */
	s->p50_ci.lo /= (double)k;	/* a bound is a batch time; its level is no time */
	s->p50_ci.hi /= (double)k;
	for (size_t i = 0; i < s->n_modes && i < STATS_MODES_MAX; i++) {
		s->modes[i].center /= (double)k;	/* a share is no time either */
		s->modes[i].lo /= (double)k;
		s->modes[i].hi /= (double)k;
	}
}

/* Divide the numbers of obj named in keys (NULL-terminated) by k. */
static void scale_keys(json_t *obj, const char *const *keys, long k)
{
	const char *key;
	json_t *v;
	json_object_foreach(obj, key, v) {
		int named = 0;
		for (size_t i = 0; keys[i]; i++)
			named |= strcmp(key, keys[i]) == 0;
		if (named && json_is_number(v))
			json_object_set_new(obj, key, json_real(json_number_value(v) / (double)k));
	}
}

void batch_scale_json(json_t *dist, long k)
{
	static const char *const bounds[] = { "lo", "hi", NULL };
	static const char *const mode_times[] = { "center", "lo", "hi", NULL };
	const char *key;
	json_t *v, *m;
	size_t i;
	json_object_foreach(dist, key, v) {
		if (strcmp(key, "n") == 0)
			continue;
		if (json_is_number(v))
			json_object_set_new(dist, key, json_real(json_number_value(v) / (double)k));
		else if (strcmp(key, "p50_ci") == 0 && json_is_object(v))
			scale_keys(v, bounds, k);
		else if (strcmp(key, "modes") == 0)
			json_array_foreach(v, i, m)
				scale_keys(m, mode_times, k);
	}
}

void batch_facts(struct rec *r, long k, int64_t clock_ns)
{
	rec_fact(r, "timer_overhead_ns", json_integer(clock_ns));
	rec_fact(r, "batch", json_integer(k));
}

void batch_interval_facts(struct rec *r, long intervals, int64_t clock_ns)
{
	rec_fact(r, "timer_overhead_ns", json_integer(clock_ns));
	rec_fact(r, "timed_intervals", json_integer(intervals));
}
