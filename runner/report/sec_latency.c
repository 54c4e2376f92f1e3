/* report_latency.c - the latency and throughput sections: figures by size per transport,
 * each also as a multiple of the machine's own floor (a cache line bounced between two
 * cores; memcpy bandwidth at the same chunk size and working set), which makes them
 * comparable across machines. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report/report.h"

/* The median over repetitions of dist.<key> (or of value when key is NULL). */
static double median_of(json_t *recs, const char *key)
{
	json_t *vals = json_array(), *r;
	size_t i;
	json_array_foreach(recs, i, r) {
		json_t *v = key ? json_object_get(json_object_get(r, "dist"), key) :
				  json_object_get(r, "value");
		if (json_is_number(v))
			json_array_append_new(vals, json_pack("{s:O}", "value", v));
	}
	double m = report_median(vals);
	json_decref(vals);
	return m;
}

/* The records of recs whose params.<param> equals v. */
static json_t *with_param(json_t *recs, const char *param, json_int_t v)
{
	json_t *out = json_array(), *r;
	size_t i;
	json_array_foreach(recs, i, r)
		if (json_integer_value(json_object_get(json_object_get(r, "params"), param)) == v)
			json_array_append(out, r);
	return out;
}

static int cmp_int(const void *a, const void *b)
{
	json_int_t x = *(const json_int_t *)a, y = *(const json_int_t *)b;
	return (x > y) - (x < y);
}

/* The distinct values of params.<param> in recs, sorted; returns the count (at most max). */
static int param_values(json_t *recs, const char *param, json_int_t *out, int max)
{
	json_t *r;
	size_t i;
	int n = 0;
	json_array_foreach(recs, i, r) {
		json_int_t v = json_integer_value(json_object_get(json_object_get(r, "params"), param));
		int seen = 0;
		for (int k = 0; k < n; k++)
			seen |= out[k] == v;
		if (!seen && n < max)
			out[n++] = v;
	}
	qsort(out, (size_t)n, sizeof(*out), cmp_int);
	return n;
}

/* ---- rows keyed on every parameter that varies -------------------------------------- */

#define MAX_VARYING 8

/* The parameters of recs that take more than one value, leaving out those in keyed (a
 * NULL-terminated list, the ones a table already has a column for): every row and chart line
 * is keyed on these too, so that none takes the median of, say, two CPU placements.
 * Returns how many (at most MAX_VARYING), their names in out. */
static int varying(json_t *recs, const char *const *keyed, const char **out)
{
	json_t *first = json_object_get(json_array_get(recs, 0), "params"), *r, *v;
	const char *k;
	size_t i;
	int n = 0;
	json_object_foreach(first, k, v) {
		int skip = 0, differs = 0;
		for (int q = 0; keyed[q]; q++)
			skip |= !strcmp(keyed[q], k);
		json_array_foreach(recs, i, r)
			differs |= !json_equal(json_object_get(json_object_get(r, "params"), k), v);
		if (!skip && differs && n < MAX_VARYING)
			out[n++] = k;
	}
	return n;
}

/* rec's values of the n parameters names, joined by '/' ("cross_core"): one token, so it
 * can also name a chart line. */
static void variant_of(json_t *rec, const char **names, int n, char *buf, size_t len)
{
	size_t used = 0;
	buf[0] = '\0';
	for (int q = 0; q < n && used < len; q++) {
		json_t *v = json_object_get(json_object_get(rec, "params"), names[q]);
		const char *sep = q ? "/" : "";
		if (json_is_string(v))
			used += (size_t)snprintf(buf + used, len - used, "%s%s", sep,
						 json_string_value(v));
		else if (json_is_integer(v))
			used += (size_t)snprintf(buf + used, len - used, "%s%lld", sep,
						 (long long)json_integer_value(v));
		else
			used += (size_t)snprintf(buf + used, len - used, "%s%s", sep,
						 json_is_true(v) ? "true" : json_is_false(v) ? "false" : "-");
	}
}

/* The distinct variants of recs (as variant_of writes them), in the order first seen: a new
 * array of strings; one empty string when nothing varies. */
