/* sec_latency.c - the latency section: round trips by message size per transport, each also
 * as a multiple of the machine's own floor (a cache line bounced between two cores), which
 * makes them comparable across machines. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/vocab.h"
#include "report/charts.h"
#include "report/doc.h"
#include "report/lookup.h"
#include "report/section.h"
#include "report/variants.h"

/* How many round trips a repetition timed (the median over repetitions): where they were
 * timed in batches, every round trip of every batch, and the batches too. */
static void round_trips_cell(json_t *sel, char *buf, size_t len)
{
	double n = report_median_of(sel, "n");
	json_int_t b = report_batch(sel);
	if (isnan(n))	/* records without a distribution */
		snprintf(buf, len, "—");
	else if (b > 1)
		snprintf(buf, len, "%.0f (%.0f batches of %lld)", n * (double)b, n, (long long)b);
	else
		snprintf(buf, len, "%.0f", n);
}

static void latency_row(struct report_ctx *ctx, json_t *sel, const char *tr, const char *v,
			int has_v, json_int_t size, double floor, FILE *f)
{
	double p50 = report_median_of(sel, NULL), p99 = report_median_of(sel, "p99");
	char c1[32], c2[32], ci[160], md[200], c3[96], c4[96], c5[64], c6[96], c7[32];
	fmt_value((double)size, "bytes", c1, sizeof(c1));
	fmt_value(p50, "ns", c2, sizeof(c2));
	report_fmt_interval(sel, "ns", ci, sizeof(ci));
	report_fmt_modes(sel, "ns", md, sizeof(md));
	report_fmt_tail(sel, "p99", "ns", c3, sizeof(c3));
	report_fmt_tail(sel, "p999", "ns", c4, sizeof(c4));
	report_fmt_batched(sel, report_median_of(sel, "min"), "ns", c5, sizeof(c5));
	round_trips_cell(sel, c6, sizeof(c6));
	fmt_ratio(c7, sizeof(c7), p50, floor);
	const char *cells[11] = { tr, v, c1, c2, ci, c3, c4, c5, c6, c7, md };
	drop_variant_column(cells, 11, has_v);
	doc_row(ctx->doc, cells);
	fprintf(f, "%lld %.1f %.1f\n", (long long)size, p50, p99);
}

/* The percentile chart's block for one line: min, p50, p90, p99, p99.9 and max. */
static void percentile_block(FILE *c, json_t *sel, const char *name)
{
	static const char *const pk[] = { "min", "p50", "p90", "p99", "p999", "max" };
	json_int_t b = report_batch(sel);
	if (b > 1)	/* its line is of batch means, and says so in the legend */
		fprintf(c, "\"%s (%lld-op means)\" x ns\n", name, (long long)b);
	else
		fprintf(c, "%s x ns\n", name);
	for (int q = 0; q < 6; q++)
		fprintf(c, "%d %.1f\n", q, report_median_of(sel, pk[q]));
	fprintf(c, "\n\n");
}

/* What the latency table and its charts are built from. */
struct lat_table {
	json_t *all;			/* every ok round trip */
	const char *vary[MAX_VARYING];	/* parameters that vary besides size */
	int nv;
	json_int_t sizes[64];
	int nsizes;
	double floor;			/* the cache-line floor's p50 */
	json_int_t cdf_size;		/* the size of the percentile chart */
	FILE *data, *cdf;		/* the two charts' data */
	int cdf_blocks;			/* blocks in cdf: none, no percentile chart */
};

