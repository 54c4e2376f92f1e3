/* sec_manager.c - the manager section: what a broker process costs per operation. */
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

static const char *clock_cost(json_t *recs, char *buf, size_t len)
{
	double m = report_median_field(recs, "facts", "timer_overhead_ns");
	if (isnan(m))
		return snprintf(buf, len, "an unrecorded amount"), buf;
	return fmt_value(m, "ns", buf, len);
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

static const char *const modes[] = { "broker", "shared_mutex", "atomic" };
static const char *const ops[] = { "get", "set", "incr" };
#define MAX_CLIENTS 32

/* The records of recs for one op, mode and client count (a new array). */
static json_t *select_ops(json_t *recs, const char *op, const char *mode, json_int_t clients)
{
	json_t *sel = json_array(), *r;
	size_t i;
	json_array_foreach(recs, i, r) {
		json_t *p = json_object_get(r, "params");
		if (json_integer_value(json_object_get(p, "clients")) == clients &&
		    str_is(p, "mode", mode) && str_is(p, "op", op))
			json_array_append(sel, r);
	}
	return sel;
}

/* The records of recs with exactly params (a new array). */
static json_t *same_params(json_t *recs, json_t *params)
{
	json_t *out = json_array(), *r;
	size_t i;
	json_array_foreach(recs, i, r)
		if (json_equal(json_object_get(r, "params"), params))
			json_array_append(out, r);
	return out;
}

/* One table row for latency records sel (non-empty) and its throughput twin; returns the
 * throughput's median (for the chart); *p50 gets the latency's. */
static double manager_row(struct report_ctx *ctx, json_t *sel, json_t *tput, int o, int m,
			  json_int_t clients, double mutex_p50, double *p50)
{
	json_t *tsel = same_params(tput, json_object_get(json_array_get(sel, 0), "params"));
	char c1[16], c2[32], c3[96], c4[32], c5[32] = "", c6[48];
	*p50 = report_median_of(sel, NULL);
	double ops_s = report_median_of(tsel, NULL);
	snprintf(c1, sizeof(c1), "%lld", (long long)clients);
	fmt_value(*p50, "ns", c2, sizeof(c2));
	report_fmt_tail(sel, "p99", "ns", c3, sizeof(c3));
	fmt_value(ops_s, "ops_per_s", c4, sizeof(c4));
	if (m == 0)
		fmt_ratio(c5, sizeof(c5), *p50, mutex_p50);
	batch_cell(sel, c6, sizeof(c6));
	const char *cells[8] = { ops[o], c1, modes[m], c2, c3, c6, c4, c5 };
	doc_row(ctx->doc, cells);
	json_decref(tsel);
	return ops_s;
}

/* The chart: incr, the operation whose result the probe checks, else the last operation
 * measured; ops/s by client count per mode. */
static void manager_chart(struct report_ctx *ctx, double tp[3][3][MAX_CLIENTS],
			  const json_int_t *clients, int n)
{
	int op = -1;
	for (int o = 2; o >= 0 && op < 0; o--)
		for (int k = 0; k < n && op < 0; k++)
			if (!isnan(tp[o][0][k]) || !isnan(tp[o][1][k]) || !isnan(tp[o][2][k]))
				op = o;
	if (op < 0)
		return;
	char *data = NULL;
	size_t dlen = 0;
	FILE *dat = open_memstream(&data, &dlen);
	/* A block only for a mode measured: gnuplot's `for [i=0:*]` stops at the first empty
	 * block, which would drop every mode after it from the chart. */
	for (int m = 0; m < 3; m++) {
		int points = 0;
		for (int k = 0; k < n; k++) {
			if (isnan(tp[op][m][k]))
				continue;
			if (!points++)
				fprintf(dat, "%s clients ops_per_s\n", modes[m]);
			fprintf(dat, "%lld %.1f\n", (long long)clients[k], tp[op][m][k]);
		}
		if (points)
			fprintf(dat, "\n\n");
	}
	fclose(dat);
	char alt[160];
	snprintf(alt, sizeof(alt), "Aggregate %s operations per second by client count: through "
				   "the broker, under a process-shared mutex, atomic", ops[op]);
	const struct chart mc = {
		.script = "manager", .name = "manager", .kind = CHART_LINES, .alt = alt,
		.title = "Operations per second by client processes: broker against shared memory",
		.what = "operations", .unit = "ops_per_s", .log = 1, .x_unit = "count",
		.xlabel = "client processes" };
	report_chart(ctx, &mc, data);
	free(data);
}

/* The manager: per-operation latency and throughput by client count and mode, and the
 * broker's overhead as a multiple of touching shared memory directly. */
void report_manager(struct report_ctx *ctx)
{
	json_t *lat = report_select(ctx->records, "manager", "ops", NULL, "op_latency");
	json_t *tput = report_select(ctx->records, "manager", "ops", NULL, "throughput");
	json_int_t clients[MAX_CLIENTS];
	int n = param_values(lat, "clients", clients, MAX_CLIENTS);
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
	double tp[3][3][MAX_CLIENTS];	/* [op][mode][client index] ops/s, for the chart */
	for (int o = 0; o < 3; o++)
		for (int k = 0; k < n; k++) {
			double mutex_p50 = NAN, p50 = NAN;
			/* atomic, then shared_mutex, then the broker: its row divides by the mutex's */
			for (int m = 2; m >= 0; m--) {
				json_t *sel = select_ops(lat, ops[o], modes[m], clients[k]);
				tp[o][m][k] = NAN;
				if (json_array_size(sel))
					tp[o][m][k] = manager_row(ctx, sel, tput, o, m, clients[k],
								  mutex_p50, &p50);
				if (json_array_size(sel) && m == 1)
					mutex_p50 = p50;
				json_decref(sel);
			}
		}
	doc_table_end(ctx->doc);
	manager_chart(ctx, tp, clients, n);
	json_decref(lat);
	json_decref(tput);
}
