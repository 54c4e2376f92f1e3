/* lookup.c - look-ups in the records that report sections share (lookup.h). */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "common/vocab.h"
#include "report/lookup.h"

#include "ci.h"
#include "store/reps.h"

int str_is(json_t *o, const char *key, const char *want)
{
	const char *s = json_string_value(json_object_get(o, key));
	return want == NULL || (s && strcmp(s, want) == 0);
}

json_t *report_select(json_t *records, const char *probe, const char *cas,
		      const char *transport, const char *metric)
{
	json_t *out = json_array(), *r;
	size_t i;
	json_array_foreach(records, i, r) {
		if (str_is(r, "probe", probe) && str_is(r, "case", cas) &&
		    str_is(r, "transport", transport) && str_is(r, "metric", metric) &&
		    str_is(r, "status", "ok"))
			json_array_append(out, r);
	}
	return out;
}

size_t report_median_values(json_t *recs, double *out, size_t *calm, size_t *disturbed)
{
	struct reps reps;
	json_t *r;
	size_t i, k = 0;
	/* The repetitions are store/reps.h's, as summary.json's, compare's and the exports'. */
	reps_choose(recs, &reps);
	size_t n = json_array_size(reps.chosen);
	json_array_foreach(reps.chosen, i, r)
		out[k++] = json_number_value(json_object_get(r, "value"));
	if (calm)
		*calm = reps.all_disturbed ? 0 : n;
	if (disturbed)
		*disturbed = reps.all_disturbed ? n : reps.left_out;
	reps_release(&reps);
	return k;
}

double report_median(json_t *recs)
{
	size_t n = json_array_size(recs);
	if (n == 0)
		return NAN;
	double *v = malloc(n * sizeof(*v));
	double m = ci_sort_median(v, report_median_values(recs, v, NULL, NULL));
	free(v);
	return m;
}

json_int_t report_batch(json_t *recs)
{
	json_int_t most = 1;
	json_t *r;
	size_t i;
	json_array_foreach(recs, i, r) {
		json_int_t k = json_integer_value(json_object_get(json_object_get(r, "facts"),
								  "batch"));
		most = k > most ? k : most;
	}
	return most;
}

const char *report_fmt_batched(json_t *recs, double v, const char *unit, char *buf,
			       size_t len)
{
	char x[48];
	json_int_t b = report_batch(recs);
	fmt_value(v, unit, x, sizeof(x));
	if (b > 1 && !isnan(v))
		snprintf(buf, len, "%s (%lld-op means)", x, (long long)b);
	else
		snprintf(buf, len, "%s", x);
	return buf;
}

const char *report_fmt_tail(json_t *recs, const char *key, const char *unit, char *buf,
			    size_t len)
{
	double v = report_median_of(recs, key), n = report_median_of(recs, "n");
	if (!isnan(v) || isnan(n) || n < 1)
		return report_fmt_batched(recs, v, unit, buf, len);
	char mx[48];
	snprintf(buf, len, "n too small (n %.0f): = max %s", n,
		 fmt_value(report_median_of(recs, "max"), unit, mx, sizeof(mx)));
	return buf;
}

json_t *distinct_strings(json_t *recs, const char *key)
{
	json_t *out = json_array(), *r, *t;
	size_t i, k;
	json_array_foreach(recs, i, r) {
		const char *v = json_string_value(json_object_get(r, key));
		int seen = 0;
		if (!v)
			continue;
		json_array_foreach(out, k, t)
			seen |= !strcmp(json_string_value(t), v);
		if (!seen)
			json_array_append_new(out, json_string(v));
	}
	return out;
}

json_t *report_transports(json_t *recs)
{
	return distinct_strings(recs, "transport");
}

/* recs as records whose value is the number at obj.key (obj NULL: the record's own key),
 * with what store/reps.h chooses by (status, direction, unit, machine), so that a statistic
 * other than the value is chosen by the same rule (among the repetitions that have it). */
static json_t *values_at(json_t *recs, const char *obj, const char *key)
{
	json_t *vals = json_array(), *r;
	size_t i;
	json_array_foreach(recs, i, r) {
		json_t *v = json_object_get(obj ? json_object_get(r, obj) : r, key);
		if (!json_is_number(v))
			continue;
		json_t *x = json_pack("{s:O}", "value", v);
		static const char *const by[] = { "status", "direction", "unit", "machine" };
		for (size_t k = 0; k < sizeof(by) / sizeof(by[0]); k++)
			if (json_object_get(r, by[k]))
				json_object_set(x, by[k], json_object_get(r, by[k]));
		json_array_append_new(vals, x);
	}
	return vals;
}

