/* report_shm.c - the shared-memory section: setup and fault costs by method and size, copy
 * bandwidth against private memory, hand-over latency by wake-up, and where the shm ring
 * overtakes a pipe and an AF_UNIX socket (from the throughput probe in the same run). */
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

/* Median value of shm/cas/metric with params.<k1> == v1 and (when k2) params.<k2> == n2. */
static double med(json_t *records, const char *cas, const char *metric, const char *k1,
		  const char *v1, const char *k2, json_int_t n2)
{
	json_t *all = report_select(records, "shm", cas, NULL, metric), *sel = json_array(), *r;
	size_t i;
	json_array_foreach(all, i, r) {
		json_t *p = json_object_get(r, "params");
		if (strcmp(json_string_value(json_object_get(p, k1)) ?: "", v1))
			continue;
		if (k2 && json_integer_value(json_object_get(p, k2)) != n2)
			continue;
		json_array_append(sel, r);
	}
	double m = report_median(sel);
	json_decref(sel);
	json_decref(all);
	return m;
}

static int sizes_of(json_t *records, json_int_t *out, int max)
{
	json_t *all = report_select(records, "shm", NULL, NULL, NULL), *r;
	size_t i;
	int n = 0;
	json_array_foreach(all, i, r) {
		json_t *s = json_object_get(json_object_get(r, "params"), "size");
		if (!json_is_integer(json_object_get(json_object_get(r, "params"), "iterations")) &&
		    !json_is_string(json_object_get(json_object_get(r, "params"), "method")))
			continue;
		int seen = 0;
		for (int k = 0; k < n; k++)
			seen |= out[k] == json_integer_value(s);
		if (!seen && n < max)
			out[n++] = json_integer_value(s);
	}
	json_decref(all);
	for (int a = 0; a < n; a++)	/* few: insertion sort */
		for (int b = a; b > 0 && out[b] < out[b - 1]; b--) {
			json_int_t t = out[b];
			out[b] = out[b - 1];
			out[b - 1] = t;
		}
	return n;
}

/* The smallest chunk at which a ring's bandwidth beats both pipe and unix-stream. */
static void crossover(struct report_ctx *ctx, const char *ring)
{
	json_t *all = report_select(ctx->records, "throughput", "stream", NULL, "bandwidth"), *r;
	json_int_t chunks[32];
	int n = 0;
	size_t i;
	json_array_foreach(all, i, r) {
		json_int_t c = json_integer_value(json_object_get(json_object_get(r, "params"), "chunk"));
		int seen = 0;
		for (int k = 0; k < n; k++)
			seen |= chunks[k] == c;
		if (!seen && n < 32)
			chunks[n++] = c;
	}
	json_int_t best = -1;
	int compared = 0;
	for (int k = 0; k < n; k++) {
		double bw[3];
		const char *trs[3] = { ring, "pipe", "unix-stream" };
		for (int t = 0; t < 3; t++) {
			json_t *sel = json_array();
			json_array_foreach(all, i, r)
				if (!strcmp(json_string_value(json_object_get(r, "transport")) ?: "", trs[t]) &&
				    json_integer_value(json_object_get(json_object_get(r, "params"), "chunk")) == chunks[k])
					json_array_append(sel, r);
			bw[t] = report_median(sel);
			json_decref(sel);
		}
		if (isnan(bw[0]) || isnan(bw[1]) || isnan(bw[2]))
			continue;
		compared++;
		if (bw[0] > bw[1] && bw[0] > bw[2] && (best < 0 || chunks[k] < best))
			best = chunks[k];
	}
	char b[32];
	if (compared == 0)
		doc_p(ctx->doc, "%s: this run has no throughput figures of it beside pipe and "
				"unix-stream at the same chunk size.", ring);
	else if (best < 0)
		doc_p(ctx->doc, "%s does not overtake both a pipe and an AF_UNIX stream socket at any "
				"chunk size measured in this run.", ring);
	else
		doc_p(ctx->doc, "%s overtakes both a pipe and an AF_UNIX stream socket from %s chunks "
				"on (the smallest chunk size measured at which it is faster than both).",
		      ring, fmt_value((double)best, "bytes", b, sizeof(b)));
	json_decref(all);
}

/* The row of one wake-up and placement (records from before placements count as
 * "unpinned", as they ran); 1 when there was one.  The chart takes the cross_core and
 * unpinned rows (same_core ones, a scheduler's time slice, would dwarf them). */