static json_t *variants(json_t *recs, const char **names, int n)
{
	json_t *out = json_array(), *r, *x;
	size_t i, k;
	json_array_foreach(recs, i, r) {
		char buf[256];
		int seen = 0;
		variant_of(r, names, n, buf, sizeof(buf));
		json_array_foreach(out, k, x)
			seen |= !strcmp(json_string_value(x), buf);
		if (!seen)
			json_array_append_new(out, json_string(buf));
	}
	if (!json_array_size(out))
		json_array_append_new(out, json_string(""));
	return out;
}

/* The records of recs whose variant is v. */
static json_t *of_variant(json_t *recs, const char **names, int n, const char *v)
{
	json_t *out = json_array(), *r;
	size_t i;
	json_array_foreach(recs, i, r) {
		char buf[256];
		variant_of(r, names, n, buf, sizeof(buf));
		if (!strcmp(buf, v))
			json_array_append(out, r);
	}
	return out;
}

/* Rows and headers are written with the variant as their second column; where nothing
 * varies that column is left out.  Returns the number of columns kept. */
static int drop_variant_column(const char **cols, int n, int has_variant)
{
	if (has_variant)
		return n;
	memmove(cols + 1, cols + 2, (size_t)(n - 2) * sizeof(cols[0]));
	return n - 1;
}

/* The header of the variant column: the varying parameters' names joined by '/'. */
static void variant_header(const char **names, int n, char *buf, size_t len)
{
	size_t used = 0;
	buf[0] = '\0';
	for (int q = 0; q < n && used < len; q++)
		used += (size_t)snprintf(buf + used, len - used, "%s%s", q ? "/" : "", names[q]);
}

/* A chart line's name: the transport, then the variant when there is one. */
static void line_name(const char *tr, const char *v, char *buf, size_t len)
{
	snprintf(buf, len, "%s%s%s", tr, v[0] ? "/" : "", v);
}

static void ratio(char *buf, size_t len, double v, double floor)
{
	if (isnan(v) || isnan(floor) || floor <= 0)
		snprintf(buf, len, "—");
	else
		snprintf(buf, len, "%.1fx", v / floor);
}

/* One latency table row (and its chart points) for records sel of line name at size. */
static void latency_row(struct report_ctx *ctx, json_t *sel, const char *tr, const char *v,
			int has_v, json_int_t size, double floor, FILE *f)
{
	double p50 = median_of(sel, NULL), p99 = median_of(sel, "p99");
	char c1[32], c2[32], c3[96], c4[96], c5[32], c6[32], c7[32];
	report_fmt((double)size, "bytes", c1, sizeof(c1));
	report_fmt(p50, "ns", c2, sizeof(c2));
	report_fmt_tail(sel, "p99", "ns", c3, sizeof(c3));
	report_fmt_tail(sel, "p999", "ns", c4, sizeof(c4));
	report_fmt(median_of(sel, "min"), "ns", c5, sizeof(c5));
	snprintf(c6, sizeof(c6), "%.0f", median_of(sel, "n"));
	ratio(c7, sizeof(c7), p50, floor);
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
		fprintf(c, "%d %.1f\n", q, median_of(sel, pk[q]));
	fprintf(c, "\n\n");
}

