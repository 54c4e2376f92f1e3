/* report_limits.c - the limits section: each limit measured, beside what the OS reports and
 * what happens just past it. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "report.h"

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

void report_limits(struct report_ctx *ctx)
{
	json_t *recs = report_select(ctx->records, "limits", NULL, NULL, NULL), *r;
	size_t i;
	static const char *const hd[] = { "limit", "transport", "conditions", "measured",
					  "OS reports", "source", "past the limit" };
	doc_p(ctx->doc, "Each limit found by trying (doubling, then bisecting, within a bounded "
			"size), beside what the OS reports for it and what happens just past it.");
	doc_table(ctx->doc, 7, hd);
	json_array_foreach(recs, i, r) {
		if (json_integer_value(json_object_get(r, "rep")) != 0)
			continue;	/* limits are facts: one repetition shows them */
		json_t *f = json_object_get(r, "facts"), *os = json_object_get(r, "os_reported");
		const char *unit = json_string_value(json_object_get(r, "unit"));
		char meas[64], rep[64], cond[128] = "", pl[256];
		report_fmt(json_number_value(json_object_get(r, "value")), unit, meas, sizeof(meas));
		if (json_is_object(os))
			report_fmt(json_number_value(json_object_get(os, "value")), unit, rep,
				   sizeof(rep));
		else
			snprintf(rep, sizeof(rep), "—");
		if (json_is_string(json_object_get(f, "process")))
			snprintf(cond, sizeof(cond), "%s", json_string_value(json_object_get(f, "process")));
		if (json_is_true(json_object_get(json_object_get(r, "params"), "raise")))
			snprintf(cond, sizeof(cond), "SO_SNDBUF raised to wmem_max");
		if (json_is_boolean(json_object_get(json_object_get(r, "params"), "raise")) && !cond[0])
			snprintf(cond, sizeof(cond), "default buffers");
		past(r, pl, sizeof(pl));
		const char *cells[7] = { json_string_value(json_object_get(r, "metric")),
					 json_string_value(json_object_get(r, "transport")) ?: "—", cond,
					 meas, rep,
					 json_string_value(json_object_get(os, "source")) ?: "", pl };
		doc_row(ctx->doc, cells);
	}
	doc_table_end(ctx->doc);
	json_decref(recs);
}