/* The rows (and chart lines) of one transport: one per variant, each over the sizes. */
static void transport_rows(struct report_ctx *ctx, struct lat_table *T, const char *tr)
{
	json_t *tr_recs = report_select(T->all, "latency", "roundtrip", tr, "rtt"), *v;
	json_t *vs = variants(tr_recs, T->vary, T->nv);
	size_t j;
	json_array_foreach(vs, j, v) {
		json_t *v_recs = of_variant(tr_recs, T->vary, T->nv, json_string_value(v));
		char name[256];
		line_name(tr, json_string_value(v), name, sizeof(name));
		if (report_batch(v_recs) > 1)	/* its whisker reaches a p99 of batch means */
			fprintf(T->data, "\"%s (batch means)\" size p50 p99\n", name);
		else
			fprintf(T->data, "%s size p50 p99\n", name);
		for (int k = 0; k < T->nsizes; k++) {
			json_t *sel = with_param(v_recs, "size", T->sizes[k]);
			if (json_array_size(sel))
				latency_row(ctx, sel, tr, json_string_value(v), T->nv, T->sizes[k],
					    T->floor, T->data);
			if (json_array_size(sel) && T->sizes[k] == T->cdf_size &&
			    !isnan(report_median_of(sel, "p50"))) {
				percentile_block(T->cdf, sel, name);
				T->cdf_blocks++;
			}
			json_decref(sel);
		}
		fprintf(T->data, "\n\n");
		json_decref(v_recs);
	}
	json_decref(vs);
	json_decref(tr_recs);
}

static void latency_charts(struct report_ctx *ctx, struct lat_table *T, const char *data,
			   const char *cdf)
{
	static const struct chart lat = {
		.script = "latency", .name = "latency", .kind = CHART_LINES,
		.title = "Round-trip latency between two processes, by message size",
		.alt = "Round-trip latency by message size: p50 with a whisker to p99, one line "
		       "per transport (and value of every parameter that varies), the cache-line "
		       "floor for reference; log-log",
		.what = "round trip", .unit = "ns", .log = 1, .x_unit = "bytes",
		.xlabel = "message size" };
	report_chart(ctx, &lat, data);
	if (T->cdf_blocks) {
		char sz[32], alt[200], title[120];
		fmt_value((double)T->cdf_size, "bytes", sz, sizeof(sz));
		snprintf(alt, sizeof(alt), "The distribution of round trips at %s: min, p50, p90, "
					   "p99, p99.9 and max per transport (and varying parameter); "
					   "log scale", sz);
		snprintf(title, sizeof(title), "How the round trips of %s messages are distributed",
			 sz);
		const struct chart pc = { .script = "percentiles", .name = "latency_percentiles",
					  .kind = CHART_LINES, .title = title, .alt = alt,
					  .what = "round trip", .unit = "ns", .log = 1 };
		report_chart(ctx, &pc, cdf);
	}
}

/* The p50 over repetitions of tr's round trips of size bytes placed at placement. */
static double placed_p50(json_t *all, const char *tr, json_int_t size, const char *placement)
{
	json_t *sel = report_select(all, "latency", "roundtrip", tr, "rtt"), *out = json_array(), *r;
	size_t i;
	json_array_foreach(sel, i, r) {
		json_t *p = json_object_get(r, "params");
		if (json_integer_value(json_object_get(p, "size")) == size &&
		    str_is(p, "placement", placement))
			json_array_append(out, r);
	}
	double m = report_median(out);
	json_decref(out);
	json_decref(sel);
	return m;
}

/* On a virtual machine, where the run measured both placements: a round trip across vCPUs is
 * bound by the wake-up of a halted vCPU, and the reader is told so with both figures. */
static void vm_wakeup_note(struct report_ctx *ctx, json_t *all, const json_int_t *sizes,
			   int nsizes)
{
	json_t *pf = json_object_get(ctx->meta, "platform");
	if (!json_is_true(json_object_get(pf, "virtual_machine")) || !nsizes)
		return;
	json_int_t size = sizes[0];
	for (int k = 0; k < nsizes; k++)
		if (sizes[k] == 64)
			size = 64;
	double same = placed_p50(all, "pipe", size, "same_core");
	double cross = placed_p50(all, "pipe", size, "cross_core");
	if (isnan(same) || isnan(cross))
		return;
	char a[32], b[32], sz[32];
	const char *hv = json_string_value(json_object_get(pf, "hypervisor"));
	doc_p(ctx->doc, "This machine is a virtual machine%s%s%s. A round trip across two vCPUs "
			"waits for the other vCPU to be woken, and a halted vCPU is woken by the "
			"hypervisor: cross-CPU round trips here are bound by that wake-up more than "
			"by the transport. Pipe, %s: %s with both processes on one CPU, %s across "
			"two (%.1fx). The same_core rows show the transports' own cost.",
	      hv ? " (" : "", hv ? hv : "", hv ? ")" : "",
	      fmt_value((double)size, "bytes", sz, sizeof(sz)), fmt_value(same, "ns", a, sizeof(a)),
	      fmt_value(cross, "ns", b, sizeof(b)), cross / same);
}

