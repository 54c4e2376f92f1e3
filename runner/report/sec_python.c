/* report_python.c - the Python section: each multiprocessing mechanism beside the OS primitive
 * it sits on, measured by the C probes in the same run, and what Python adds on top; what a
 * Pipe delivers with nobody reading, and why; large data by mechanism.  One column per
 * interpreter when the run names interpreters. */
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
#include "common/util.h"

#include "ci.h"

/* Each mechanism, the OS primitive under it, and how many round trips of that primitive
 * one of its round trips holds at least: a Manager().Queue() round trip is a put and a get,
 * each a request to the manager process and its reply. */
static const struct {
	const char *mechanism, *transport, *what;
	int round_trips;
} layers[] = {
	{ "pipe_duplex", "unix-stream", "Pipe(duplex=True): an AF_UNIX stream socketpair", 1 },
	{ "pipe_simplex", "pipe", "Pipe(duplex=False): a pipe", 1 },
	{ "simple_queue", "pipe", "SimpleQueue: a pipe, a lock, pickling", 1 },
	{ "queue", "pipe", "Queue: a pipe, a feeder thread, pickling", 1 },
	{ "joinable_queue", "pipe", "JoinableQueue: Queue plus task accounting", 1 },
	{ "manager_queue", "unix-stream", "Manager().Queue(): a proxy to a manager process over "
					  "AF_UNIX sockets", 2 },
};

/* The columns: the interpreters the python records name, or one (NULL) when none. */
struct cols {
	json_t *names;	/* array of strings; empty: one column for every record */
	size_t n;
};

static struct cols columns(json_t *records)
{
	json_t *py = report_select(records, "python", NULL, NULL, NULL);
	struct cols c = { claims_interpreters(py), 0 };
	c.n = json_array_size(c.names) ? json_array_size(c.names) : 1;
	json_decref(py);
	return c;
}

static const char *col_name(struct cols *c, size_t k)
{
	return json_string_value(json_array_get(c->names, k));
}

/* Does r match: params.<key> == value (key NULL: any), params.size == size (< 0: any), and
 * the interpreter interp (NULL: any)? */
static int matches(json_t *r, const char *key, const char *value, json_int_t size,
		   const char *interp)
{
	json_t *p = json_object_get(r, "params");
	const char *in = json_string_value(json_object_get(r, "interpreter"));
	return (!key || !strcmp(json_string_value(json_object_get(p, key)) ?: "", value)) &&
	       (size < 0 || json_integer_value(json_object_get(p, "size")) == size) &&
	       (!interp || (in && !strcmp(in, interp)));
}

/* The median value of the ok records of probe/case/metric that match (see matches). */
static json_t *select_matching(json_t *records, const char *probe, const char *cas,
			       const char *transport, const char *metric, const char *key,
			       const char *value, json_int_t size, const char *interp);

static double med(json_t *records, const char *probe, const char *cas, const char *transport,
		  const char *metric, const char *key, const char *value, json_int_t size,
		  const char *interp)
{
	json_t *sel = select_matching(records, probe, cas, transport, metric, key, value, size,
				      interp);
	double m = report_median(sel);
	json_decref(sel);
	return m;
}

/* The first ok record of python/cas/metric for mechanism and interpreter (NULL if none). */
static json_t *first_rec(json_t *records, const char *cas, const char *metric,
			 const char *mechanism, const char *interp)
{
	json_t *all = report_select(records, "python", cas, NULL, metric), *r, *out = NULL;
	size_t i;
	json_array_foreach(all, i, r)
		if (!out && matches(r, "mechanism", mechanism, -1, interp))
			out = r;
	json_incref(out);
	json_decref(all);
	return out;
}

/* The median of recs' values over repetitions and its interval, as the tables give them. */
struct figure {
	double m;
	struct median_ci ci;
};

static struct figure figure_of(json_t *recs)
{
	struct figure f;
	f.m = report_median_ci(recs, &f.ci, NULL, NULL);
	return f;
}

/* The ok records of probe/case/metric that match (see matches), as a new array. */
static json_t *select_matching(json_t *records, const char *probe, const char *cas,
			       const char *transport, const char *metric, const char *key,
			       const char *value, json_int_t size, const char *interp)
{
	json_t *all = report_select(records, probe, cas, transport, metric);
	json_t *sel = json_array(), *r;
	size_t i;
	json_array_foreach(all, i, r)
		if (matches(r, key, value, size, interp))
			json_array_append(sel, r);
	json_decref(all);
	return sel;
}