json_t *report_values_of(json_t *recs, const char *key)
{
	return key ? values_at(recs, "dist", key) : values_at(recs, NULL, "value");
}

double report_median_field(json_t *recs, const char *obj, const char *key)
{
	json_t *vals = values_at(recs, obj, key);
	double m = report_median(vals);
	json_decref(vals);
	return m;
}

double report_median_of(json_t *recs, const char *key)
{
	return key ? report_median_field(recs, "dist", key) : report_median(recs);
}

/* The records of recs whose params.<param> equals v. */
json_t *with_param(json_t *recs, const char *param, json_int_t v)
{
	json_t *out = json_array(), *r;
	size_t i;
	json_array_foreach(recs, i, r)
		if (json_integer_value(json_object_get(json_object_get(r, "params"), param)) == v)
			json_array_append(out, r);
	return out;
}

static int cmp_int(const void *a, const void *b)
{
	json_int_t x = *(const json_int_t *)a, y = *(const json_int_t *)b;
	return (x > y) - (x < y);
}

/* The distinct values of params.<param> in recs, sorted; returns the count (at most max). */
int param_values(json_t *recs, const char *param, json_int_t *out, int max)
{
	json_t *r;
	size_t i;
	int n = 0;
	json_array_foreach(recs, i, r) {
		json_int_t v = json_integer_value(json_object_get(json_object_get(r, "params"), param));
		int seen = 0;
		for (int k = 0; k < n; k++)
			seen |= out[k] == v;
		if (!seen && n < max)
			out[n++] = v;
	}
	qsort(out, (size_t)n, sizeof(*out), cmp_int);
	return n;
}

double report_median_ci(json_t *recs, struct median_ci *ci, size_t *calm, size_t *disturbed)
{
	size_t c, k;
	double *v = malloc((json_array_size(recs) + 1) * sizeof(*v));
	size_t got = report_median_values(recs, v, &c, &k);
	double m = got ? ci_sort_median(v, got) : NAN;
	/* The interval is over undisturbed repetitions only: with every one disturbed, none
	 * (the figure is of them all, store/reps.h, and marked; compare does not judge it). */
	ci_median(v, c ? got : 0, CI_LEVEL, ci);
	free(v);
	if (calm)
		*calm = c;
	if (disturbed)
		*disturbed = k;
	return m;
}

const char *report_fmt_interval(json_t *recs, const char *unit, char *buf, size_t len)
{
	size_t calm, k;
	struct median_ci ci;
	report_median_ci(recs, &ci, &calm, &k);
	size_t n = ci.n;
	char lo[48], hi[48], lvl[24] = "", dist[48] = "";
	if (n > 1)	/* always said: 3 repetitions reach 75%, 6 the 95% aimed at */
		snprintf(lvl, sizeof(lvl), " %.1f%%", 100 * ci.level);
	if (k)
		snprintf(dist, sizeof(dist), " disturbed %zu/%zu", k, k + n);
	if (n > 1)
		snprintf(buf, len, "[%s – %s]%s%s", fmt_value(ci.lo, unit, lo, sizeof(lo)),
			 fmt_value(ci.hi, unit, hi, sizeof(hi)), lvl, dist);
	else
		snprintf(buf, len, "—%s", dist);
	return buf;
}

const char *report_fmt_modes(json_t *recs, const char *unit, char *buf, size_t len)
{
	size_t k = 0, i, j;
	json_t *r, *m, *first = NULL;
	struct reps reps;
	reps_choose(recs, &reps);	/* the repetitions the median beside it is of */
	json_array_foreach(reps.chosen, i, r) {
		json_t *modes = json_object_get(json_object_get(r, "dist"), "modes");
		if (json_array_size(modes) >= 2 && !k++)
			first = modes;
	}
	buf[0] = '\0';
	size_t at = k ? (size_t)snprintf(buf, len, "%zu/%zu reps:", k,
					 json_array_size(reps.chosen)) : len;	/* len: none */
	json_array_foreach(first, j, m) {
		char c[48];
		if (at >= len)
			break;
		at += (size_t)snprintf(buf + at, len - at, "%s %s (%.0f%%)", j ? "," : "",
				       fmt_value(json_number_value(json_object_get(m, "center")), unit,
						 c, sizeof(c)),
				       100 * json_number_value(json_object_get(m, "share")));
	}
	reps_release(&reps);
	return buf;
}