void report_latency(struct report_ctx *ctx)
{
	struct lat_table T = { .all = report_select(ctx->records, "latency", "roundtrip", NULL,
						    "rtt") };
	json_t *floor_recs = report_select(ctx->records, "latency", "floor_cacheline", NULL, "rtt");
	json_t *trs = report_transports(T.all), *t;
	static const char *const keyed[] = { "size", NULL };
	size_t i;
	char fl[64], fl99[96], vh[128];
	T.floor = report_median_of(floor_recs, NULL);
	T.nsizes = param_values(T.all, "size", T.sizes, 64);
	T.nv = varying(T.all, keyed, T.vary);
	doc_p(ctx->doc, "Round trips between two processes (ping-pong), every message checked on "
			"arrival; the distribution of individual round trips, medians over "
			"repetitions%s. A round trip shorter than 50 clock reads is timed in batches "
			"(facts.batch): its p99, p99.9 and min are then percentiles of the batches' "
			"means, marked \"N-op means\", which hide a single round trip's tail, and "
			"its round trips count every one of each batch. The floor is one cache line "
			"bounced between two cores through shared memory: %s p50, p99 %s, on this "
			"machine. The p50's interval is the distribution-free interval of its median "
			"over repetitions, at the level shown: 95%% or more when the repetitions "
			"allow it (6 or more), the highest they allow when fewer; repetitions "
			"measured while other work disturbed the machine are left out and counted; "
			"modes are said when a repetition's round trips were clearly multi-modal.",
	      T.nv ? ", one row per value of every parameter that varies" : "",
	      fmt_value(T.floor, "ns", fl, sizeof(fl)),
	      report_fmt_batched(floor_recs, report_median_of(floor_recs, "p99"), "ns", fl99,
				 sizeof(fl99)));
	variant_header(T.vary, T.nv, vh, sizeof(vh));
	const char *hd[11] = { "transport", vh, "size", "p50", "p50's interval, level", "p99",
			       "p99.9", "min", "round trips", "p50 × floor", "modes" };
	doc_table(ctx->doc, drop_variant_column(hd, 11, T.nv), hd);
	char *data = NULL, *cdf = NULL;
	size_t dlen = 0, clen = 0;
	T.data = open_memstream(&data, &dlen);
	T.cdf = open_memstream(&cdf, &clen);
	/* The size for the percentile chart: 64 bytes when measured, else the smallest. */
	T.cdf_size = T.nsizes ? T.sizes[0] : 0;
	for (int k = 0; k < T.nsizes; k++)
		if (T.sizes[k] == 64)
			T.cdf_size = 64;
	json_array_foreach(trs, i, t)
		transport_rows(ctx, &T, json_string_value(t));
	doc_table_end(ctx->doc);
	vm_wakeup_note(ctx, T.all, T.sizes, T.nsizes);
	if (!isnan(T.floor))
		fprintf(T.data, "cache-line-floor size p50 p99\n1 %.1f %.1f\n1048576 %.1f %.1f\n\n\n",
			T.floor, T.floor, T.floor, T.floor);
	fclose(T.data);
	fclose(T.cdf);
	if (json_array_size(trs))
		latency_charts(ctx, &T, data, cdf);
	free(data);
	free(cdf);
	json_decref(trs);
	json_decref(T.all);
	json_decref(floor_recs);
}

/* The floor records at one chunk size: those of the smallest destination window measured
 * there (floor records from before per-chunk floors carry no chunk and match none). */
