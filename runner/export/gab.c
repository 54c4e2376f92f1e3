/* gab.c - github-action-benchmark's customSmallerIsBetter / customBiggerIsBetter JSON: one
 * entry per figure, its median over the repetitions it is made of (store/reps.h, as the
 * report's), so that the action (which compares each name with the previous run's first entry
 * of that name) never sees a stray repetition alone, nor a figure the report does not show.
 * One file holds one tool's worth: --direction smaller (lower is better) or bigger. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ci.h"
#include "common/util.h"
#include "export/export.h"

/* Median, min and max of the group's values. */
static void summarize(json_t *recs, double *med, double *lo, double *hi)
{
	size_t n = json_array_size(recs), i;
	double *v = malloc(n * sizeof(*v));
	json_t *r;
	if (!v)
		abort();
	json_array_foreach(recs, i, r)
		v[i] = json_number_value(json_object_get(r, "value"));
	*med = ci_sort_median(v, n);	/* sorts v */
	*lo = v[0];
	*hi = v[n - 1];
	free(v);
}

/* A figure for the range text: whole numbers from 10^4 on, 4 significant digits below. */
static const char *num_text(double v, char *buf, size_t len)
{
	snprintf(buf, len, fabs(v) >= 1e4 && fabs(v) < 1e18 ? "%.0f" : "%.4g", v);
	return buf;
}

/* "repetitions=3 samples=125 placement=cross_core cpus=[0,1] warmup=10000000 ...": how the
 * figure was measured, which the action shows beside it but never compares; with
 * "disturbed_left_out=K" or "all_disturbed=true" when disturbed repetitions were. */
static char *extra_text(const struct export_group *g)
{
	json_t *first = json_array_get(g->recs, 0);
	json_t *facts = json_object_get(first, "facts"), *params = json_object_get(first, "params");
	json_t *n = json_object_get(json_object_get(first, "dist"), "n"), *v;
	char *s = xasprintf("repetitions=%zu", json_array_size(g->recs)), *t;
	const char *k;
	if (g->left_out || g->all_disturbed) {
		t = g->left_out ? xasprintf("%s disturbed_left_out=%zu", s, g->left_out) :
				  xasprintf("%s all_disturbed=true", s);
		free(s), s = t;
	}
	if (json_is_integer(n)) {
		t = xasprintf("%s samples=%lld", s, (long long)json_integer_value(n));
		free(s), s = t;
	}
	const char *const shown[] = { "placement", "cpus" };
	for (size_t i = 0; i < 2; i++) {
		if (!(v = json_object_get(facts, shown[i])))
			continue;
		char *vt = export_value_text(v);
		t = xasprintf("%s %s=%s", s, shown[i], vt);
		free(vt), free(s), s = t;
	}
	json_object_foreach(params, k, v) {
		if (!export_is_knob(k))
			continue;
		char *vt = export_value_text(v);
		t = xasprintf("%s %s=%s", s, k, vt);
		free(vt), free(s), s = t;
	}
	return s;
}

/* The name of group i: without knobs, unless another group of the run differs from it only
 * by knobs (then both keep them, or two series would merge into one). */
static char *gab_name(struct export_group *g, size_t n, size_t i)
{
	json_t *first = json_array_get(g[i].recs, 0);
	char *name = export_name(first, 0);
	for (size_t j = 0; j < n; j++) {
		char *other = j == i ? NULL : export_name(json_array_get(g[j].recs, 0), 0);
		int clash = other && !strcmp(other, name);
		free(other);
		if (clash) {
			free(name);
			return export_name(first, 1);
		}
	}
	return name;
}

/* The entry of group i, noted in notes when disturbed repetitions were left out or were all
 * there was. */
static json_t *gab_entry(struct export_group *g, size_t n, size_t i, json_t *notes)
{
	json_t *first = json_array_get(g[i].recs, 0);
	size_t reps = json_array_size(g[i].recs);
	double med, lo, hi;
	summarize(g[i].recs, &med, &lo, &hi);
	char *name = gab_name(g, n, i), *extra = extra_text(&g[i]), dis[64] = "";
	char a[32], b[32];
	if (g[i].left_out)
		snprintf(dis, sizeof(dis), "; %zu disturbed left out", g[i].left_out);
	else if (g[i].all_disturbed)
		snprintf(dis, sizeof(dis), ", all disturbed");
	char *range = xasprintf("%s..%s (min..max of %zu repetitions%s)",
				num_text(lo, a, sizeof(a)), num_text(hi, b, sizeof(b)), reps, dis);
	json_t *e = json_pack("{s:s, s:s, s:f, s:s, s:s}", "name", name, "unit",
			      json_string_value(json_object_get(first, "unit")), "value", med,
			      "range", range, "extra", extra);
	export_note(notes, &g[i], name);
	free(name), free(extra), free(range);
	return e;
}

json_t *export_gab(json_t *recs, int bigger, FILE *say)
{
	json_t *out = json_array(), *notes = export_notes(), *r;
	size_t n, i, facts = 0, other = 0, not_ok = 0;
	struct export_group *g = export_groups(recs, &n);
	for (size_t k = 0; k < n; k++) {
		const char *dir = json_string_value(json_object_get(json_array_get(g[k].recs, 0),
								    "direction"));
		if (!strcmp(dir, bigger ? "higher" : "lower"))
			json_array_append_new(out, gab_entry(g, n, k, notes));
		else
			*(strcmp(dir, "none") ? &other : &facts) += 1;
	}
	json_array_foreach(recs, i, r)
		not_ok += !!strcmp(json_string_value(json_object_get(r, "status")), "ok");
	if (say && (facts || other || not_ok))
		fprintf(say, "ipcprobe export: left out %zu facts (capacities, limits: neither "
			     "smaller nor bigger is better), %zu %s-is-better figures (--direction "
			     "%s writes them) and %zu records not ok (failed, timeout, "
			     "unsupported)\n", facts, other, bigger ? "smaller" : "bigger",
			bigger ? "smaller" : "bigger", not_ok);
	export_say_disturbed(say, notes);
	json_decref(notes);
	export_groups_free(g, n);
	return out;
}
