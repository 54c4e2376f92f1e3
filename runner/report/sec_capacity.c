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

/* ---- by write size ------------------------------------------------------------------------ */

#define SIZES_MAX 16

/* Is tr a datagram transport here: does fill_nonblocking count its messages? */
static int is_datagram(json_t *records, const char *tr)
{
	json_t *m = report_select(records, "capacity", "fill_nonblocking", tr, "messages");
	int yes = json_array_size(m) > 0;
	json_decref(m);
	return yes;
}

/* The cell of tr at write size chunk: the capacity (the median over repetitions), and for a
 * stream what single bytes then got in, for datagrams how many messages it was. */
static void size_cell(json_t *records, const char *tr, json_int_t chunk, int dgram, char *buf,
		      size_t len)
{
	json_t *all = report_select(records, "capacity", "fill_nonblocking", tr,
				    dgram ? "messages" : "capacity");
	json_t *caps = report_select(records, "capacity", "fill_nonblocking", tr, "capacity");
	json_t *sel = with_param(caps, "chunk", chunk), *msel = with_param(all, "chunk", chunk);
	double v = report_median(sel);
	char c[64];
	fmt_value(v, "bytes", c, sizeof(c));
	if (isnan(v))
		snprintf(buf, len, "—");
	else if (dgram)
		snprintf(buf, len, "%s in %.0f messages", c, report_median(msel));
	else {
		double up = report_median_field(sel, "facts", "topped_up_bytes");
		json_t *r;
		size_t i;
		int short_seen = 0;	/* a stream's last write may go in short: said */
		json_array_foreach(sel, i, r)
			short_seen |= json_integer_value(json_object_get(json_object_get(
				json_object_get(r, "facts"), "short_writes"), "count")) > 0;
		snprintf(buf, len, "%s%s", c, short_seen ? " (the last write went in short)" : "");
		if (!isnan(up) && up > 0)
			snprintf(buf + strlen(buf), len - strlen(buf),
				 "; then %.0f B more as single bytes", up);
	}
	json_decref(all);
	json_decref(caps);
	json_decref(sel);
	json_decref(msel);
}

/* One table: a row per transport of the kind (datagrams or byte streams), a column per write
 * size fill_nonblocking ran at. */
static void by_size_table(struct report_ctx *ctx, json_t *recs, int dgram)
{
	json_t *trs = report_transports(recs), *t, *kind = json_array();
	size_t i;
	json_array_foreach(trs, i, t)
		if (is_datagram(ctx->records, json_string_value(t)) == dgram)
			json_array_append(kind, t);
	json_int_t sizes[SIZES_MAX];
	int n = param_values(recs, "chunk", sizes, SIZES_MAX);
	if (json_array_size(kind) > 0 && n > 0) {
		char head[SIZES_MAX + 1][48], cell[SIZES_MAX + 1][160];
		const char *hd[SIZES_MAX + 1] = { "transport" }, *cells[SIZES_MAX + 1];
		for (int k = 0; k < n; k++) {
			char sz[32];
			fmt_value((double)sizes[k], "bytes", sz, sizeof(sz));
			snprintf(head[k + 1], sizeof(head[k + 1]), "%s %s", sz,
				 dgram ? "messages" : "writes");
			hd[k + 1] = head[k + 1];
		}
		doc_table(ctx->doc, n + 1, hd);
		json_array_foreach(kind, i, t) {
			cells[0] = json_string_value(t);
			for (int k = 0; k < n; k++) {
				size_cell(ctx->records, cells[0], sizes[k], dgram, cell[k + 1],
					  sizeof(cell[k + 1]));
				cells[k + 1] = cell[k + 1];
			}
			doc_row(ctx->doc, cells);
		}
		doc_table_end(ctx->doc);
	}
	json_decref(kind);
	json_decref(trs);
}

/* What a writer of each size gets in: byte streams, then datagram transports. */
static void by_size(struct report_ctx *ctx)
{
	json_t *recs = report_select(ctx->records, "capacity", "fill_nonblocking", NULL,
				     "capacity");
	json_int_t sizes[SIZES_MAX];
	if (param_values(recs, "chunk", sizes, SIZES_MAX) > 1) {
		doc_h3(ctx->doc, "By write size");
		doc_p(ctx->doc, "Byte streams: what a writer of each size gets in before EAGAIN "
				"(its capacity), and what single bytes then still get in besides "
				"(topped_up_bytes: a pipe's writes fill only the rest of its last page, so "
				"what no whole write fitted in each earlier page stays empty; on an "
				"AF_UNIX stream each write is a buffer of its own, charged to SO_SNDBUF "
				"at its allocated size). Medians over repetitions.");
		by_size_table(ctx, recs, 0);
		doc_p(ctx->doc, "Datagram transports: each message is charged to the sending "
				"socket's SO_SNDBUF at its allocated size, bookkeeping included, so what "
				"a socket holds depends on the message size. Medians over repetitions.");
		by_size_table(ctx, recs, 1);
	}
	json_decref(recs);
}

/* ---- the section ------------------------------------------------------------------------- */

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
	doc_p(ctx->doc, "Bytes a non-blocking writer of 4 KiB writes gets in before EAGAIN with "
			"nobody reading (what single bytes still get in after that is not part of "
			"it: the records' topped_up_bytes), beside what the OS reports for what bounds "
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
	by_size(ctx);
	report_capacity_pipes(ctx);
}
