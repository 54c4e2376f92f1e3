/* overrides.c - what `ipcprobe run` takes on its command line instead of an edited config, in
 * Google Benchmark's habits (--benchmark_filter, --benchmark_repetitions): a regular
 * expression picking cases by label and a repetition count; and the figures and the case runs
 * as JSON (hyperfine's --export-json: numbers, their unit in a field of its own). */
#include <regex.h>
#include <limits.h>
#include <stdio.h>
#include <sys/stat.h>
#include <stdlib.h>
#include <string.h>

#include "export/export.h"
#include "run/run.h"
#include "common/suggest.h"

/* The labels of cfg, for "did you mean" (at most max - 1; the list stays NULL-terminated). */
static void some_labels(const struct config *cfg, const char **names, int max)
{
	int n = 0;
	names[0] = NULL;
	for (size_t i = 0; i < cfg->ncases && n < max - 1; i++)
		add_name(names, &n, max, cfg->cases[i].label);
}

/* A filter that keeps nothing: say which labels there are. */
static void say_no_match(const struct config *cfg, const char *re)
{
	const char *names[41];
	char mean[512], all[4096];
	some_labels(cfg, names, 41);
	fprintf(stderr, "ipcprobe run: --filter '%s' matches none of the %zu cases of %s%s; they "
		"are: %s%s\n", re, cfg->ncases, cfg->path, did_you_mean(re, names, mean,
		sizeof(mean)), join_names(names, all, sizeof(all)), cfg->ncases > 40 ? ", ..." : "");
}

int run_filter_cases(struct config *cfg, const char *re)
{
	regex_t rx;
	char msg[256];
	int rc = regcomp(&rx, re, REG_EXTENDED | REG_NOSUB);
	if (rc) {
		regerror(rc, &rx, msg, sizeof(msg));
		fprintf(stderr, "ipcprobe run: --filter '%s': %s\n", re, msg);
		return -1;
	}
	size_t kept = 0;
	for (size_t i = 0; i < cfg->ncases; i++)
		if (regexec(&rx, cfg->cases[i].label, 0, NULL, 0) == 0)
			kept++;
	if (kept == 0) {
		regfree(&rx);
		say_no_match(cfg, re);
		return -1;
	}
	kept = 0;
	for (size_t i = 0; i < cfg->ncases; i++) {
		if (regexec(&rx, cfg->cases[i].label, 0, NULL, 0) == 0)
			cfg->cases[kept++] = cfg->cases[i];
		else
			plan_case_free(&cfg->cases[i]);
	}
	cfg->ncases = kept;
	regfree(&rx);
	return 0;
}

/* summary.json's figures as the export gives them: name, what it is, numbers in its unit. */
static json_t *export_figures(json_t *summary)
{
	static const char *const keys[] = { "probe", "case", "transport", "params", "metric",
					    "interpreter", "unit", "direction", "median", "ci",
					    "min", "max", "n", "disturbed_left_out",
					    "all_disturbed", "not_ok" };
	json_t *out = json_array(), *f;
	size_t i;
	json_array_foreach(json_object_get(summary, "figures"), i, f) {
		char *name = export_name(f, 0);
		json_t *row = json_pack("{s:s}", "name", name);
		free(name);
		for (size_t k = 0; k < sizeof(keys) / sizeof(keys[0]); k++)
			if (json_object_get(f, keys[k]))
				json_object_set(row, keys[k], json_object_get(f, keys[k]));
		json_array_append_new(out, row);
	}
	return out;
}

int run_export_json(const struct run *R, const char *path)
{
	json_t *rows = json_array(), *e;
	size_t i;
	json_array_foreach(R->cases, i, e) {
		json_t *row = json_object();
		static const char *const keys[] = { "label", "rep", "status", "reason", "disturbed" };
		for (size_t k = 0; k < sizeof(keys) / sizeof(keys[0]); k++) {
			json_t *v = json_object_get(e, keys[k]);
			json_object_set(row, keys[k], v ? v : json_null());
		}
		json_array_append_new(rows, row);
	}
	json_t *doc = json_pack("{s:o, s:O, s:o, s:o}", "run_dir", json_string_lossy(R->store.dir),
				"status", json_object_get(R->meta, "status"), "figures",
				export_figures(R->summary), "cases", rows);
	char err[PATH_MAX + 256];
	struct stat st;
	int rc = 0;
	/* Written whole through a temporary file renamed over it: never through a link, never
	 * truncated in place, never into a FIFO that would hang a finished run. */
	if (lstat(path, &st) == 0 && !S_ISREG(st.st_mode)) {
		fprintf(stderr, "ipcprobe run: --export-json %s: is %s, not a regular file; give "
				"the path of a file (it is replaced whole)\n", path,
			S_ISLNK(st.st_mode) ? "a symbolic link" : S_ISFIFO(st.st_mode) ? "a FIFO" :
			S_ISDIR(st.st_mode) ? "a directory" : "a device or socket");
		rc = -1;
	} else if (write_json_atomic(path, doc, err, sizeof(err)) < 0) {
		fprintf(stderr, "ipcprobe run: --export-json: %s\n", err);
		rc = -1;
	}
	json_decref(doc);
	return rc;
}
