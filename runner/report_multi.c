/* report_multi.c - several runs side by side (machines, OSes, kernels, settings): who ran
 * where, the kernel limits with the differing ones marked, every figure per run with its
 * ratio to the first run, and the claims' verdicts per platform. */
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "records.h"
#include "report.h"
#include "util.h"

struct run_in {
	const char *dir;
	json_t *meta;
	json_t *records;
	char label[160];
};

static const char *jstr(json_t *o, const char *key)
{
	const char *s = json_string_value(json_object_get(o, key));
	return s ? s : "?";
}

static void runs_table(struct doc *d, struct run_in *r, int n)
{
	static const char *const hd[] = { "run", "directory", "host", "OS", "kernel", "CPU",
					  "started", "status" };
	doc_table(d, 8, hd);
	for (int i = 0; i < n; i++) {
		json_t *p = json_object_get(r[i].meta, "platform");
		const char *cells[8] = { r[i].label, r[i].dir, jstr(r[i].meta, "host"),
					 jstr(p, "os_release"), jstr(p, "kernel"), jstr(p, "cpu_model"),
					 jstr(r[i].meta, "started"), jstr(r[i].meta, "status") };
		doc_row(d, cells);
	}
	doc_table_end(d);
}

/* One row per kernel limit; "≠" marks a limit that differs between runs. */
static void limits_table(struct doc *d, struct run_in *r, int n)
{
	const char *hd[66] = { "limit", "" };
	char **cells = calloc((size_t)n + 2, sizeof(char *));
	for (int i = 0; i < n; i++)
		hd[i + 1] = r[i].label;
	hd[n + 1] = "differs";
	doc_table(d, n + 2, hd);
	const char *key;
	json_t *v;
	json_object_foreach(json_object_get(r[0].meta, "limits"), key, v) {
		int differs = 0;
		cells[0] = xstrdup(key);
		for (int i = 0; i < n; i++) {
			json_t *x = json_object_get(json_object_get(r[i].meta, "limits"), key);
			cells[i + 1] = json_is_integer(x) ?
					       xasprintf("%lld", (long long)json_integer_value(x)) :
					       xstrdup("unknown");
			differs |= i > 0 && strcmp(cells[i + 1], cells[1]) != 0;
		}
		cells[n + 1] = xstrdup(differs ? "≠ differs" : "");
		doc_row(d, (const char *const *)cells);
		for (int i = 0; i < n + 2; i++)
			free(cells[i]);
	}
	doc_table_end(d);
	free(cells);
}

/* Every record key of the first run that another run measured too: medians side by side. */
static void figures_table(struct doc *d, struct run_in *r, int n)
{
	const char *hd[66] = { "what" };
	for (int i = 0; i < n; i++)
		hd[i + 1] = r[i].label;
	hd[n + 1] = "last ÷ first";
	doc_table(d, n + 2, hd);
	json_t *seen = json_object(), *rec;
	size_t k;
	char **cells = calloc((size_t)n + 2, sizeof(char *));
	json_array_foreach(r[0].records, k, rec) {
		char *key = record_key(rec);
		if (json_object_get(seen, key) ||
		    strcmp(json_string_value(json_object_get(rec, "status")), "ok")) {
			free(key);
			continue;
		}
		json_object_set_new(seen, key, json_true());
		const char *unit = json_string_value(json_object_get(rec, "unit"));
		double first = NAN, last = NAN;
		for (int i = 0; i < n; i++) {
			json_t *same = json_array(), *x;
			size_t q;
			json_array_foreach(r[i].records, q, x) {
				char *kx = record_key(x);
				if (!strcmp(kx, key) && !strcmp(json_string_value(json_object_get(x, "status")), "ok"))
					json_array_append(same, x);
				free(kx);
			}
			double m = report_median(same);
			json_decref(same);
			char buf[64];
			cells[i + 1] = xstrdup(report_fmt(m, unit, buf, sizeof(buf)));
			if (i == 0)
				first = m;
			last = m;
		}
		cells[0] = key;
		cells[n + 1] = !isnan(first) && !isnan(last) && first != 0 ?
				       xasprintf("%.2f", last / first) : xstrdup("—");
		doc_row(d, (const char *const *)cells);
		for (int i = 0; i < n + 2; i++)
			free(cells[i]);
	}
	free(cells);
	json_decref(seen);
	doc_table_end(d);
}