/* A python record's placement: params.placement, "unpinned" in records from before the
 * Python probe had one (it did not pin). */
static const char *py_placement(json_t *r)
{
	return json_string_value(json_object_get(json_object_get(r, "params"), "placement")) ?:
	       "unpinned";
}

/* The records of sel (freed) whose placement is placement, as a new array. */
static json_t *placed(json_t *sel, const char *placement)
{
	json_t *out = json_array(), *r;
	size_t i;
	json_array_foreach(sel, i, r)
		if (!strcmp(py_placement(r), placement))
			json_array_append(out, r);
	json_decref(sel);
	return out;
}

/* The C probe's round trip over the primitive, placed as the Python figure's processes are.
 * No other placement stands in for it: a round trip on one CPU and one across two differ by
 * 10x on a VM, and their difference is not Python's. */
static struct figure primitive(json_t *records, const char *transport, json_int_t size,
			       const char *placement)
{
	json_t *sel = select_matching(records, "latency", "roundtrip", transport, "rtt",
				      "placement", placement, size, NULL);
	struct figure f = figure_of(sel);
	json_decref(sel);
	return f;
}

/* One interpreter's cell: its p50, and what Python adds over k round trips of the
 * primitive o, with the interval the two medians' intervals give the difference (its
 * coverage at least the sum of their levels less one); "not resolved" when it spans zero. */
static char *own_cost_cell(const struct figure *p, const struct figure *o, int k)
{
	char a[32], d[32], lo[32], hi[32];
	fmt_value(p->m, "ns", a, sizeof(a));
	if (isnan(p->m))
		return xasprintf("—");
	if (isnan(o->m))
		return xasprintf("%s", a);
	double diff = p->m - k * o->m, dlo = p->ci.lo - k * o->ci.hi, dhi = p->ci.hi - k * o->ci.lo;
	if (p->ci.n < 2 || o->ci.n < 2)
		return xasprintf("%s (own cost not resolved: %s)", a,
				 p->ci.n < 2 ? "under 2 undisturbed repetitions of Python's" :
					       "under 2 undisturbed repetitions of the primitive's");
	double level = fmax(0, p->ci.level + o->ci.level - 1);
	fmt_value(dlo, "ns", lo, sizeof(lo));
	fmt_value(dhi, "ns", hi, sizeof(hi));
	if (dlo <= 0 && dhi >= 0)
		return xasprintf("%s (own cost not resolved: [%s – %s] ≥%.0f%% spans 0)", a, lo,
				 hi, 100 * level);
	/* A layer on top cannot cost less than nothing: where Python's round trip is below its
	 * primitive's, the two differ by something other than Python (on a VM, how soon the
	 * other vCPU is woken depends on how busy each side was), and no cost is shown. */
	if (dhi < 0)
		return xasprintf("%s (own cost not resolved: below the primitive's, [%s – %s] "
				 "≥%.0f%%)", a, lo, hi, 100 * level);
	fmt_value(diff, "ns", d, sizeof(d));
	return xasprintf("%s (%s [%s – %s] ≥%.0f%%, %.0f%%)", a, d, lo, hi, 100 * level,
			 100 * diff / p->m);
}

/* The distinct sizes of the python latency records (at most max). */
static int latency_sizes(json_t *records, json_int_t *sizes, int max)
{
	json_t *py = report_select(records, "python", "latency", NULL, "rtt"), *r;
	size_t i;
	int ns = 0;
	json_array_foreach(py, i, r) {
		json_int_t s = json_integer_value(json_object_get(json_object_get(r, "params"), "size"));
		int seen = 0;
		for (int k = 0; k < ns; k++)
			seen |= sizes[k] == s;
		if (!seen && ns < max)
			sizes[ns++] = s;
	}
	json_decref(py);
	return ns;
}

/* The distinct placements of the python latency records, in the order first seen. */
static json_t *latency_placements(json_t *records)
{
	json_t *py = report_select(records, "python", "latency", NULL, "rtt"), *r;
	json_t *out = json_array();
	size_t i, k;
	json_array_foreach(py, i, r) {
		json_t *v;
		int seen = 0;
		json_array_foreach(out, k, v)
			seen |= !strcmp(json_string_value(v), py_placement(r));
		if (!seen)
			json_array_append_new(out, json_string(py_placement(r)));
	}
	json_decref(py);
	return out;
}

/* One row of the attribution: a mechanism at one size and placement, a cell per
 * interpreter. */
