/* history.c - `ipcprobe history DIR... -o OUT`: figures over runs in the order they started,
 * as a table and one chart of each figure as a multiple of its first value. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/util.h"
#include "common/vocab.h"
#include "report/charts.h"
#include "report/doc.h"
#include "report/report.h"
#include "report/runs.h"
#include "report/section.h"
#include "store/records.h"

#define HISTORY_MAX_FIGURES 12
#define HISTORY_MAX_RUNS 64	/* columns of the table */

static int by_start(const void *a, const void *b)
{
	const struct run_in *x = a, *y = b;
	return strcmp(meta_str(x->meta, "started"), meta_str(y->meta, "started"));
}

/* The keys of the newest run's timings that match, at most HISTORY_MAX_FIGURES (a new
 * array of strings). */
static json_t *newest_keys(const struct run_in *newest, const char *match)
{
	json_t *keys = json_array(), *rec, *x;
	size_t k, q;
	json_array_foreach(newest->records, k, rec) {
		const char *dir = json_str_or(rec, "direction", "none");
		char *key = record_key(rec);
		int dup = 0;
		json_array_foreach(keys, q, x)
			dup |= !strcmp(json_string_value(x), key);
		if (!dup && strcmp(dir, "none") && (!match || strstr(key, match)) &&
		    json_array_size(keys) < HISTORY_MAX_FIGURES)
			json_array_append_new(keys, json_string(key));
		free(key);
	}
	return keys;
}

/* One figure's row over the runs, and its line in the chart's data (figure number k + 1;
 * each value as a multiple of the first run that measured it, so units share one chart). */
static void history_row(struct doc *d, const struct run_in *r, int cols, const char *key,
			size_t k, FILE *dat)
{
	const char **cells = calloc((size_t)cols, sizeof(char *));
	char (*buf)[64] = calloc((size_t)cols, sizeof(*buf));
	if (!cells || !buf)
		abort();
	double first = NAN;
	fprintf(dat, "\"%zu\" run ratio\n", k + 1);
	cells[0] = key;
	for (int i = 0; i + 1 < cols; i++) {
		const char *unit;
		double m = run_median_of(&r[i], key, &unit);
		cells[i + 1] = fmt_value(m, unit, buf[i + 1], sizeof(buf[i + 1]));
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

int report_history(const char *const *dirs, int n, const char *match, const char *out,
		   char *err, size_t errlen)
{
	struct run_in *r = runs_load(dirs, n, err, errlen);
	if (!r)
		return -1;
	qsort(r, (size_t)n, sizeof(*r), by_start);
	for (int i = 0; i < n; i++)
		snprintf(r[i].label, sizeof(r[i].label), "%d: %s", i + 1, meta_str(r[i].meta, "started"));
	json_t *keys = newest_keys(&r[n - 1], match), *key;
	struct report_ctx ctx = { .dir = out, .doc = doc_new() };
	struct doc *d = ctx.doc;
	doc_p(d, "%d runs in the order they started; each figure the median over a run's "
		 "repetitions%s%s.", n, match ? "; metrics matching " : "", match ? match : "");
	const char *hd[HISTORY_MAX_RUNS + 2] = { "what" };
	int cols = n < HISTORY_MAX_RUNS ? n + 1 : HISTORY_MAX_RUNS + 1;
	for (int i = 0; i + 1 < cols; i++)
		hd[i + 1] = r[i].label;
	doc_table(d, cols, hd);
	char *data = NULL;
	size_t dlen = 0, k;
	FILE *dat = open_memstream(&data, &dlen);
	json_array_foreach(keys, k, key)
		history_row(d, r, cols, json_string_value(key), k, dat);
	doc_table_end(d);
	fclose(dat);
	doc_p(d, "Lines in the chart are numbered as the rows of this table.");
	static const struct chart hc = {
		.script = "history", .name = "history", .kind = CHART_LINES,
		.title = "Over the runs: each figure as a multiple of its first value",
		.alt = "Each figure over the runs, as a multiple of its first value",
		.what = "× first run", .xlabel = "run (in the order they started)" };
	if (json_array_size(keys) && n > 1)
		report_chart(&ctx, &hc, data);
	free(data);
	json_decref(keys);
	int rc = report_save(&ctx, "ipcprobe: history", err, errlen);
	runs_free(r, n);
	return rc;
}
