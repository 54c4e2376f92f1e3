/* report_capacity.c - the capacity section: measured against reported, default and raised. */
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

/* The median of case/metric on transport, preferring records whose params.chunk is 4 KiB
 * (the default) when several chunk sizes were run. */
static double pick(json_t *records, const char *cas, const char *tr, const char *metric,
		   int reported)
{
	json_t *all = report_select(records, "capacity", cas, tr, metric), *sel = json_array(), *r;
	size_t i;
	json_array_foreach(all, i, r) {
		json_t *chunk = json_object_get(json_object_get(r, "params"), "chunk");
		if (!chunk || json_integer_value(chunk) == 4096)
			json_array_append(sel, r);
	}
	if (json_array_size(sel) == 0)
		json_array_extend(sel, all);
	double v = reported ? report_median_field(sel, "os_reported", "value") :
			      report_median(sel);
	json_decref(all);
	json_decref(sel);
	return v;
}

static void dat(char *buf, size_t len, double v)
{
	if (isnan(v))
		snprintf(buf, len, "?");
	else
		snprintf(buf, len, "%.0f", v);
}

void report_capacity(struct report_ctx *ctx)
{
	json_t *recs = report_select(ctx->records, "capacity", NULL, NULL, NULL);
	json_t *trs = report_transports(recs), *t;
	size_t i;
	char *data = NULL;
	size_t dlen = 0;
	FILE *f = open_memstream(&data, &dlen);
	fprintf(f, "# transport default_measured default_reported raised_measured "
		   "raised_reported (bytes; ? = not measured)\n");
	static const char *const hd[] = { "transport", "default: measured", "OS reports",
					  "raised: measured", "OS reports", "max F_SETPIPE_SZ",
					  "PIPE_BUF", "writer's bytes before blocking",
					  "drain time" };
	doc_p(ctx->doc, "Bytes a non-blocking writer gets in before EAGAIN with nobody reading "
			"(4 KiB writes, then single bytes), beside what the OS reports for what bounds "
			"it (F_GETPIPE_SZ; for AF_UNIX sockets the sending socket's SO_SNDBUF, which "
			"also pays for each queued buffer's bookkeeping: see the records' "
			"sndbuf_not_filled). \"Raised\" is after asking for the most an unprivileged "
			"process may have (pipe-max-size; net.core.wmem_max / rmem_max; Linux reports "
			"back twice a socket buffer's request). Medians over repetitions.");
	doc_table(ctx->doc, 9, hd);
	int bars = 0;	/* a chart needs one figure at least: pipe_buf alone draws none */
	json_array_foreach(trs, i, t) {
		const char *tr = json_string_value(t);
		double dm = pick(ctx->records, "fill_nonblocking", tr, "capacity", 0);
		double dr = pick(ctx->records, "fill_nonblocking", tr, "capacity", 1);
		double rm = pick(ctx->records, "fill_raised", tr, "capacity", 0);
		double rr = pick(ctx->records, "fill_raised", tr, "capacity", 1);
		double mg = pick(ctx->records, "max_granted", tr, "max_granted", 0);
		double pb = pick(ctx->records, "pipe_buf", tr, "pipe_buf", 0);
		double bb = pick(ctx->records, "blocking_writer", tr, "bytes_before_block", 0);
		double dt = pick(ctx->records, "blocking_writer", tr, "drain_time", 0);
		char c[9][64], a[4][32];
		fmt_value(dm, "bytes", c[1], sizeof(c[1]));
		fmt_value(dr, "bytes", c[2], sizeof(c[2]));
		if (!isnan(dm) && !isnan(dr) && dm != dr)
			snprintf(c[2] + strlen(c[2]), sizeof(c[2]) - strlen(c[2]), " (measured %.0f%%)",
				 100.0 * dm / dr);
		fmt_value(rm, "bytes", c[3], sizeof(c[3]));
		fmt_value(rr, "bytes", c[4], sizeof(c[4]));
		if (!isnan(rm) && !isnan(rr) && rm != rr)
			snprintf(c[4] + strlen(c[4]), sizeof(c[4]) - strlen(c[4]), " (measured %.0f%%)",
				 100.0 * rm / rr);
		fmt_value(mg, "bytes", c[5], sizeof(c[5]));
		fmt_value(pb, "bytes", c[6], sizeof(c[6]));
		fmt_value(bb, "bytes", c[7], sizeof(c[7]));
		fmt_value(dt, "ns", c[8], sizeof(c[8]));
		const char *cells[9] = { tr, c[1], c[2], c[3], c[4], c[5], c[6], c[7], c[8] };
		doc_row(ctx->doc, cells);
		bars += !isnan(dm) + !isnan(dr) + !isnan(rm) + !isnan(rr);
		dat(a[0], sizeof(a[0]), dm);
		dat(a[1], sizeof(a[1]), dr);
		dat(a[2], sizeof(a[2]), rm);
		dat(a[3], sizeof(a[3]), rr);
		fprintf(f, "%s %s %s %s %s\n", tr, a[0], a[1], a[2], a[3]);
	}
	doc_table_end(ctx->doc);
	fclose(f);
	static const char *const titles[] = { "default, measured", "default, OS reports",
					      "raised, measured", "raised, OS reports" };
	static const struct chart cc = {
		.script = "capacity", .name = "capacity", .kind = CHART_BARS,
		.title = "How much each transport holds before a non-blocking writer gets EAGAIN",
		.alt = "Capacity per transport: measured (solid) and OS-reported (light), at the "
		       "default size and raised to the unprivileged maximum; log scale",
		.what = "capacity", .unit = "bytes", .log = 1, .bars = 4, .bar_titles = titles };
	if (bars)
		report_chart(ctx, &cc, data);
	free(data);
	json_decref(trs);
	json_decref(recs);
}
