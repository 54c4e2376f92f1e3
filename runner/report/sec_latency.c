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

static void latency_row(struct report_ctx *ctx, json_t *sel, const char *tr, const char *v,
			int has_v, json_int_t size, double floor, FILE *f)
{
	double p50 = report_median_of(sel, NULL), p99 = report_median_of(sel, "p99");
	char c1[32], c2[32], c3[96], c4[96], c5[32], c6[32], c7[32];
	fmt_value((double)size, "bytes", c1, sizeof(c1));
	fmt_value(p50, "ns", c2, sizeof(c2));
	report_fmt_tail(sel, "p99", "ns", c3, sizeof(c3));
	report_fmt_tail(sel, "p999", "ns", c4, sizeof(c4));
	fmt_value(report_median_of(sel, "min"), "ns", c5, sizeof(c5));
	snprintf(c6, sizeof(c6), "%.0f", report_median_of(sel, "n"));
	fmt_ratio(c7, sizeof(c7), p50, floor);
	const char *cells[9] = { tr, v, c1, c2, c3, c4, c5, c6, c7 };
	drop_variant_column(cells, 9, has_v);
	doc_row(ctx->doc, cells);
	fprintf(f, "%lld %.1f %.1f\n", (long long)size, p50, p99);
}

/* The percentile chart's block for one line: min, p50, p90, p99, p99.9 and max. */
static void percentile_block(FILE *c, json_t *sel, const char *name)
{
	static const char *const pk[] = { "min", "p50", "p90", "p99", "p999", "max" };
	fprintf(c, "%s x ns\n", name);
	for (int q = 0; q < 6; q++)
		fprintf(c, "%d %.1f\n", q, report_median_of(sel, pk[q]));
	fprintf(c, "\n\n");
}

void report_latency(struct report_ctx *ctx)
{
	json_t *all = report_select(ctx->records, "latency", "roundtrip", NULL, "rtt");
	json_t *floor_recs = report_select(ctx->records, "latency", "floor_cacheline", NULL, "rtt");
	json_t *trs = report_transports(all), *t, *v;
	double floor = report_median_of(floor_recs, NULL);
	json_int_t sizes[64];
	int nsizes = param_values(all, "size", sizes, 64);
	static const char *const keyed[] = { "size", NULL };
	const char *vary[MAX_VARYING];
	int nv = varying(all, keyed, vary);
	size_t i, j;
	char fl[64], fl99[64], vh[128];
	doc_p(ctx->doc, "Round trips between two processes (ping-pong), every message checked on "
			"arrival; the distribution of individual round trips, medians over "
			"repetitions%s. The floor is one cache line bounced between two cores through "
			"shared memory: %s p50 (p99 %s) on this machine.",
	      nv ? ", one row per value of every parameter that varies" : "",
	      fmt_value(floor, "ns", fl, sizeof(fl)),
	      fmt_value(report_median_of(floor_recs, "p99"), "ns", fl99, sizeof(fl99)));
	variant_header(vary, nv, vh, sizeof(vh));
	const char *hd[9] = { "transport", vh, "size", "p50", "p99", "p99.9", "min",
			      "round trips", "p50 × floor" };
	doc_table(ctx->doc, drop_variant_column(hd, 9, nv), hd);
	char *data = NULL, *cdf = NULL;
	size_t dlen = 0, clen = 0;
	FILE *f = open_memstream(&data, &dlen), *c = open_memstream(&cdf, &clen);
	/* The size for the percentile chart: 64 bytes when measured, else the smallest. */
	json_int_t cdf_size = nsizes ? sizes[0] : 0;
	int cdf_blocks = 0;	/* records without a distribution draw no percentile chart */
	for (int k = 0; k < nsizes; k++)
		if (sizes[k] == 64)
			cdf_size = 64;
	json_array_foreach(trs, i, t) {
		json_t *tr_recs = report_select(all, "latency", "roundtrip", json_string_value(t),
						"rtt");
		json_t *vs = variants(tr_recs, vary, nv);
		json_array_foreach(vs, j, v) {
			json_t *v_recs = of_variant(tr_recs, vary, nv, json_string_value(v));
			char name[256];
			line_name(json_string_value(t), json_string_value(v), name, sizeof(name));
			fprintf(f, "%s size p50 p99\n", name);
			for (int k = 0; k < nsizes; k++) {
				json_t *sel = with_param(v_recs, "size", sizes[k]);
				if (json_array_size(sel))
					latency_row(ctx, sel, json_string_value(t),
						    json_string_value(v), nv, sizes[k], floor, f);
				if (json_array_size(sel) && sizes[k] == cdf_size &&
				    !isnan(report_median_of(sel, "p50"))) {
					percentile_block(c, sel, name);
					cdf_blocks++;
				}
				json_decref(sel);
			}
			fprintf(f, "\n\n");
			json_decref(v_recs);
		}
		json_decref(vs);
		json_decref(tr_recs);
	}
	doc_table_end(ctx->doc);
	if (!isnan(floor))
		fprintf(f, "cache-line-floor size p50 p99\n1 %.1f %.1f\n1048576 %.1f %.1f\n\n\n", floor,
			floor, floor, floor);
	fclose(f);
	fclose(c);
	if (json_array_size(trs) && report_plot(ctx, "latency", "latency", data) == 0)
		doc_chart(ctx->doc, ctx->dir, "latency",
			  "Round-trip latency by message size: p50 with a whisker to p99, one line "
			  "per transport (and value of every parameter that varies), the cache-line "
			  "floor for reference; log-log");
	if (cdf_blocks && report_plot(ctx, "percentiles", "latency_percentiles", cdf) == 0) {
		char sz[32];
		char alt[200];
		snprintf(alt, sizeof(alt), "The distribution of round trips at %s: min, p50, p90, "
					   "p99, p99.9 and max per transport (and varying parameter); "
					   "log scale",
			 fmt_value((double)cdf_size, "bytes", sz, sizeof(sz)));
		doc_chart(ctx->doc, ctx->dir, "latency_percentiles", alt);
	}
	free(data);
	free(cdf);
	json_decref(trs);
	json_decref(all);
	json_decref(floor_recs);
}

/* The floor records at one chunk size: those of the smallest destination window measured
 * there (floor records from before per-chunk floors carry no chunk and match none). */
