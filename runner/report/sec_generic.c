/* sec_generic.c - every record of a probe that has no section of its own, so that a new probe
 * family shows in the report at once. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "common/vocab.h"
#include "report/doc.h"
#include "report/lookup.h"
#include "report/section.h"

#define GENERIC_MAX_ROWS 300

/* Records of probes without a section of their own, so a new family shows at once (the first
 * GENERIC_MAX_ROWS: a report is for reading; records.jsonl has them all). */
void report_generic(struct report_ctx *ctx, const char *probe)
{
	json_t *r;
	size_t i, rows = 0;
	static const char *const hd[] = { "case", "transport", "params", "metric", "rep",
					   "status", "value", "dist p50 / p99", "reason" };
	doc_table(ctx->doc, 9, hd);
	json_array_foreach(ctx->records, i, r) {
		if (!str_is(r, "probe", probe))
			continue;
		if (rows++ >= GENERIC_MAX_ROWS)
			continue;
		char *params = json_dumps(json_object_get(r, "params"), JSON_COMPACT);
		char val[64], p50[64], p99[96], dist[200] = "";
		const char *unit = json_text(r, "unit");
		json_t *d = json_object_get(r, "dist");
		json_t *v = json_object_get(r, "value");
		fmt_value(json_is_number(v) ? json_number_value(v) : NAN, unit, val, sizeof(val));
		json_t *one = json_pack("[O]", r);
		if (json_is_object(d) && json_is_number(json_object_get(d, "p50")))
			snprintf(dist, sizeof(dist), "%s / %s",
				 fmt_value(json_number_value(json_object_get(d, "p50")), unit, p50,
					    sizeof(p50)),
				 report_fmt_tail(one, "p99", unit, p99, sizeof(p99)));
		json_decref(one);
		const char *cells[9] = { json_text(r, "case"), json_text(r, "transport"), params ? params : "",
					 json_text(r, "metric"), json_text(r, "rep"), json_text(r, "status"), val,
					 dist, json_text(r, "reason") };
		doc_row(ctx->doc, cells);
		free(params);
	}
	doc_table_end(ctx->doc);
	if (rows > GENERIC_MAX_ROWS)
		doc_p(ctx->doc, "... and %zu more records of %s, in records.jsonl.",
		      rows - GENERIC_MAX_ROWS, probe);
}

