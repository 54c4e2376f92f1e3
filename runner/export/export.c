/* export.c - `ipcprobe export --format F DIR`: a run's records in the formats other tools
 * read: Google Benchmark's JSON (compare.py), github-action-benchmark's (gab.c) and CSV
 * (csv.c).  What a format cannot carry is left out and said, in one line on stderr. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/exit.h"
#include "common/options.h"
#include "common/util.h"
#include "common/vocab.h"
#include "export/export.h"
#include "param.h"
#include "store/records.h"
#include "store/reps.h"

/* Parameters that set how long or how much is measured, not what (README "Exports"). */
int export_is_knob(const char *param)
{
	static const char *const knobs[] = { "warmup", "min_time", "settle", "deadline",
					     "timeout", "iterations", "samples", "round_trips",
					     "ops", "repeats", "batches", "block_wait",
					     "exit_wait", "total", "records", "n" };
	for (size_t i = 0; i < sizeof(knobs) / sizeof(knobs[0]); i++)
		if (!strcmp(param, knobs[i]))
			return 1;
	return 0;
}

char *export_value_text(json_t *v)
{
	if (json_is_string(v))
		return xstrdup(json_string_value(v));
	char *s = json_dumps(v, JSON_ENCODE_ANY | JSON_COMPACT | JSON_REAL_PRECISION(17));
	return s ? s : xstrdup("");
}

/* A readable, stable benchmark name: probe/case/transport/metric/param:value..., parameters
 * in the order the record gives them (the probe's), then the interpreter of a script probe. */
char *export_name(json_t *r, int with_knobs)
{
	json_t *params = json_object_get(r, "params"), *v;
	const char *k, *tr = json_string_value(json_object_get(r, "transport"));
	const char *in = json_string_value(json_object_get(r, "interpreter"));
	char *name = xasprintf("%s/%s%s%s/%s", json_string_value(json_object_get(r, "probe")),
			       json_string_value(json_object_get(r, "case")), tr ? "/" : "",
			       tr ? tr : "", json_string_value(json_object_get(r, "metric")));
	json_object_foreach(params, k, v) {
		if (!with_knobs && export_is_knob(k))
			continue;
		char *s = export_value_text(v), *longer;
		longer = xasprintf("%s/%s:%s", name, k, s);
		free(s);
		free(name);
		name = longer;
	}
	if (in) {
		char *longer = xasprintf("%s/interpreter:%s", name, in);
		free(name);
		name = longer;
	}
	return name;
}

struct export_group *export_groups(json_t *recs, size_t *n)
{
	struct export_group *g = NULL;
	size_t cap = 0;
	json_t *r;
	size_t i;
	*n = 0;
	json_array_foreach(recs, i, r) {
		if (strcmp(json_string_value(json_object_get(r, "status")), "ok"))
			continue;
		char *key = record_key(r);
		size_t j = 0;
		while (j < *n && strcmp(g[j].key, key))
			j++;
		if (j == *n) {
			if (*n == cap && !(g = realloc(g, (cap = cap ? 2 * cap : 64) * sizeof(*g))))
				abort();
			g[(*n)++] = (struct export_group){ key, json_array(), 0, 0 };
		} else {
			free(key);
		}
		json_array_append(g[j].recs, r);
	}
	for (size_t j = 0; j < *n; j++) {	/* the repetitions each figure is made of */
		struct reps reps;
		reps_choose(g[j].recs, &reps);
		json_decref(g[j].recs);
		g[j].recs = reps.chosen;	/* taken over: not released */
		g[j].left_out = reps.left_out;
		g[j].all_disturbed = reps.all_disturbed;
	}
	return g;
}

void export_groups_free(struct export_group *g, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(g[i].key);
		json_decref(g[i].recs);
	}
	free(g);
}

json_t *export_notes(void)
{
	return json_pack("{s:[], s:[], s:I}", "left_out", "only_disturbed", "reps", (json_int_t)0);
}