void report_latency(struct report_ctx *ctx)
{
	json_t *all = report_select(ctx->records, "latency", "roundtrip", NULL, "rtt");
	json_t *floor_recs = report_select(ctx->records, "latency", "floor_cacheline", NULL, "rtt");
	json_t *trs = report_transports(all), *t, *v;
	double floor = median_of(floor_recs, NULL);
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
	      report_fmt(floor, "ns", fl, sizeof(fl)),
	      report_fmt(median_of(floor_recs, "p99"), "ns", fl99, sizeof(fl99)));
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
				    !isnan(median_of(sel, "p50"))) {
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
			 report_fmt((double)cdf_size, "bytes", sz, sizeof(sz)));
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
	report_fmt((double)chunk, "bytes", c, sizeof(c));
	report_fmt((double)window, "bytes", w, sizeof(w));
	fprintf(notes, "%s at %s chunks is %.0f%% of its floor. ", tr, c, 100 * bw / floor);
	if (slo <= fhi)
		fprintf(notes, "The ranges over repetitions overlap (stream %s to %s, floor %s to "
			"%s): the excess is within this run's noise, not a real one. ",
			report_fmt(slo, "bytes_per_s", a, sizeof(a)),
			report_fmt(shi, "bytes_per_s", b, sizeof(b)),
			report_fmt(flo, "bytes_per_s", d, sizeof(d)),
			report_fmt(fhi, "bytes_per_s", e, sizeof(e)));
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
			double bw = median_of(sel, NULL), floor = median_of(fsel, NULL);
			char c1[32], c2[32], c3[80], c4[48], fw[32], wl[32];
			report_fmt((double)chunks[k], "bytes", c1, sizeof(c1));
			report_fmt(bw, "bytes_per_s", c2, sizeof(c2));
			report_fmt(floor, "bytes_per_s", fw, sizeof(fw));
			if (isnan(floor))
				snprintf(c3, sizeof(c3), "%s", fw);
			else
				snprintf(c3, sizeof(c3), "%s (%s window)", fw,
					 report_fmt((double)window, "bytes", wl, sizeof(wl)));
			if (isnan(floor) || isnan(bw) || floor <= 0)
				snprintf(c4, sizeof(c4), "—");
			else
				snprintf(c4, sizeof(c4), "%.0f%%%s", 100 * bw / floor,
					 bw > floor ? " (above: see below)" : "");
			const char *cells[6] = { tr, v, c1, c2, c3, c4 };
			drop_variant_column(cells, 6, v != NULL);
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
	const char *hd[6] = { "transport", vh, "chunk", "bandwidth", "floor (same chunk)",
			      "share of floor" };
	doc_table(ctx->doc, drop_variant_column(hd, 6, nv), hd);
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
		double fl = median_of(fsel, NULL);
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
	if (json_array_size(trs) && report_plot(ctx, "throughput", "throughput", data) == 0)
		doc_chart(ctx->doc, ctx->dir, "throughput",
			  "One-way bandwidth by chunk size, one line per transport, the memcpy floor "
			  "at each chunk size for reference; log-log");
	free(data);
	free(notes);
	json_decref(trs);
	json_decref(all);
	json_decref(floor_recs);
}

/* The median over recs of facts.timer_overhead_ns, formatted; "unknown" when none says. */
static const char *clock_cost(json_t *recs, char *buf, size_t len)
{
	json_t *vals = json_array(), *r;
	size_t i;
	json_array_foreach(recs, i, r) {
		json_t *v = json_object_get(json_object_get(r, "facts"), "timer_overhead_ns");
		if (json_is_number(v))
			json_array_append_new(vals, json_pack("{s:O}", "value", v));
	}
	double m = report_median(vals);
	json_decref(vals);
	if (isnan(m))
		return snprintf(buf, len, "an unrecorded amount"), buf;
	return report_fmt(m, "ns", buf, len);
}

/* The operations per timed batch of recs ("1" to "N"; a range when repetitions differ;
 * "—" for records from before batches). */
static void batch_cell(json_t *recs, char *buf, size_t len)
{
	json_int_t lo = 0, hi = 0;
	json_t *r;
	size_t i;
	json_array_foreach(recs, i, r) {
		json_int_t k = json_integer_value(json_object_get(json_object_get(r, "facts"),
								  "batch"));
		if (k <= 0)
			continue;
		lo = lo == 0 || k < lo ? k : lo;
		hi = k > hi ? k : hi;
	}
	if (hi == 0)
		snprintf(buf, len, "—");
	else if (lo == hi)
		snprintf(buf, len, "%lld", (long long)lo);
	else
		snprintf(buf, len, "%lld–%lld", (long long)lo, (long long)hi);
}

/* The manager: per-operation latency and throughput by client count and mode, and the
 * broker's overhead as a multiple of touching shared memory directly. */