static void attribution_row(struct report_ctx *ctx, struct cols *c, unsigned l, json_int_t size,
			    const char *placement, char **cells)
{
	struct figure o = primitive(ctx->records, layers[l].transport, size, placement);
	int any = 0;
	char c1[32], c3[96], c4[48];
	for (size_t k = 0; k < c->n; k++) {
		json_t *sel = placed(select_matching(ctx->records, "python", "latency", NULL, "rtt",
						     "mechanism", layers[l].mechanism, size,
						     col_name(c, k)), placement);
		struct figure p = figure_of(sel);
		json_decref(sel);
		any |= !isnan(p.m);
		cells[k + 4] = own_cost_cell(&p, &o, layers[l].round_trips);
	}
	fmt_value((double)size, "bytes", c1, sizeof(c1));
	if (layers[l].round_trips > 1)
		snprintf(c3, sizeof(c3), "%d × %s (%s)", layers[l].round_trips,
			 layers[l].transport, placement);
	else
		snprintf(c3, sizeof(c3), "%s (%s)", layers[l].transport, placement);
	if (isnan(o.m))
		snprintf(c4, sizeof(c4), "not measured %s", placement);
	else
		fmt_value(o.m, "ns", c4, sizeof(c4));
	cells[0] = (char *)layers[l].what, cells[1] = c1, cells[2] = c3, cells[3] = c4;
	if (any)
		doc_row(ctx->doc, (const char *const *)cells);
	for (size_t k = 0; k < c->n; k++)
		free(cells[k + 4]);
	cells[1] = cells[2] = cells[3] = NULL;	/* this function's own buffers */
}

static void attribution_rows(struct report_ctx *ctx, struct cols *c, char **cells)
{
	json_int_t sizes[16];
	int ns = latency_sizes(ctx->records, sizes, 16);
	json_t *placements = latency_placements(ctx->records), *pl;
	size_t i;
	json_array_foreach(placements, i, pl)
		for (unsigned l = 0; l < sizeof(layers) / sizeof(layers[0]); l++)
			for (int s = 0; s < ns; s++)
				attribution_row(ctx, c, l, sizes[s], json_string_value(pl), cells);
	json_decref(placements);
}

static void layer_attribution(struct report_ctx *ctx, struct cols *c)
{
	doc_h3(ctx->doc, "Layer attribution: Python's own cost over the OS primitive");
	doc_p(ctx->doc, "Round trips (p50, medians over undisturbed repetitions) of each "
			"multiprocessing mechanism beside the C latency probe's round trip over the "
			"primitive under it, in the same run, at the same size and placed the same "
			"way (both processes on one CPU, on two, or unpinned; no other placement "
			"stands in for a missing one: add it to the latency entry). The difference "
			"is what Python adds over as many round trips of the primitive as the "
			"mechanism's path holds (Manager().Queue(): 2, a put and a get to the "
			"manager, which runs on the parent's CPU when the processes are pinned): the "
			"interpreter, the multiprocessing layer, pickling and threads. It is given "
			"with the interval the two medians' intervals allow (its level at least the "
			"sum of theirs less one), and \"not resolved\" when that interval spans zero. "
			"One column per interpreter: its p50, Python's own cost and its share.");
	const char **hd = calloc(c->n + 4, sizeof(char *));
	char (*heads)[96] = calloc(c->n, sizeof(*heads));
	hd[0] = "mechanism", hd[1] = "size", hd[2] = "OS primitive (placement)";
	hd[3] = "primitive p50";
	for (size_t k = 0; k < c->n; k++) {
		snprintf(heads[k], sizeof(heads[k]), "%s: p50 (own cost [interval], share)",
			 col_name(c, k) ?: "Python");
		hd[k + 4] = heads[k];
	}
	doc_table(ctx->doc, (int)c->n + 4, hd);
	char **cells = calloc(c->n + 4, sizeof(char *));
	attribution_rows(ctx, c, cells);
	doc_table_end(ctx->doc);
	free(cells);
	free(heads);
	free(hd);
}

static double num_fact(json_t *rec, const char *key)
{
	json_t *v = json_object_get(json_object_get(rec, "facts"), key);
	return json_is_number(v) ? json_number_value(v) : NAN;
}

/* Why a Pipe(duplex=False) delivers what it does, from the facts of its records: the
 * largest payload l, the header h, the pipe's capacity cap, the page, and q bytes queued
 * when a message of size stalled. */
