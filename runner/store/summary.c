/* summary.c - see summary.h. */
#include "store/summary.h"

#include <math.h>
#include <stdlib.h>

#include "ci.h"
#include "modes.h"
#include "common/util.h"
#include "store/records.h"
#include "store/reps.h"

/* A figure's entry, named as its first record names it. */
static json_t *new_entry(json_t *r, const char *key)
{
	static const char *const names[] = { "probe", "case", "transport", "interpreter", "params",
					     "metric", "unit", "direction" };
	json_t *e = json_pack("{s:s}", "key", key);
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		json_t *v = json_object_get(r, names[i]);
		if (v)
			json_object_set(e, names[i], v);
	}
	json_object_set_new(e, "records", json_array());	/* until choose() */
	return e;
}

/* The figure's values: its repetitions as store/reps.h chooses them, and what was not. */
static void choose(json_t *e)
{
	json_t *recs = json_object_get(e, "records"), *values = json_array(), *r;
	struct reps reps;
	size_t i;
	reps_choose(recs, &reps);
	json_array_foreach(reps.chosen, i, r)
		json_array_append(values, json_object_get(r, "value"));
	json_object_set_new(e, "disturbed_left_out", json_integer((json_int_t)reps.left_out));
	json_object_set_new(e, "all_disturbed", json_boolean(reps.all_disturbed));
	json_object_set_new(e, "not_ok", json_integer((json_int_t)(json_array_size(recs) -
							       reps.left_out -
							       json_array_size(reps.chosen))));
	json_object_set_new(e, "values", values);
	json_object_del(e, "records");
	reps_release(&reps);
}

/* The repetitions' values' modes when clearly more than one (modes.h; it needs 20 or more
 * values): the bimodal round trips of a VM show between process runs, not only within one. */
static json_t *modes_json(const double *sorted, size_t n)
{
	struct mode m[8];
	size_t k = stats_modes(sorted, n, m, 8);
	if (k < 2)
		return json_null();
	json_t *a = json_array();
	for (size_t i = 0; i < k && i < 8; i++)
		json_array_append_new(a, json_pack("{s:f, s:f, s:f, s:f}", "center", m[i].center,
						   "lo", m[i].lo, "hi", m[i].hi, "share",
						   m[i].share));
	return a;
}

/* Add the median, its interval and the spread to e from its values. */
static void describe(json_t *e)
{
	size_t n;
	double *d = json_numbers(json_object_get(e, "values"), &n), m = ci_sort_median(d, n);
	struct median_ci ci;
	ci_median(d, n, CI_LEVEL, &ci);
	json_object_set_new(e, "n", json_integer((json_int_t)n));
	if (n) {
		double w = ci_relative_half_width(&ci, m);
		json_object_set_new(e, "median", json_real(m));
		json_object_set_new(e, "ci", json_pack("{s:f, s:f, s:f, s:b}", "lo", ci.lo, "hi",
						       ci.hi, "level", ci.level, "reached",
						       ci.reached));
		json_object_set_new(e, "relative_half_width", isfinite(w) ? json_real(w) :
									     json_null());
		json_object_set_new(e, "min", json_real(d[0]));
		json_object_set_new(e, "max", json_real(d[n - 1]));
		json_object_set_new(e, "modes", modes_json(d, n));
	}
	free(d);
}

json_t *summary_of(json_t *records)
{
	json_t *by_key = json_object(), *r, *e;
	size_t i;
	const char *k;
	json_array_foreach(records, i, r) {
		char *key = record_key(r);
		json_t *entry = json_object_get(by_key, key);
		if (!entry)
			json_object_set_new(by_key, key, entry = new_entry(r, key));
		free(key);
		json_array_append(json_object_get(entry, "records"), r);
	}
	json_t *figures = json_array();
	json_object_foreach(by_key, k, e) {
		choose(e);
		describe(e);
		json_array_append(figures, e);
	}
	json_decref(by_key);
	return json_pack("{s:i, s:s, s:f, s:o}", "schema", 1, "interval_method", CI_METHOD,
			 "interval_level_asked", CI_LEVEL, "figures", figures);
}
