/* sec_throughput.c - the throughput section: bytes per second by chunk size per transport,
 * each beside memcpy's bandwidth at the same chunk size and working set (the floor no
 * transport can beat). */
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

static json_t *floor_at(json_t *floor_recs, json_int_t chunk, json_int_t *window)
{
	json_t *sel = with_param(floor_recs, "chunk", chunk), *out = json_array(), *r;
	size_t i;
	*window = 0;
	json_array_foreach(sel, i, r) {
		json_int_t w = json_integer_value(json_object_get(json_object_get(r, "params"),
								  "window"));
		if (*window == 0 || w < *window)
			*window = w;
	}
	json_array_foreach(sel, i, r)
		if (json_integer_value(json_object_get(json_object_get(r, "params"), "window")) ==
		    *window)
			json_array_append(out, r);
	json_decref(sel);
	return out;
}

/* The smallest and largest value of recs. */
static void value_range(json_t *recs, double *lo, double *hi)
{
	json_t *r;
	size_t i;
	*lo = INFINITY;
	*hi = -INFINITY;
	json_array_foreach(recs, i, r) {
		double v = json_number_value(json_object_get(r, "value"));
		if (!json_is_number(json_object_get(r, "value")))
			continue;
		*lo = v < *lo ? v : *lo;
		*hi = v > *hi ? v : *hi;
	}
}

/* Say why a stream stands above its own floor: within the repetitions' spread, or beyond
 * it, where the two working sets differ. */
static void above_floor_note(FILE *notes, const char *tr, json_t *sel, json_t *fsel,
			     json_int_t chunk, json_int_t window, double bw, double floor)
{
	double slo, shi, flo, fhi;
	char c[32], w[32], a[32], b[32], d[32], e[32];
	value_range(sel, &slo, &shi);
	value_range(fsel, &flo, &fhi);
	fmt_value((double)chunk, "bytes", c, sizeof(c));
	fmt_value((double)window, "bytes", w, sizeof(w));
	fprintf(notes, "%s at %s chunks is %.0f%% of its floor. ", tr, c, 100 * bw / floor);
	if (slo <= fhi)
		fprintf(notes, "The ranges over repetitions overlap (stream %s to %s, floor %s to "
			"%s): the excess is within this run's noise, not a real one. ",
			fmt_value(slo, "bytes_per_s", a, sizeof(a)),
			fmt_value(shi, "bytes_per_s", b, sizeof(b)),
			fmt_value(flo, "bytes_per_s", d, sizeof(d)),
			fmt_value(fhi, "bytes_per_s", e, sizeof(e)));
	else
		fprintf(notes, "Every repetition of the stream beats every repetition of the "
			"floor, so the working sets differ where it matters: the floor copies "
			"into a %s window, the stream's bytes go between one %s buffer on each "
			"side through the transport's own buffer, which may sit in a nearer "
			"cache. ", w, c);
}

/* One table row per chunk size measured for transport tr; the chart data into f, the notes
 * for figures above their floor into notes. */
static void throughput_rows(struct report_ctx *ctx, json_t *tr_recs, json_t *floor_recs,
			    const char *tr, const char *v, const json_int_t *chunks, int n, FILE *f,
			    FILE *notes)
{
	char name[256];
	line_name(tr, v ? v : "", name, sizeof(name));
	fprintf(f, "%s chunk bandwidth\n", name);
	for (int k = 0; k < n; k++) {
		json_t *sel = with_param(tr_recs, "chunk", chunks[k]);
		json_int_t window;
		json_t *fsel = floor_at(floor_recs, chunks[k], &window);
		if (json_array_size(sel)) {
			double bw = report_median_of(sel, NULL), floor = report_median_of(fsel, NULL);
			char c1[32], c2[32], c3[80], c4[48], fw[32], wl[32], ci[160];
			report_fmt_interval(sel, "bytes_per_s", ci, sizeof(ci));
			fmt_value((double)chunks[k], "bytes", c1, sizeof(c1));
			fmt_value(bw, "bytes_per_s", c2, sizeof(c2));
			fmt_value(floor, "bytes_per_s", fw, sizeof(fw));
			if (isnan(floor))
				snprintf(c3, sizeof(c3), "%s", fw);
			else
				snprintf(c3, sizeof(c3), "%s (%s window)", fw,
					 fmt_value((double)window, "bytes", wl, sizeof(wl)));
			if (isnan(floor) || isnan(bw) || floor <= 0)
				snprintf(c4, sizeof(c4), "—");
			else
				snprintf(c4, sizeof(c4), "%.0f%%%s", 100 * bw / floor,
					 bw > floor ? " (above: see below)" : "");
			const char *cells[7] = { tr, v, c1, c2, ci, c3, c4 };
			drop_variant_column(cells, 7, v != NULL);
			doc_row(ctx->doc, cells);
			fprintf(f, "%lld %.1f\n", (long long)chunks[k], bw);
			if (!isnan(floor) && bw > floor)
				above_floor_note(notes, tr, sel, fsel, chunks[k], window, bw, floor);
		}
		json_decref(sel);
		json_decref(fsel);
	}
	fprintf(f, "\n\n");
}