static void explain_simplex(struct doc *d, json_t *big, json_t *queued)
{
	double l = json_number_value(json_object_get(big, "value"));
	double h = num_fact(big, "framing_header_bytes"), page = num_fact(big, "page_size");
	double cap = num_fact(big, "f_getpipe_sz"), own = num_fact(big, "header_in_own_write_above");
	char a[32], b[32], e[32];
	if (!isnan(cap) && l + h == cap)
		doc_p(d, "Pipe(duplex=False): send_bytes writes a %.0f-byte length header before "
			 "the payload, so with nobody reading the largest payload that completes is "
			 "the pipe's capacity less the header: %s = F_GETPIPE_SZ %s − %.0f.", h,
		      fmt_value(l, "bytes", a, sizeof(a)), fmt_value(cap, "bytes", b, sizeof(b)), h);
	else
		doc_p(d, "Pipe(duplex=False): with nobody reading, send_bytes completes up to %s "
			 "(F_GETPIPE_SZ %s, a %.0f-byte header per message).",
		      fmt_value(l, "bytes", a, sizeof(a)), fmt_value(cap, "bytes", b, sizeof(b)), h);
	if (!queued)
		return;
	double q = json_number_value(json_object_get(queued, "value"));
	double size = json_number_value(json_object_get(json_object_get(queued, "params"), "size"));
	fmt_value(size, "bytes", e, sizeof(e));
	if (!isnan(page) && page > 0 && size > own && q == cap - page + h)
		doc_p(d, "A message of %s stalls with only %s queued, not %s: above %.0f bytes "
			 "send_bytes writes the header and the payload in two write()s; the header "
			 "takes a page slot of the pipe to itself and the kernel does not merge a "
			 "whole-page write into it, so %.0f pages of payload follow it: %.0f × %.0f "
			 "+ %.0f. The queued figure is where a larger send stops, not the largest "
			 "that fits.", e, fmt_value(q, "bytes", a, sizeof(a)),
		      fmt_value(l + h, "bytes", b, sizeof(b)), own, cap / page - 1, cap / page - 1,
		      page, h);
	else
		doc_p(d, "A message of %s stalls with %s queued (header included).", e,
		      fmt_value(q, "bytes", a, sizeof(a)));
}

static void explain_duplex(struct doc *d, json_t *big, json_t *queued)
{
	double l = json_number_value(json_object_get(big, "value"));
	double h = num_fact(big, "framing_header_bytes"), snd = num_fact(big, "so_sndbuf");
	double rcv = num_fact(big, "so_rcvbuf_peer");
	char a[32], b[32], e[32], f[32];
	doc_p(d, "Pipe(duplex=True) is an AF_UNIX stream socketpair: with nobody reading, "
		 "send_bytes completes up to %s of payload (%s with its %.0f-byte header) against "
		 "SO_SNDBUF %s and the peer's SO_RCVBUF %s: what fits differs from SO_SNDBUF by "
		 "%+.0f bytes (a socket's buffer is accounted in kernel buffers, not payload bytes).",
	      fmt_value(l, "bytes", a, sizeof(a)), fmt_value(l + h, "bytes", b, sizeof(b)), h,
	      fmt_value(snd, "bytes", e, sizeof(e)), fmt_value(rcv, "bytes", f, sizeof(f)),
	      l + h - snd);
	if (!queued)
		return;
	double q = json_number_value(json_object_get(queued, "value"));
	double size = json_number_value(json_object_get(json_object_get(queued, "params"), "size"));
	doc_p(d, "A message of %s stalls with %s queued (header included)%s.",
	      fmt_value(size, "bytes", a, sizeof(a)), fmt_value(q, "bytes", b, sizeof(b)),
	      q == l + h ? ": the same bytes as the largest payload that completes, plus its header" :
			   "");
}

