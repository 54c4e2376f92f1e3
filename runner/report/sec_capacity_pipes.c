/* sec_capacity_pipes.c - the capacity section's part on how a pipe is sized: what
 * F_SETPIPE_SZ grants for a few requests.  A fact: the first repetition shows it. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/vocab.h"
#include "report/doc.h"
#include "report/lookup.h"
#include "report/section.h"

#define ROUND_COLS 8
#define ROUND_ROWS 32

static long long int_at(json_t *o, const char *key)
{
	return (long long)json_integer_value(json_object_get(o, key));
}

/* "8 KiB (2 pages)": bytes, and what that is in pages of page bytes. */
static const char *size_pages(long long bytes, long long page, char *buf, size_t len)
{
	char s[64];
	fmt_value((double)bytes, "bytes", s, sizeof(s));
	if (page > 0 && bytes % page == 0)
		snprintf(buf, len, "%s (%lld page%s)", s, bytes / page, bytes == page ? "" : "s");
	else
		snprintf(buf, len, "%s", s);
	return buf;
}

/* "refused: EPERM (Operation not permitted)" for {"errno", "message"}. */
static const char *refused(json_t *err, char *buf, size_t len)
{
	snprintf(buf, len, "refused: %s (%s)", json_str_or(err, "errno", "?"),
		 json_str_or(err, "message", "?"));
	return buf;
}

/* The case's records that did not measure (first repetition), each said in one line. */
static void not_measured(struct report_ctx *ctx, const char *cas)
{
	json_t *r;
	size_t i;
	json_array_foreach(ctx->records, i, r) {
		if (!str_is(r, "probe", "capacity") || !str_is(r, "case", cas) ||
		    str_is(r, "status", "ok") || int_at(r, "rep") != 0)
			continue;
		const char *tr = json_string_value(json_object_get(r, "transport"));
		const char *priv = json_string_value(json_object_get(json_object_get(r, "params"),
								     "privilege"));
		doc_p(ctx->doc, "%s%s%s%s%s%s: %s: %s", cas, tr ? " over " : "", tr ? tr : "",
		      priv ? " (" : "", priv ? priv : "", priv ? ")" : "",
		      json_str_or(r, "status", "?"), json_str_or(r, "reason", ""));
	}
}

/* ---- setpipe_rounding -------------------------------------------------------------------- */

/* The records to show, a column each: the first repetition of each transport and process. */
static int rounding_cols(json_t *recs, json_t **cols, int max)
{
	json_t *r;
	size_t i;
	int n = 0;
	json_array_foreach(recs, i, r) {
		json_t *f = json_object_get(r, "facts");
		int seen = 0;
		for (int k = 0; k < n; k++)
			seen |= str_is(cols[k], "transport", json_string_value(json_object_get(r,
				"transport"))) && str_is(json_object_get(cols[k], "facts"), "process",
				json_string_value(json_object_get(f, "process")));
		if (!seen && n < max)
			cols[n++] = r;
	}
	return n;
}

static int cmp_ll(const void *a, const void *b)
{
	long long x = *(const long long *)a, y = *(const long long *)b;
	return (x > y) - (x < y);
}

/* Every size requested in any column, ascending, each once. */
static int rounding_rows(json_t **cols, int nc, long long *req, int max)
{
	int n = 0;
	for (int c = 0; c < nc; c++) {
		json_t *q;
		size_t i;
		json_array_foreach(json_object_get(json_object_get(cols[c], "facts"), "requests"),
				   i, q) {
			long long v = int_at(q, "requested");
			int seen = 0;
			for (int k = 0; k < n; k++)
				seen |= req[k] == v;
			if (!seen && n < max)
				req[n++] = v;
		}
	}
	qsort(req, (size_t)n, sizeof(*req), cmp_ll);
	return n;
}

/* What col granted for a request of want bytes: its size and pages, or the errno. */
static void rounding_cell(json_t *col, long long want, char *buf, size_t len)
{
	json_t *f = json_object_get(col, "facts"), *q;
	size_t i;
	snprintf(buf, len, "—");
	json_array_foreach(json_object_get(f, "requests"), i, q) {
		if (int_at(q, "requested") != want)
			continue;
		if (json_is_object(json_object_get(q, "refused")))
			refused(json_object_get(q, "refused"), buf, len);
		else
			size_pages(int_at(q, "granted"), int_at(f, "page_size"), buf, len);
	}
}

static void rounding_table(struct report_ctx *ctx)
{
	json_t *recs = report_select(ctx->records, "capacity", "setpipe_rounding", NULL,
				     "smallest_size"), *cols[ROUND_COLS];
	int nc = rounding_cols(recs, cols, ROUND_COLS);
	long long req[ROUND_ROWS];
	int nr = rounding_rows(cols, nc, req, ROUND_ROWS);
	doc_h3(ctx->doc, "What F_SETPIPE_SZ grants");
	if (nc > 0) {
		json_t *f = json_object_get(cols[0], "facts");
		char page[32], max[64];
		fmt_value((double)int_at(f, "page_size"), "bytes", page, sizeof(page));
		fmt_value(json_is_integer(json_object_get(f, "pipe_max_size")) ?
			  (double)int_at(f, "pipe_max_size") : NAN, "bytes", max, sizeof(max));
		doc_p(ctx->doc, "Each request on a fresh pipe: the size F_SETPIPE_SZ granted (and the "
				"pages that is, of %s), or the error it refused with; pipe-max-size "
				"is %s. A column per transport and process (unprivileged: a child "
				"without CAP_SYS_RESOURCE and CAP_SYS_ADMIN).", page, max);
		char head[ROUND_COLS + 1][96], cell[ROUND_COLS + 1][128];
		const char *hd[ROUND_COLS + 1] = { "requested" }, *cells[ROUND_COLS + 1];
		for (int c = 0; c < nc; c++) {
			snprintf(head[c + 1], sizeof(head[c + 1]), "%s, %s: granted",
				 json_str_or(cols[c], "transport", "?"),
				 json_str_or(json_object_get(cols[c], "facts"), "process", "?"));
			hd[c + 1] = head[c + 1];
		}
		doc_table(ctx->doc, nc + 1, hd);
		for (int k = 0; k < nr; k++) {
			cells[0] = fmt_value((double)req[k], "bytes", cell[0], sizeof(cell[0]));
			for (int c = 0; c < nc; c++) {
				rounding_cell(cols[c], req[k], cell[c + 1], sizeof(cell[c + 1]));
				cells[c + 1] = cell[c + 1];
			}
			doc_row(ctx->doc, cells);
		}
		doc_table_end(ctx->doc);
	}
	not_measured(ctx, "setpipe_rounding");
	json_decref(recs);
}

/* Is there a record of the capacity probe's case cas, whatever its status? */
static int ran(json_t *records, const char *cas)
{
	json_t *r;
	size_t i;
	json_array_foreach(records, i, r)
		if (str_is(r, "probe", "capacity") && str_is(r, "case", cas))
			return 1;
	return 0;
}

void report_capacity_pipes(struct report_ctx *ctx)
{
	if (ran(ctx->records, "setpipe_rounding"))
		rounding_table(ctx);
}