void report_manager(struct report_ctx *ctx)
{
	static const char *const modes[] = { "broker", "shared_mutex", "atomic" };
	json_t *lat = report_select(ctx->records, "manager", "ops", NULL, "op_latency");
	json_t *tput = report_select(ctx->records, "manager", "ops", NULL, "throughput");
	json_int_t clients[32];
	int n = param_values(lat, "clients", clients, 32);
	char clk[48];
	doc_p(ctx->doc, "A broker process owns a table of counters; clients get, set or increment "
			"over AF_UNIX stream sockets. Beside it the same operations on shared memory "
			"under a process-shared mutex, and with atomic instructions. After every run "
			"the counters equal the increments sent (checked by the probe). An operation "
			"cheaper than 50 clock reads is timed in batches between two clock reads "
			"(column batch; the clock costs %s here), so a latency is a batch's time over "
			"its size and the clock stays out of it. Medians over repetitions.",
	      clock_cost(lat, clk, sizeof(clk)));
	static const char *const hd[] = { "op", "clients", "mode", "latency p50", "p99", "batch",
					  "throughput", "broker ÷ shared_mutex (p50)" };
	doc_table(ctx->doc, 8, hd);
	static const char *const ops[] = { "get", "set", "incr" };
	double tp[3][3][32];	/* [op][mode][client index] ops/s, for the chart */
	for (int o = 0; o < 3; o++)
		for (int m = 0; m < 3; m++)
			for (int k = 0; k < 32; k++)
				tp[o][m][k] = NAN;
	for (int o = 0; o < 3; o++) {
		for (int k = 0; k < n; k++) {
			double mutex_p50 = NAN;
			for (int m = 2; m >= 0; m--) {
				json_t *sel = json_array(), *r;
				size_t i;
				json_array_foreach(lat, i, r) {
					json_t *p = json_object_get(r, "params");
					if (json_integer_value(json_object_get(p, "clients")) == clients[k] &&
					    !strcmp(json_string_value(json_object_get(p, "mode")), modes[m]) &&
					    !strcmp(json_string_value(json_object_get(p, "op")), ops[o]))
						json_array_append(sel, r);
				}
				if (json_array_size(sel) == 0) {
					json_decref(sel);
					continue;
				}
				json_t *tsel = json_array();
				json_array_foreach(tput, i, r) {
					json_t *p = json_object_get(r, "params");
					if (json_equal(p, json_object_get(json_array_get(sel, 0), "params")))
						json_array_append(tsel, r);
				}
				double p50 = median_of(sel, NULL);
				if (m == 1)
					mutex_p50 = p50;
				char c1[16], c2[32], c3[96], c4[32], c5[32], c6[48];
				snprintf(c1, sizeof(c1), "%lld", (long long)clients[k]);
				report_fmt(p50, "ns", c2, sizeof(c2));
				report_fmt_tail(sel, "p99", "ns", c3, sizeof(c3));
				tp[o][m][k] = median_of(tsel, NULL);
				report_fmt(tp[o][m][k], "ops_per_s", c4, sizeof(c4));
				if (m == 0)
					ratio(c5, sizeof(c5), p50, mutex_p50);
				else
					c5[0] = '\0';
				batch_cell(sel, c6, sizeof(c6));
				const char *cells[8] = { ops[o], c1, modes[m], c2, c3, c6, c4, c5 };
				doc_row(ctx->doc, cells);
				json_decref(sel);
				json_decref(tsel);
			}
		}
	}
	doc_table_end(ctx->doc);
	/* The chart shows incr, the operation whose result the probe checks, else the first
	 * operation measured. */
	int op = -1;
	for (int o = 2; o >= 0 && op < 0; o--)
		for (int k = 0; k < n && op < 0; k++)
			if (!isnan(tp[o][0][k]) || !isnan(tp[o][1][k]) || !isnan(tp[o][2][k]))
				op = o;
	if (op >= 0) {
		char *data = NULL;
		size_t dlen = 0;
		FILE *dat = open_memstream(&data, &dlen);
		for (int m = 0; m < 3; m++) {
			fprintf(dat, "%s clients ops_per_s\n", modes[m]);
			for (int k = 0; k < n; k++)
				if (!isnan(tp[op][m][k]))
					fprintf(dat, "%lld %.1f\n", (long long)clients[k], tp[op][m][k]);
			fprintf(dat, "\n\n");
		}
		fclose(dat);
		char alt[160];
		snprintf(alt, sizeof(alt), "Aggregate %s operations per second by client count: "
					   "through the broker, under a process-shared mutex, atomic",
			 ops[op]);
		if (report_plot(ctx, "manager", "manager", data) == 0)
			doc_chart(ctx->doc, ctx->dir, "manager", alt);
		free(data);
	}
	json_decref(lat);
	json_decref(tput);
}