/* What a Pipe delivers with nobody reading, per kind and interpreter, and why. */
static void no_reader(struct report_ctx *ctx, struct cols *c)
{
	static const char *const kinds[] = { "pipe_duplex", "pipe_simplex" };
	json_t *any = report_select(ctx->records, "python", "blocking", NULL, "largest_no_reader");
	size_t na = json_array_size(any);
	json_decref(any);
	if (!na)
		return;
	doc_h3(ctx->doc, "The largest send_bytes with nobody reading");
	doc_p(ctx->doc, "Found by trying, a fresh Pipe per try with its sending end non-blocking "
			"(no try can hang), and the answer and one byte more checked again in "
			"blocking mode; beside it the bytes queued when a larger send stalls.");
	const char **hd = calloc(c->n + 2, sizeof(char *));
	hd[0] = "Pipe", hd[1] = "figure";
	for (size_t k = 0; k < c->n; k++)
		hd[k + 2] = col_name(c, k) ?: "value";
	doc_table(ctx->doc, (int)c->n + 2, hd);
	char **cells = calloc(c->n + 2, sizeof(char *));
	for (int m = 0; m < 2; m++) {
		static const char *const metrics[] = { "largest_no_reader",
						       "bytes_queued_when_blocked" };
		for (int f = 0; f < 2; f++) {
			cells[0] = (char *)kinds[m], cells[1] = (char *)metrics[f];
			for (size_t k = 0; k < c->n; k++) {
				char v[32];
				fmt_value(med(ctx->records, "python", "blocking", NULL, metrics[f],
					       "mechanism", kinds[m], -1, col_name(c, k)),
					   "bytes", v, sizeof(v));
				cells[k + 2] = xasprintf("%s", v);
			}
			doc_row(ctx->doc, (const char *const *)cells);
			for (size_t k = 0; k < c->n; k++)
				free(cells[k + 2]);
		}
	}
	doc_table_end(ctx->doc);
	free(cells);
	free(hd);
	for (int m = 0; m < 2; m++) {
		json_t *big = first_rec(ctx->records, "blocking", "largest_no_reader", kinds[m],
					col_name(c, 0));
		json_t *q = first_rec(ctx->records, "blocking", "bytes_queued_when_blocked",
				      kinds[m], col_name(c, 0));
		if (big && m)
			explain_simplex(ctx->doc, big, q);
		else if (big)
			explain_duplex(ctx->doc, big, q);
		json_decref(big);
		json_decref(q);
	}
}

/* One row of a figure table: the figure's metric, its unit and the words of its row. */
struct figure_row {
	const char *metric, *unit, *what;
};

/* A cell of a figure table: row's figure for interpreter interp (NULL: any), a new string. */
typedef char *figure_cell(json_t *records, const char *cas, const struct figure_row *row,
			  const char *interp);

/* The median over repetitions of row's metric. */
static char *median_cell(json_t *records, const char *cas, const struct figure_row *row,
			 const char *interp)
{
	char v[32];
	fmt_value(med(records, "python", cas, NULL, row->metric, NULL, NULL, -1, interp),
		  row->unit, v, sizeof(v));
	return xasprintf("%s", v);
}

/* A table of python/cas figures, a row each, a column per interpreter (head: the first
 * column's header; one: the header of the only column when the run names no interpreter);
 * each cell what cell makes of it. */
static void figure_table(struct report_ctx *ctx, struct cols *c, const char *cas,
			 const char *head, const char *one, const struct figure_row *rows,
			 size_t nrows, figure_cell *cell)
{
	const char **hd = calloc(c->n + 1, sizeof(char *));
	hd[0] = head;
	for (size_t k = 0; k < c->n; k++)
		hd[k + 1] = col_name(c, k) ?: one;
	doc_table(ctx->doc, (int)c->n + 1, hd);
	char **cells = calloc(c->n + 1, sizeof(char *));
	for (size_t m = 0; m < nrows; m++) {
		cells[0] = (char *)rows[m].what;
		for (size_t k = 0; k < c->n; k++)
			cells[k + 1] = cell(ctx->records, cas, &rows[m], col_name(c, k));
		doc_row(ctx->doc, (const char *const *)cells);
		for (size_t k = 0; k < c->n; k++)
			free(cells[k + 1]);
	}
	doc_table_end(ctx->doc);
	free(cells);
	free(hd);
}

/* Whether the run has an ok python/cas record of metric (NULL: any). */
static int measured(struct report_ctx *ctx, const char *cas, const char *metric)
{
	json_t *any = report_select(ctx->records, "python", cas, NULL, metric);
	size_t n = json_array_size(any);
	json_decref(any);
	return n > 0;
}

/* The mechanisms of large_data, in the order of the tables. */
static const struct figure_row ld_rows[] = {
	{ "shared_memory_reused_in_place", "ns", "shared_memory_reused_in_place" },
	{ "shared_memory_reused", "ns", "shared_memory_reused" },
	{ "shared_memory_fresh_in_place", "ns", "shared_memory_fresh_in_place" },
	{ "shared_memory_fresh", "ns", "shared_memory_fresh" },
	{ "pipe_send_bytes", "ns", "pipe_send_bytes" },
	{ "queue_put", "ns", "queue_put" },
	{ "temp_file", "ns", "temp_file" },
	{ "control_round_trip", "ns", "control_round_trip (the token and its ack alone)" },
	{ "shared_memory_create", "ns", "shared_memory_create" },
};
#define LD_HANDOVERS 8	/* the rows above that are hand-overs, with faults counted */