static void claims_table(struct doc *d, struct run_in *r, int n)
{
	char path[PATH_MAX], err[1024], text[1024];
	snprintf(path, sizeof(path), "%s/../configs/claims.yaml", self_dir(NULL));
	const char *file = getenv("IPCPROBE_CLAIMS") ? getenv("IPCPROBE_CLAIMS") : path;
	json_t *claims = yaml_load_json(file, err, sizeof(err)), *c;
	if (!claims) {
		doc_p(d, "No claims checked: %s", err);
		return;
	}
	const char *hd[66] = { "claim" };
	for (int i = 0; i < n; i++)
		hd[i + 1] = r[i].label;
	doc_table(d, n + 1, hd);
	const char **cells = calloc((size_t)n + 1, sizeof(char *));
	size_t k;
	json_array_foreach(json_object_get(claims, "claims"), k, c) {
		cells[0] = json_string_value(json_object_get(c, "claim")) ?: "(no text)";
		for (int i = 0; i < n; i++)
			cells[i + 1] = claim_verdict_name(claim_judge(r[i].records, c, text, sizeof(text)));
		doc_row(d, cells);
	}
	free(cells);
	doc_table_end(d);
	json_decref(claims);
}

int report_multi(const char *const *dirs, int n, const char *out, char *err, size_t errlen)
{
	struct run_in *r = calloc((size_t)n, sizeof(*r));
	int rc = -1;
	if (n > 64) {
		snprintf(err, errlen, "at most 64 runs side by side");
		goto free_runs;
	}
	for (int i = 0; i < n; i++) {
		char path[PATH_MAX];
		r[i].dir = dirs[i];
		r[i].records = records_load_run(dirs[i], NULL, err, errlen);
		if (!r[i].records)
			goto free_runs;
		snprintf(path, sizeof(path), "%s/run.json", dirs[i]);
		r[i].meta = json_load_file(path, 0, NULL);
		if (!json_is_object(r[i].meta)) {
			json_decref(r[i].meta);
			r[i].meta = json_object();
		}
		json_t *p = json_object_get(r[i].meta, "platform");
		snprintf(r[i].label, sizeof(r[i].label), "%d: %s, %s %s", i + 1,
			 jstr(r[i].meta, "host"), jstr(p, "os"), jstr(p, "kernel"));
	}
	struct doc *d = doc_new();
	doc_p(d, "%d runs side by side. Figures are medians over each run's repetitions; the last "
		 "column divides the last run's figure by the first's.", n);
	doc_h2(d, "Runs");
	runs_table(d, r, n);
	doc_h2(d, "Kernel limits");
	limits_table(d, r, n);
	doc_h2(d, "Claims checked, per platform");
	claims_table(d, r, n);
	doc_h2(d, "Every figure, side by side");
	figures_table(d, r, n);
	rc = doc_save(d, out, "ipcprobe: runs side by side", err, errlen);
free_runs:
	for (int i = 0; i < n; i++) {
		json_decref(r[i].records);
		json_decref(r[i].meta);
	}
	free(r);
	return rc;
}

static int by_start(const void *a, const void *b)
{
	const struct run_in *x = a, *y = b;
	return strcmp(jstr(x->meta, "started"), jstr(y->meta, "started"));
}