static int handover_row(struct report_ctx *ctx, FILE *dat, const char *wake, const char *place)
{
	json_t *all = report_select(ctx->records, "shm", "handover", NULL, "rtt"), *sel = json_array(), *r;
	size_t i;
	json_array_foreach(all, i, r) {
		json_t *p = json_object_get(r, "params");
		const char *pl = json_string_value(json_object_get(p, "placement")) ?: "unpinned";
		if (!strcmp(json_string_value(json_object_get(p, "wake")) ?: "", wake) &&
		    !strcmp(pl, place))
			json_array_append(sel, r);
	}
	double p50 = report_median(sel);
	double p99 = report_median_of(sel, "p99");	/* of the same repetitions as p50 */
	json_decref(sel);
	json_decref(all);
	if (isnan(p50))
		return 0;
	char a[32], b[32];
	const char *cells[4] = { wake, place, fmt_value(p50, "ns", a, sizeof(a)),
				 fmt_value(p99, "ns", b, sizeof(b)) };
	doc_row(ctx->doc, cells);
	if (!strcmp(place, "cross_core"))
		fprintf(dat, "%s %.0f %.0f\n", wake, p50, p99);
	else if (!strcmp(place, "unpinned"))
		fprintf(dat, "%s/unpinned %.0f %.0f\n", wake, p50, p99);
	return 1;
}

void report_shm(struct report_ctx *ctx)
{
	static const char *const methods[] = { "posix_shm", "memfd", "sysv", "anon_shared",
					       "hugetlb" };
	json_int_t sizes[16];
	int ns = sizes_of(ctx->records, sizes, 16);
	doc_p(ctx->doc, "Medians over repetitions. Create (the name kept), map (no page touched), "
			"unmap (the object kept) and remove (name or id and descriptor) are each timed "
			"alone, several regions per timed span where one step is under 50 clock "
			"reads. A touch figure is the p50 over samples of fresh regions, at least 64 "
			"pages per timed span; the second touch repeats passes until a span lasts 50 "
			"clock reads. The copies into shared and private memory (both page-aligned) "
			"alternate, each first equally often. Methods this platform lacks (huge pages "
			"not reserved, say) are listed under the summary as unsupported, with the "
			"reason.");
	static const char *const hd[] = { "method", "size", "create", "map", "unmap", "remove",
					  "first touch / page", "second touch / page",
					  "copy into shared", "copy into private" };
	static const char *const cas[8] = { "setup", "setup", "setup", "setup", "touch", "touch",
					    "copy_bandwidth", "copy_bandwidth" };
	static const char *const met[8] = { "create_ns", "map_ns", "unmap_ns", "remove_ns",
					    "first_touch_per_page", "second_touch_per_page",
					    "bandwidth", "private_bandwidth" };
	doc_table(ctx->doc, 10, hd);
	for (int m = 0; m < 5; m++) {
		for (int k = 0; k < ns; k++) {
			double v[8];
			int any = 0;
			for (int q = 0; q < 8; q++) {
				v[q] = med(ctx->records, cas[q], met[q], "method", methods[m], "size",
					   sizes[k]);
				any |= !isnan(v[q]);
			}
			if (!any)
				continue;
			char c[10][32];
			fmt_value((double)sizes[k], "bytes", c[1], sizeof(c[1]));
			for (int q = 0; q < 8; q++)
				fmt_value(v[q], q < 6 ? "ns" : "bytes_per_s", c[2 + q], sizeof(c[2 + q]));
			const char *cells[10] = { methods[m], c[1], c[2], c[3], c[4], c[5], c[6], c[7],
						  c[8], c[9] };
			doc_row(ctx->doc, cells);
		}
	}
	doc_table_end(ctx->doc);

	static const char *const wakes[] = { "futex", "sem", "mutex_cond", "eventfd", "spin" };
	static const char *const places[] = { "cross_core", "same_core", "unpinned" };
	static const char *const hh[] = { "wake-up", "placement", "round trip p50", "p99" };
	doc_h3(ctx->doc, "Hand-over latency by way of waking the peer");
	doc_p(ctx->doc, "Placed as the latency probe's round trips (cross_core beside cross_core). "
			"Spinning polls with the CPU's pause hint; the futex wakes only a peer that "
			"announced it sleeps. Round trips under 50 clock reads are timed in batches.");
	doc_table(ctx->doc, 4, hh);
	char *data = NULL;
	size_t dlen = 0;
	int rows = 0;
	FILE *dat = open_memstream(&data, &dlen);
	fprintf(dat, "# wake p50 p99 (ns)\n");
	for (int w = 0; w < 5; w++)
		for (int pl = 0; pl < 3; pl++)
			rows += handover_row(ctx, dat, wakes[w], places[pl]);
	doc_table_end(ctx->doc);
	fclose(dat);
	static const char *const titles[] = { "p50", "p99" };
	static const struct chart hc = {
		.script = "handover", .name = "shm_handover", .kind = CHART_BARS,
		.title = "Handing shared memory to another process: round trip by wake-up",
		.alt = "Hand-over round trip through shared memory by wake-up mechanism: p50 and "
		       "p99; log scale",
		.what = "round trip", .unit = "ns", .log = 1, .bars = 2, .bar_titles = titles };
	if (rows)
		report_chart(ctx, &hc, data);
	free(data);
	doc_h3(ctx->doc, "Where a shared-memory ring overtakes the kernel's copies");
	crossover(ctx, "shm-futex");
	crossover(ctx, "shm-spin");
}