void export_note(json_t *notes, const struct export_group *g, const char *name)
{
	json_int_t n = (json_int_t)json_array_size(g->recs), k = (json_int_t)g->left_out;
	if (g->left_out) {
		json_array_append_new(json_object_get(notes, "left_out"),
				      json_sprintf("%s (%lld of %lld)", name, (long long)k,
						   (long long)(k + n)));
		json_object_set_new(notes, "reps", json_integer(json_integer_value(
							   json_object_get(notes, "reps")) + k));
	} else if (g->all_disturbed) {
		json_array_append_new(json_object_get(notes, "only_disturbed"),
				      json_sprintf("%s (%lld)", name, (long long)n));
	}
}

/* The first few of names, "A; B; C and 4 more": a line, not a page, on a big run. */
static void say_names(FILE *say, json_t *names)
{
	size_t n = json_array_size(names), shown = n > 3 ? 3 : n;
	for (size_t i = 0; i < shown; i++)
		fprintf(say, "%s%s", i ? "; " : "", json_string_value(json_array_get(names, i)));
	if (n > shown)
		fprintf(say, " and %zu more", n - shown);
	fputc('\n', say);
}

void export_say_disturbed(FILE *say, json_t *notes)
{
	json_t *left = json_object_get(notes, "left_out");
	json_t *only = json_object_get(notes, "only_disturbed");
	size_t nl = json_array_size(left), no = json_array_size(only);
	if (!say)
		return;
	if (nl) {
		long long k = json_integer_value(json_object_get(notes, "reps"));
		fprintf(say, "ipcprobe export: left out %lld disturbed repetition%s of %zu "
			     "figure%s (other work used the machine during their case runs: "
			     "run.json cases[].machine; the report, summary.json and compare leave "
			     "them out too): ", k, k == 1 ? "" : "s", nl, nl == 1 ? "" : "s");
		say_names(say, left);
	}
	if (no) {
		fprintf(say, "ipcprobe export: %zu figure%s had no undisturbed repetition, so %s "
			     "written from the disturbed ones, marked (measured under load): ", no,
			no == 1 ? "" : "s", no == 1 ? "it is" : "they are");
		say_names(say, only);
	}
}

/* Google Benchmark's entry for repetition `index` of the repetitions of group g: the
 * probe's own, verbatim but for a name that is ours (unique: every parameter and the
 * interpreter), or one made from the record. */
static json_t *gbench_entry(const struct export_group *g, size_t index, size_t family)
{
	json_t *r = json_array_get(g->recs, index);
	char *name = export_name(r, 1);
	json_t *own = json_object_get(r, "gbench"), *b;
	if (json_is_object(own)) {
		b = json_deep_copy(own);
		json_object_set(b, "ipcprobe_gbench_name", json_object_get(own, "name"));
	} else {
		double v = json_number_value(json_object_get(r, "value"));
		json_int_t n = json_integer_value(json_object_get(json_object_get(r, "dist"), "n"));
		/* ipcprobe measured wall time only: cpu_time repeats it (the format needs one). */
		b = json_pack("{s:s, s:I, s:f, s:f, s:s}", "run_type", "iteration", "iterations",
			      n > 0 ? n : (json_int_t)1, "real_time", v, "cpu_time", v,
			      "time_unit", "ns");
	}
	json_object_set_new(b, "name", json_string(name));
	json_object_set_new(b, "run_name", json_string(name));
	/* Google Benchmark numbers the repetitions it reports 0..repetitions-1; the record's
	 * own rep stays beside it, for finding the record. */
	json_object_set_new(b, "repetitions", json_integer((json_int_t)json_array_size(g->recs)));
	json_object_set_new(b, "repetition_index", json_integer((json_int_t)index));
	json_object_set(b, "ipcprobe_rep", json_object_get(r, "rep"));
	if (g->all_disturbed)
		json_object_set_new(b, "ipcprobe_disturbed", json_true());
	json_object_set_new(b, "threads", json_integer(1));
	/* Each name its own family: compare.py sorts by these before pairing by name. */
	json_object_set_new(b, "family_index", json_integer((json_int_t)family));
	json_object_set_new(b, "per_family_instance_index", json_integer(0));
	free(name);
	return b;
}

