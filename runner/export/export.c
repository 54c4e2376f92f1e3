/* export.c - `ipcprobe export --format F DIR`: a run's records in the formats other tools
 * read: Google Benchmark's JSON (compare.py) and github-action-benchmark's. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/commands.h"
#include "common/util.h"
#include "common/vocab.h"
#include "param.h"
#include "store/records.h"

/* A readable, stable benchmark name: probe/case/transport/param:value... */
static char *bench_name(json_t *r)
{
	json_t *params = json_object_get(r, "params"), *v;
	const char *k, *tr = json_string_value(json_object_get(r, "transport"));
	char buf[1024];
	snprintf(buf, sizeof(buf), "%s/%s%s%s/%s", json_string_value(json_object_get(r, "probe")),
		 json_string_value(json_object_get(r, "case")), tr ? "/" : "", tr ? tr : "",
		 json_string_value(json_object_get(r, "metric")));
	json_object_foreach(params, k, v) {
		char *s = json_dumps(v, JSON_ENCODE_ANY);
		snprintf(buf + strlen(buf), sizeof(buf) - strlen(buf), "/%s:%s", k, s ? s : "");
		free(s);
	}
	return xstrdup(buf);
}

static json_t *export_gbench(json_t *recs, json_t *meta)
{
	json_t *benchmarks = json_array(), *context = NULL, *r;
	size_t i;
	json_array_foreach(recs, i, r) {
		if (strcmp(json_string_value(json_object_get(r, "status")), "ok"))
			continue;
		json_t *g = json_object_get(r, "gbench");
		if (json_is_object(g)) {	/* Google Benchmark's own entry, verbatim */
			if (!context)
				context = json_object_get(r, "gbench_context");
			json_array_append(benchmarks, g);
			continue;
		}
		const char *unit = json_string_value(json_object_get(r, "unit"));
		double v = json_number_value(json_object_get(r, "value"));
		char *name = bench_name(r);
		json_t *b = json_pack("{s:s, s:s, s:s, s:i, s:i, s:i, s:I, s:f, s:f, s:s}", "name",
				      name, "run_name", name, "run_type", "iteration",
				      "repetition_index", (int)json_integer_value(json_object_get(r, "rep")),
				      "threads", 1, "repetitions", 1, "iterations", (json_int_t)1,
				      "real_time", !strcmp(unit, "ns") ? v : 0.0, "cpu_time",
				      !strcmp(unit, "ns") ? v : 0.0, "time_unit", "ns");
		if (!strcmp(unit, "bytes_per_s"))
			json_object_set_new(b, "bytes_per_second", json_real(v));
		else if (!strcmp(unit, "ops_per_s"))
			json_object_set_new(b, "items_per_second", json_real(v));
		else if (strcmp(unit, "ns"))
			json_object_set_new(b, unit, json_real(v));	/* a counter */
		json_array_append_new(benchmarks, b);
		free(name);
	}
	json_t *cpus = json_object_get(json_object_get(meta, "platform"), "cpu_count");
	json_t *ctx = context ? json_deep_copy(context) :
				json_pack("{s:s, s:s, s:s, s:I, s:i, s:b, s:[], s:[], s:s}", "date",
					  json_string_value(json_object_get(meta, "started")) ?: "",
					  "host_name",
					  json_string_value(json_object_get(meta, "host")) ?: "",
					  "executable", "ipcprobe", "num_cpus",
					  (json_int_t)json_integer_value(cpus),
					  "mhz_per_cpu", 0, "cpu_scaling_enabled", 0, "caches",
					  "load_avg", "library_build_type", "release");
	return json_pack("{s:o, s:o}", "context", ctx, "benchmarks", benchmarks);
}

/* github-action-benchmark's customSmallerIsBetter / customBiggerIsBetter: one tool's worth. */
static json_t *export_gab(json_t *recs, int bigger)
{
	json_t *out = json_array(), *r;
	size_t i;
	json_array_foreach(recs, i, r) {
		const char *dir = json_string_value(json_object_get(r, "direction"));
		if (strcmp(json_string_value(json_object_get(r, "status")), "ok") ||
		    strcmp(dir, bigger ? "higher" : "lower"))
			continue;
		char *name = bench_name(r);
		json_t *e = json_pack("{s:s, s:s, s:O}", "name", name, "unit",
				      json_string_value(json_object_get(r, "unit")), "value",
				      json_object_get(r, "value"));
		json_t *d = json_object_get(r, "dist");
		if (json_is_number(json_object_get(d, "p99")))
			json_object_set_new(e, "extra", json_sprintf("p99 %.0f ns, n %lld, rep %lld",
					    json_number_value(json_object_get(d, "p99")),
					    (long long)json_integer_value(json_object_get(d, "n")),
					    (long long)json_integer_value(json_object_get(r, "rep"))));
		json_array_append_new(out, e);
		free(name);
	}
	return out;
}

int cmd_export(int argc, char **argv)
{
	const char *format = NULL, *dir = NULL, *direction = "smaller";
	char err[1024];
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--format") && i + 1 < argc)
			format = argv[++i];
		else if (!strcmp(argv[i], "--direction") && i + 1 < argc)
			direction = argv[++i];
		else if (argv[i][0] != '-' && !dir)
			dir = argv[i];
		else
			format = NULL, dir = NULL, i = argc;
	}
	if (!format || !dir || (strcmp(format, "gbench") && strcmp(format, "github-action-benchmark")) ||
	    (strcmp(direction, "smaller") && strcmp(direction, "bigger"))) {
		fprintf(stderr, "usage: ipcprobe export --format gbench DIR\n"
				"       ipcprobe export --format github-action-benchmark "
				"[--direction smaller|bigger] DIR\n");
		return EXIT_BAD_INPUT;
	}
	json_t *recs = records_load_run(dir, NULL, err, sizeof(err));
	if (!recs) {
		fprintf(stderr, "ipcprobe export: %s\n", err);
		return EXIT_BAD_INPUT;
	}
	json_t *meta = records_load_meta(dir, err, sizeof(err));
	if (!meta) {
		fprintf(stderr, "ipcprobe export: %s\n", err);
		json_decref(recs);
		return EXIT_BAD_INPUT;
	}
	json_t *out = !strcmp(format, "gbench") ? export_gbench(recs, meta) :
						  export_gab(recs, !strcmp(direction, "bigger"));
	json_dumpf(out, stdout, JSON_INDENT(2) | JSON_REAL_PRECISION(17));
	printf("\n");
	json_decref(out);
	json_decref(meta);
	json_decref(recs);
	return EXIT_ALL_OK;
}
