/* report_python.c - the Python section: each multiprocessing mechanism beside the OS primitive
 * it sits on, measured by the C probes in the same run, and what Python adds on top. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "report.h"

static const struct {
	const char *mechanism, *transport, *what;
} layers[] = {
	{ "pipe_duplex", "unix-stream", "Pipe(duplex=True): an AF_UNIX stream socketpair" },
	{ "pipe_simplex", "pipe", "Pipe(duplex=False): a pipe" },
	{ "simple_queue", "pipe", "SimpleQueue: a pipe, a lock, pickling" },
	{ "queue", "pipe", "Queue: a pipe, a feeder thread, pickling" },
	{ "joinable_queue", "pipe", "JoinableQueue: Queue plus task accounting" },
	{ "manager_queue", "unix-stream", "Manager().Queue(): a proxy to a manager process over "
					  "AF_UNIX sockets" },
};

/* The median rtt of matching records: probe/case, params.<key> == value, size. */
static double rtt(json_t *records, const char *probe, const char *transport, const char *key,
		  const char *value, json_int_t size)
{
	json_t *all = report_select(records, probe, "roundtrip", transport, "rtt");
	if (!strcmp(probe, "python")) {
		json_decref(all);
		all = report_select(records, "python", "latency", NULL, "rtt");
	}
	json_t *sel = json_array(), *r;
	size_t i;
	json_array_foreach(all, i, r) {
		json_t *p = json_object_get(r, "params");
		if (json_integer_value(json_object_get(p, "size")) == size &&
		    !strcmp(json_string_value(json_object_get(p, key)) ?: "", value))
			json_array_append(sel, r);
	}
	double m = report_median(sel);
	json_decref(sel);
	json_decref(all);
	return m;
}

void report_python(struct report_ctx *ctx)
{
	json_t *py = report_select(ctx->records, "python", "latency", NULL, "rtt"), *r;
	json_int_t sizes[16];
	int ns = 0;
	size_t i;
	json_array_foreach(py, i, r) {
		json_int_t s = json_integer_value(json_object_get(json_object_get(r, "params"), "size"));
		int seen = 0;
		for (int k = 0; k < ns; k++)
			seen |= sizes[k] == s;
		if (!seen && ns < 16)
			sizes[ns++] = s;
	}
	doc_h3(ctx->doc, "Layer attribution: Python's own cost over the OS primitive");
	doc_p(ctx->doc, "Round trips (p50, medians over repetitions) of each multiprocessing "
			"mechanism beside the C latency probe's round trip over the primitive under "
			"it, in the same run, unpinned when the run measured it so (else across "
			"cores). The difference is what Python adds: the interpreter, the "
			"multiprocessing layer, pickling and threads.");
	static const char *const hd[] = { "mechanism", "size", "Python p50", "OS primitive",
					  "primitive p50", "Python's own cost", "share of the total" };
	doc_table(ctx->doc, 7, hd);
	for (unsigned l = 0; l < sizeof(layers) / sizeof(layers[0]); l++) {
		for (int k = 0; k < ns; k++) {
			double p = rtt(ctx->records, "python", NULL, "mechanism", layers[l].mechanism,
				       sizes[k]);
			if (isnan(p))
				continue;
			const char *placement = "unpinned";
			double o = rtt(ctx->records, "latency", layers[l].transport, "placement",
				       placement, sizes[k]);
			if (isnan(o)) {
				placement = "cross_core";
				o = rtt(ctx->records, "latency", layers[l].transport, "placement",
					placement, sizes[k]);
			}
			char c1[32], c2[32], c3[96], c4[32], c5[32], c6[32];
			report_fmt((double)sizes[k], "bytes", c1, sizeof(c1));
			report_fmt(p, "ns", c2, sizeof(c2));
			snprintf(c3, sizeof(c3), "%s (%s)", layers[l].transport, placement);
			report_fmt(o, "ns", c4, sizeof(c4));
			report_fmt(isnan(o) ? NAN : p - o, "ns", c5, sizeof(c5));
			if (isnan(o))
				snprintf(c6, sizeof(c6), "—");
			else
				snprintf(c6, sizeof(c6), "%.0f%%", 100 * (p - o) / p);
			const char *cells[7] = { layers[l].what, c1, c2, c3, c4, c5, c6 };
			doc_row(ctx->doc, cells);
		}
	}
	doc_table_end(ctx->doc);
	json_decref(py);
}