int report_history(const char *const *dirs, int n, const char *match, const char *out,
		   char *err, size_t errlen)
{
	struct run_in *r = calloc((size_t)n, sizeof(*r));
	int rc = -1;
	for (int i = 0; i < n; i++) {
		char path[PATH_MAX];
		r[i].dir = dirs[i];
		r[i].records = records_load_run(dirs[i], NULL, err, errlen);
		if (!r[i].records)
			goto free_runs;
		snprintf(path, sizeof(path), "%s/run.json", dirs[i]);
		r[i].meta = json_load_file(path, 0, NULL);
		if (!json_is_object(r[i].meta)) {
			json_decref(r[i].meta);
			r[i].meta = json_object();
		}
	}
	qsort(r, (size_t)n, sizeof(*r), by_start);
	for (int i = 0; i < n; i++)
		snprintf(r[i].label, sizeof(r[i].label), "%d: %s", i + 1, jstr(r[i].meta, "started"));

	/* The timings of the newest run that match, at most 12: one line each, as a multiple of
	 * the first run's figure so that different units share one chart. */
	json_t *keys = json_array(), *rec;
	size_t k;
	json_array_foreach(r[n - 1].records, k, rec) {
		const char *dir = json_string_value(json_object_get(rec, "direction"));
		char *key = record_key(rec);
		int dup = 0;
		json_t *x;
		size_t q;
		json_array_foreach(keys, q, x)
			dup |= !strcmp(json_string_value(x), key);
		if (!dup && strcmp(dir, "none") && (!match || strstr(key, match)) &&
		    json_array_size(keys) < 12)
			json_array_append_new(keys, json_string(key));
		free(key);
	}
	struct doc *d = doc_new();
	doc_p(d, "%d runs in the order they started; each figure the median over a run's "
		 "repetitions%s%s.", n, match ? "; metrics matching " : "", match ? match : "");
	const char *hd[66] = { "what" };
	for (int i = 0; i < n && i < 64; i++)
		hd[i + 1] = r[i].label;
	int cols = n < 64 ? n + 1 : 65;
	doc_table(d, cols, hd);
	char *data = NULL;
	size_t dlen = 0;
	FILE *dat = open_memstream(&data, &dlen);
	json_t *key;
	json_array_foreach(keys, k, key) {
		const char **cells = calloc((size_t)cols, sizeof(char *));
		char (*buf)[64] = calloc((size_t)cols, sizeof(*buf));
		double first = NAN;
		fprintf(dat, "\"%zu\" run ratio\n", k + 1);
		cells[0] = json_string_value(key);
		for (int i = 0; i + 1 < cols; i++) {
			json_t *same = json_array(), *x;
			size_t q;
			const char *unit = "";
			json_array_foreach(r[i].records, q, x) {
				char *kx = record_key(x);
				if (!strcmp(kx, json_string_value(key)) &&
				    !strcmp(json_string_value(json_object_get(x, "status")), "ok")) {
					json_array_append(same, x);
					unit = json_string_value(json_object_get(x, "unit"));
				}
				free(kx);
			}
			double m = report_median(same);
			json_decref(same);
			cells[i + 1] = report_fmt(m, unit, buf[i + 1], sizeof(buf[i + 1]));
			if (isnan(first))
				first = m;
			if (!isnan(m) && !isnan(first) && first != 0)
				fprintf(dat, "%d %.4f\n", i + 1, m / first);
		}
		fprintf(dat, "\n\n");
		doc_row(d, cells);
		free(cells);
		free(buf);
	}
	doc_table_end(d);
	fclose(dat);
	doc_p(d, "Lines in the chart are numbered as the rows of this table.");
	struct report_ctx ctx = { .dir = out, .doc = d };
	if (json_array_size(keys) && n > 1 && mkdir_p(out, 0755) == 0 &&
	    report_plot(&ctx, "history", "history", data) == 0)
		doc_chart(d, out, "history", "Each figure over the runs, as a multiple of its first "
					     "value");
	free(data);
	json_decref(keys);
	rc = doc_save(d, out, "ipcprobe: history", err, errlen);
	if (rc == 0 && ctx.err[0]) {
		snprintf(err, errlen, "%s", ctx.err);
		rc = -1;
	}
free_runs:
	for (int i = 0; i < n; i++) {
		json_decref(r[i].records);
		json_decref(r[i].meta);
	}
	free(r);
	return rc;
}
