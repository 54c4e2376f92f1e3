/* report_limits.c - the limits section: each limit measured, beside what the OS reports and
 * what happens just past it. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/vocab.h"
#include "report/charts.h"
#include "report/claims.h"
#include "report/doc.h"
#include "report/lookup.h"
#include "report/section.h"

/* "EMSGSIZE (Message too long)", or the behaviour sentence. */
static void past(json_t *r, char *buf, size_t len)
{
	json_t *p = json_object_get(json_object_get(r, "facts"), "past_limit");
	const char *e = json_string_value(json_object_get(p, "errno"));
	if (e)
		snprintf(buf, len, "%s (%s)", e, json_string_value(json_object_get(p, "message")));
	else
		snprintf(buf, len, "%s", json_string_value(json_object_get(p, "behaviour")) ?: "");
}

/* The "OS reports" cell: what the OS reports for the quantity bounding the measured one, in
 * its unit; for pipes against a limit of descriptors, the pipes that limit allows (not the
 * descriptors themselves). */
static void reported_cell(json_t *r, const char *unit, char *buf, size_t len)
{
	json_t *f = json_object_get(r, "facts"), *os = json_object_get(r, "os_reported");
	json_t *pipes = json_object_get(f, "expected_from_limit");
	if (json_is_integer(pipes) && json_is_object(os))
		snprintf(buf, len, "%lld pipes (%.0f descriptors, %lld open, / 2)",
			 (long long)json_integer_value(pipes),
			 json_number_value(json_object_get(os, "value")),
			 (long long)json_integer_value(json_object_get(f, "fds_open_before")));
	else if (json_is_object(os))
		fmt_value(json_number_value(json_object_get(os, "value")), unit, buf, len);
	else
		snprintf(buf, len, "—");
}

void report_limits(struct report_ctx *ctx)
{
	json_t *recs = report_select(ctx->records, "limits", NULL, NULL, NULL), *r;
	size_t i;
	static const char *const hd[] = { "limit", "transport", "conditions", "measured",
					  "OS reports", "source", "past the limit" };
	doc_p(ctx->doc, "Each limit found by trying (doubling, then bisecting, within a bounded "
			"size), beside what the OS reports for it and what happens just past it.");
	doc_table(ctx->doc, 7, hd);
	char *data = NULL;
	size_t dlen = 0;
	int rows = 0;
	FILE *dat = open_memstream(&data, &dlen);
	fprintf(dat, "# label measured reported (bytes)\n\"limit\" \"measured\" \"OS reports\"\n");
	json_array_foreach(recs, i, r) {
		if (json_integer_value(json_object_get(r, "rep")) != 0)
			continue;	/* limits are facts: one repetition shows them */
		json_t *f = json_object_get(r, "facts"), *os = json_object_get(r, "os_reported");
		const char *unit = json_string_value(json_object_get(r, "unit"));
		char meas[64], rep[128], cond[128] = "", pl[256];
		const char *status = json_string_value(json_object_get(r, "status"));
		if (status && strcmp(status, "ok") != 0)
			snprintf(meas, sizeof(meas), "%s", status);
		else
			fmt_value(json_number_value(json_object_get(r, "value")), unit, meas,
				   sizeof(meas));
		reported_cell(r, unit, rep, sizeof(rep));
		if (json_is_string(json_object_get(f, "process")))
			snprintf(cond, sizeof(cond), "%s", json_string_value(json_object_get(f, "process")));
		else if (json_is_string(json_object_get(json_object_get(r, "params"), "privilege")))
			snprintf(cond, sizeof(cond), "%s", json_string_value(json_object_get(
					json_object_get(r, "params"), "privilege")));
		if (json_is_true(json_object_get(json_object_get(r, "params"), "raise")))
			snprintf(cond, sizeof(cond), "SO_SNDBUF raised to wmem_max");
		if (json_is_boolean(json_object_get(json_object_get(r, "params"), "raise")) && !cond[0])
			snprintf(cond, sizeof(cond), "default buffers");
		past(r, pl, sizeof(pl));
		if (status && strcmp(status, "ok") != 0)
			snprintf(pl, sizeof(pl), "%s", json_string_value(json_object_get(r, "reason")) ?: "");
		/* a limit no setting reports is named by what sets it, not by a neighbour */
		const char *source = json_string_value(json_object_get(os, "source"));
		if (!source && json_is_string(json_object_get(f, "limit_set_by")))
			source = "the largest single kernel allocation for one datagram";
		const char *cells[7] = { json_string_value(json_object_get(r, "metric")),
					 json_string_value(json_object_get(r, "transport")) ?: "—", cond,
					 meas, rep, source ?: "", pl };
		doc_row(ctx->doc, cells);
		if (!strcmp(unit, "bytes") && json_is_number(json_object_get(r, "value"))) {
			char label[160];
			const char *tr = json_string_value(json_object_get(r, "transport"));
			snprintf(label, sizeof(label), "\"%s%s%s%s%s\"", tr ? tr : "", tr ? " " : "",
				 json_string_value(json_object_get(r, "metric")), cond[0] ? ", " : "",
				 !strncmp(cond, "SO_SNDBUF", 9) ? "raised" : cond);
			fprintf(dat, "%s %.0f ", label, json_number_value(json_object_get(r, "value")));
			if (json_is_object(os))
				fprintf(dat, "%.0f\n", json_number_value(json_object_get(os, "value")));
			else
				fprintf(dat, "?\n");
			rows++;
		}
	}
	doc_table_end(ctx->doc);
	fclose(dat);
	static const struct chart lc = {
		.script = "limits", .name = "limits", .kind = CHART_HBARS,
		.title = "Largest message or queue, measured by trying, and what the OS reports",
		.alt = "Each size limit measured by trying (dark) against what the OS reports "
		       "(light); log scale",
		.what = "size", .unit = "bytes", .log = 1 };
	if (rows)
		report_chart(ctx, &lc, data);
	free(data);
	json_decref(recs);
}