/* "S / R": the minor page faults per hand-over of row's metric, sender and receiver (medians
 * over repetitions of the records' per-round medians). */
static char *faults_cell(json_t *records, const char *cas, const struct figure_row *row,
			 const char *interp)
{
	json_t *sel = select_matching(records, "python", cas, NULL, row->metric, NULL, NULL, -1,
				      interp);
	double s = report_median_field(sel, "facts", "sender_minor_faults");
	double r = report_median_field(sel, "facts", "receiver_minor_faults");
	json_decref(sel);
	if (isnan(s) || isnan(r))
		return xasprintf("—");
	return xasprintf("%.0f / %.0f", s, r);
}

/* large_data: each mechanism's hand-over per interpreter, and the page faults in one. */
static void large_data(struct report_ctx *ctx, struct cols *c)
{
	if (!measured(ctx, "large_data", NULL))
		return;
	doc_h3(ctx->doc, "Large data: one hand-over by mechanism");
	doc_p(ctx->doc, "From the sender holding the bytes to the receiver holding them (medians "
			"of the repetitions' medians; the mechanisms interleaved round by round). "
			"Every receiver copies into a buffer it allocated and faulted in before "
			"timing, except where it reads the block in place (one byte per page) and "
			"Queue's, whose get() makes a new object. shared_memory_reused is a block "
			"created once, its pages faulted in on both sides before timing; "
			"shared_memory_fresh creates one per hand-over; control_round_trip is the "
			"token and its acknowledgement alone, the part of a shared_memory hand-over "
			"that is not a copy; shared_memory_create is creating a block and faulting "
			"its pages alone. The claims are judged on the reused block read in place, "
			"copied out, and a fresh block.");
	figure_table(ctx, c, "large_data", "mechanism", "p50", ld_rows,
		     sizeof(ld_rows) / sizeof(ld_rows[0]), median_cell);
	doc_p(ctx->doc, "Minor page faults in one hand-over, sender / receiver (getrusage, every "
			"thread of the process; a page is 4 KiB, so 64 MiB is 16,384 pages): a "
			"fresh block is faulted in on both sides. Where Pipe's receiver faults, it "
			"does so although it reads with recv_bytes_into into its own buffer: those "
			"are multiprocessing's own allocations (its Connection reads through "
			"temporary bytes objects).");
	figure_table(ctx, c, "large_data", "mechanism", "minor faults, sender / receiver", ld_rows,
		     LD_HANDOVERS, faults_cell);
}

/* queue_put: did every put return with nobody consuming (the claim), and the longest put,
 * with and without a consumer: the stall is not about the consumer. */
static void queue_put(struct report_ctx *ctx, struct cols *c)
{
	static const struct figure_row rows[] = {
		{ "puts_blocked", "count", "puts that blocked (raised queue.Full), no consumer" },
		{ "put_latency", "ns", "one put, p50, no consumer" },
		{ "longest_put", "ns", "Longest put, no consumer" },
		{ "put_latency_consumer", "ns", "one put, p50, with a consumer" },
		{ "longest_put_consumer", "ns", "Longest put, with a consumer" },
	};
	if (!measured(ctx, "queue_put", "puts_blocked"))
		return;
	doc_h3(ctx->doc, "Queue.put: does it return with nobody consuming?");
	doc_p(ctx->doc, "n puts of one size-byte bytes object into an unbounded Queue, timed one "
			"by one (medians over repetitions): with nobody consuming, and again while a "
			"child process takes every item as it comes. A put that waits block_wait and "
			"raises queue.Full is one that blocked; the claim is judged on those. The "
			"longest put is its own figure (facts.slowest_puts names which puts were "
			"slowest): when it is as long with a consumer as without, it is not waiting "
			"for one.");
	figure_table(ctx, c, "queue_put", "figure", "median", rows,
		     sizeof(rows) / sizeof(rows[0]), median_cell);
}

void report_python(struct report_ctx *ctx)
{
	struct cols c = columns(ctx->records);
	layer_attribution(ctx, &c);
	no_reader(ctx, &c);
	queue_put(ctx, &c);
	large_data(ctx, &c);
	json_decref(c.names);
}
