/* csv.c - `ipcprobe export --format csv`: one row per record, every status, in RFC 4180 CSV
 * (CRLF line ends; a field with a comma, a quote, CR or LF quoted, its quotes doubled), for
 * spreadsheets and pandas.  It is raw data: disturbed repetitions keep their rows, flagged,
 * and every row names its run, host and kernel, so that the CSVs of several machines can be
 * concatenated and still be told apart. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/util.h"
#include "export/export.h"
#include "store/records.h"

static const char *const dist_cols[] = { "n", "min", "p50", "p90", "p99", "p999", "max",
					 "mean", "stddev" };
#define NDIST (sizeof(dist_cols) / sizeof(dist_cols[0]))

static void csv_field(FILE *out, const char *s, int last)
{
	if (s && strpbrk(s, ",\"\r\n")) {
		fputc('"', out);
		for (; *s; s++) {
			if (*s == '"')
				fputc('"', out);
			fputc(*s, out);
		}
		fputc('"', out);
	} else if (s) {
		fputs(s, out);
	}
	fputs(last ? "\r\n" : ",", out);
}

/* A number or a string as its text; null or absent as an empty field. */
static void csv_json(FILE *out, json_t *v, int last)
{
	if (!v || json_is_null(v)) {
		csv_field(out, "", last);
		return;
	}
	char *s = export_value_text(v);
	csv_field(out, s, last);
	free(s);
}

/* params as k=v;k=v in the record's (the probe's) order. */
static char *params_text(json_t *params)
{
	char *s = xstrdup(""), *t;
	const char *k;
	json_t *v;
	json_object_foreach(params, k, v) {
		char *vt = export_value_text(v);
		t = xasprintf("%s%s%s=%s", s, *s ? ";" : "", k, vt);
		free(vt), free(s), s = t;
	}
	return s;
}

/* run.json's run_id (its ipc_token: 64 random bits drawn per run), host and kernel. */
static void csv_run(FILE *out, json_t *meta)
{
	csv_json(out, json_object_get(meta, "ipc_token"), 0);
	csv_json(out, json_object_get(meta, "host"), 0);
	csv_json(out, json_object_get(json_object_get(meta, "platform"), "kernel"), 0);
}

/* "true" or "false" as the record's case run was judged (run.json cases[].machine), empty
 * where nothing judged it (a run from before the verdict, or a record of no case run). */
static const char *disturbed_text(json_t *r)
{
	json_t *d = json_object_get(json_object_get(r, "machine"), "disturbed");
	return !json_is_boolean(d) ? "" : record_disturbed(r) ? "true" : "false";
}

static void csv_row(FILE *out, json_t *r, json_t *meta)
{
	static const char *const head[] = { "probe", "case", "transport", "interpreter" };
	csv_run(out, meta);
	for (size_t i = 0; i < 4; i++)
		csv_json(out, json_object_get(r, head[i]), 0);
	char *p = params_text(json_object_get(r, "params"));
	csv_field(out, p, 0);
	free(p);
	static const char *const mid[] = { "metric", "unit", "direction", "status", "reason",
					   "value", "rep" };
	for (size_t i = 0; i < 7; i++)
		csv_json(out, json_object_get(r, mid[i]), 0);
	csv_field(out, disturbed_text(r), 0);
	json_t *d = json_object_get(r, "dist");
	for (size_t i = 0; i < NDIST; i++)
		csv_json(out, json_object_get(d, dist_cols[i]), i + 1 == NDIST);
}

int export_csv(json_t *recs, json_t *meta, FILE *out)
{
	json_t *r;
	size_t i;
	fputs("run_id,host,kernel,probe,case,transport,interpreter,params,metric,unit,direction,"
	      "status,reason,value,rep,disturbed", out);
	for (i = 0; i < NDIST; i++)
		fprintf(out, ",%s", dist_cols[i]);
	fputs("\r\n", out);
	json_array_foreach(recs, i, r)
		csv_row(out, r, meta);
	return 0;
}