void report_throughput(struct report_ctx *ctx)
{
	json_t *all = report_select(ctx->records, "throughput", "stream", NULL, "bandwidth");
	json_t *floor_recs = report_select(ctx->records, "throughput", "floor_memcpy", NULL,
					   "bandwidth");
	json_t *trs = report_transports(all), *t;
	json_int_t chunks[64];
	int n = param_values(all, "chunk", chunks, 64);
	size_t i;
	doc_p(ctx->doc, "Bytes per second in one direction, the receiver counting every byte; "
			"medians over repetitions. Working sets: a stream's sender and receiver each "
			"reuse one chunk-sized buffer, the transport's own buffer between them (the "
			"shm rings: 2 MiB). The floor at each chunk size is memcpy of one chunk at a "
			"time from a reused chunk-sized source (MAP_PRIVATE) into successive chunks "
			"of a destination window (MAP_SHARED|MAP_ANONYMOUS, as the rings; its size in "
			"the floor column), on one core: each byte copied once, where a transport "
			"copies at least once and hands over between cores. Floor records from before "
			"per-chunk floors (one large copy) are not set against any chunk size.");
	/* Rows keyed on transport, chunk and every other parameter that varies (placement). */
	static const char *const keyed[] = { "chunk", NULL };
	const char *vary[MAX_VARYING];
	int nv = varying(all, keyed, vary);
	char vh[128];
	variant_header(vary, nv, vh, sizeof(vh));
	const char *hd[7] = { "transport", vh, "chunk", "bandwidth", "its interval, level",
			      "floor (same chunk)", "share of floor" };
	doc_table(ctx->doc, drop_variant_column(hd, 7, nv), hd);
	char *data = NULL, *notes = NULL;
	size_t dlen = 0, nlen = 0;
	FILE *f = open_memstream(&data, &dlen), *nf = open_memstream(&notes, &nlen);
	json_array_foreach(trs, i, t) {
		json_t *tr_recs = report_select(all, "throughput", "stream", json_string_value(t),
						"bandwidth");
		json_t *vs = variants(tr_recs, vary, nv), *v;
		size_t j;
		json_array_foreach(vs, j, v) {
			json_t *v_recs = of_variant(tr_recs, vary, nv, json_string_value(v));
			throughput_rows(ctx, v_recs, floor_recs, json_string_value(t),
					nv ? json_string_value(v) : NULL, chunks, n, f, nf);
			json_decref(v_recs);
		}
		json_decref(vs);
		json_decref(tr_recs);
	}
	doc_table_end(ctx->doc);
	fclose(nf);
	if (nlen)
		doc_p(ctx->doc, "%s", notes);
	json_int_t fchunks[64];
	int nf_chunks = param_values(floor_recs, "chunk", fchunks, 64), points = 0;
	for (int k = 0; k < nf_chunks; k++) {
		json_int_t window;
		json_t *fsel = floor_at(floor_recs, fchunks[k], &window);
		double fl = report_median_of(fsel, NULL);
		if (!isnan(fl) && fchunks[k] > 0) {
			if (points++ == 0)
				fprintf(f, "memcpy-floor chunk bandwidth\n");
			fprintf(f, "%lld %.1f\n", (long long)fchunks[k], fl);
		}
		json_decref(fsel);
	}
	if (points)
		fprintf(f, "\n\n");
	fclose(f);
	static const struct chart tc = {
		.script = "throughput", .name = "throughput", .kind = CHART_LINES,
		.title = "One-way bandwidth between two processes, by chunk size",
		.alt = "One-way bandwidth by chunk size, one line per transport, the memcpy floor "
		       "at each chunk size for reference; log-log",
		.what = "bandwidth", .unit = "bytes_per_s", .log = 1, .x_unit = "bytes",
		.xlabel = "chunk size" };
	if (json_array_size(trs))
		report_chart(ctx, &tc, data);
	free(data);
	free(notes);
	json_decref(trs);
	json_decref(all);
	json_decref(floor_recs);
}

/* The median over recs of facts.timer_overhead_ns, formatted; "unknown" when none says. */