static json_t *gbench_context(json_t *recs, json_t *meta)
{
	json_t *r;
	size_t i;
	json_array_foreach(recs, i, r)
		if (json_is_object(json_object_get(r, "gbench_context")))
			return json_deep_copy(json_object_get(r, "gbench_context"));
	json_t *cpus = json_object_get(json_object_get(meta, "platform"), "cpu_count");
	return json_pack("{s:s, s:s, s:s, s:I, s:i, s:b, s:[], s:[], s:s}", "date",
			 json_string_value(json_object_get(meta, "started")) ?: "", "host_name",
			 json_string_value(json_object_get(meta, "host")) ?: "", "executable",
			 "ipcprobe", "num_cpus", (json_int_t)json_integer_value(cpus),
			 "mhz_per_cpu", 0, "cpu_scaling_enabled", 0, "caches", "load_avg",
			 "library_build_type", "release");
}

/* compare.py compares real_time and cpu_time only: a timing is exported (Google Benchmark's
 * own entry where the probe has one, whose time falls when a rate rises), one entry per
 * repetition it is made of; a fact or a rate with no time behind it would read +0.0000
 * whatever changed, so it is left out (said). */
json_t *export_gbench(json_t *recs, json_t *meta, FILE *say)
{
	json_t *benchmarks = json_array(), *notes = export_notes();
	size_t n, facts = 0, rates = 0;
	struct export_group *g = export_groups(recs, &n);
	for (size_t i = 0; i < n; i++) {
		json_t *first = json_array_get(g[i].recs, 0);
		const char *unit = json_string_value(json_object_get(first, "unit"));
		if (!json_is_object(json_object_get(first, "gbench")) && strcmp(unit, "ns")) {
			*(strcmp(json_string_value(json_object_get(first, "direction")), "none") ?
				  &rates : &facts) += 1;
			continue;
		}
		for (size_t j = 0; j < json_array_size(g[i].recs); j++)
			json_array_append_new(benchmarks, gbench_entry(&g[i], j, i));
		char *name = export_name(first, 1);
		export_note(notes, &g[i], name);
		free(name);
	}
	if (say && (facts || rates))
		fprintf(say, "ipcprobe export: left out %zu facts (capacities, limits) and %zu "
			     "rates without a timing (ops/s, bytes/s not timed by Google "
			     "Benchmark): compare.py compares times only, so a change in them "
			     "would read +0.0000; `ipcprobe compare` judges them\n", facts, rates);
	export_say_disturbed(say, notes);
	json_decref(notes);
	export_groups_free(g, n);
	return json_pack("{s:o, s:o}", "context", gbench_context(recs, meta), "benchmarks",
			 benchmarks);
}

/* Write the chosen format of recs to stdout; what it left out, on stderr. */
static void export_write(const char *format, const char *direction, json_t *recs, json_t *meta)
{
	if (!strcmp(format, "csv")) {
		export_csv(recs, meta, stdout);	/* every row: nothing left out */
		return;
	}
	json_t *out = !strcmp(format, "gbench") ?
			      export_gbench(recs, meta, stderr) :
			      export_gab(recs, !strcmp(direction, "bigger"), stderr);
	json_dumpf(out, stdout, JSON_INDENT(2) | JSON_REAL_PRECISION(17));
	printf("\n");
	json_decref(out);
}

int cmd_export(int argc, char **argv)
{
	const char *format = NULL, *dir = NULL, *direction = "smaller", *v;
	char err[1024];
	struct opt_iter it;
	int c;
	opt_begin(&it, argc, argv);
	while ((c = opt_next(&it, &v)) != OPT_END) {	/* args.c checks the choices */
		if (c == OPT_STOP)
			return it.status;
		if (c == OPT_FORMAT)
			format = v;
		else if (c == OPT_DIRECTION)
			direction = v;
		else if (c == OPT_ARG && !dir)
			dir = v;
		else if (c == OPT_ARG)
			return opt_bad_usage("export", "unexpected argument %s (one run DIR is "
					     "exported)", v);
	}
	if (!format)
		return opt_bad_usage("export", "no --format given");
	if (!dir)
		return opt_bad_usage("export", "no run DIR given");
	json_t *recs = records_load_run(dir, NULL, err, sizeof(err)), *meta = NULL;
	if (recs)
		meta = records_load_meta(dir, err, sizeof(err));
	if (!recs || !meta) {
		fprintf(stderr, "ipcprobe export: %s\n", err);
		json_decref(recs);
		return EXIT_BAD_INPUT;
	}
	export_write(format, direction, recs, meta);
	json_decref(meta);
	json_decref(recs);
	return EXIT_ALL_OK;
}
