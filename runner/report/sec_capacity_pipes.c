/* sec_capacity_pipes.c - the capacity section's part on how a pipe is sized: what
 * F_SETPIPE_SZ grants for a few requests, and what happens to a user's pipes past
 * pipe-user-pages-soft.  Both are facts: the first repetition of each shows them. */
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

/* ---- pipe_user_pages --------------------------------------------------------------------- */

static void fact_row(struct report_ctx *ctx, const char *what, const char *value)
{
	const char *cells[2] = { what, value };
	doc_row(ctx->doc, cells);
}

/* "granted 4 KiB (1 page)" or "refused: EPERM (...)" for {"granted"} / {"refused"}; "—". */
static const char *outcome(json_t *o, long long page, char *buf, size_t len)
{
	char s[96];
	if (json_is_object(json_object_get(o, "refused")))
		return refused(json_object_get(o, "refused"), buf, len);
	if (!json_is_integer(json_object_get(o, "granted")))
		return snprintf(buf, len, "—"), buf;
	snprintf(buf, len, "granted %s", size_pages(int_at(o, "granted"), page, s, sizeof(s)));
	return buf;
}

/* The sizes the later pipes got: "8 KiB (2 pages) each, 8 pipes", or each of them. */
static void later_cell(json_t *later, long long page, char *buf, size_t len)
{
	json_t *v;
	size_t i, at = 0;
	int same = 1;
	char s[64];
	json_array_foreach(later, i, v)
		same &= json_integer_value(v) == json_integer_value(json_array_get(later, 0));
	if (json_array_size(later) == 0 || same) {
		snprintf(buf, len, "%s each, %zu pipes", json_array_size(later) ?
			 size_pages(json_integer_value(json_array_get(later, 0)), page, s, sizeof(s)) :
			 "—", json_array_size(later));
		return;
	}
	buf[0] = '\0';
	json_array_foreach(later, i, v)
		if (at < len)
			at += (size_t)snprintf(buf + at, len - at, "%s%s", i ? ", " : "",
					       size_pages(json_integer_value(v), page, s, sizeof(s)));
}

/* The rows about the smaller pipes: what they get, hold, and what F_SETPIPE_SZ does. */
static void reduced_rows(struct report_ctx *ctx, json_t *f, long long page)
{
	char b[256], s[160], d[64];
	json_t *grow = json_object_get(f, "grow_refused");
	size_pages(int_at(f, "default_size"), page, d, sizeof(d));
	fact_row(ctx, "the first new pipe past the soft limit gets",
		 size_pages(int_at(f, "reduced_size"), page, b, sizeof(b)));
	later_cell(json_object_get(f, "later_sizes"), page, b, sizeof(b));
	fact_row(ctx, "the new pipes after it get", b);
	snprintf(b, sizeof(b), "%s", json_is_integer(json_object_get(f, "reduced_accepts")) ?
		 size_pages(int_at(f, "reduced_accepts"), page, s, sizeof(s)) : "—");
	snprintf(s, sizeof(s), "one non-blocking write of %s into the first of them gets in", d);
	fact_row(ctx, s, b);
	snprintf(s, sizeof(s), "the first of them asked (F_SETPIPE_SZ) for %s", d);
	fact_row(ctx, s, outcome(json_object_get(f, "reduced_raised_to_default"), page, b,
				 sizeof(b)));
	fact_row(ctx, "the next asked for one page",
		 outcome(json_object_get(f, "reduced_shrunk_to_page"), page, b, sizeof(b)));
	if (json_is_object(grow)) {
		char e[160];
		snprintf(b, sizeof(b), "%s from %lld pipes held on (each grown and put back "
			 "before)", refused(json_object_get(grow, "error"), e, sizeof(e)),
			 int_at(grow, "pipes_held"));
	} else {
		snprintf(b, sizeof(b), "granted at every count");
	}
	snprintf(s, sizeof(s), "a held pipe asked for twice %s", d);
	fact_row(ctx, s, b);
}

/* The rows about the user and the older pipes. */
static void user_rows(struct report_ctx *ctx, json_t *r, long long page)
{
	json_t *f = json_object_get(r, "facts"), *o = json_object_get(f, "pages_of_others");
	char b[320], s[64];
	fact_row(ctx, "the first pipe at the end",
		 json_is_integer(json_object_get(f, "first_pipe_size_after")) ?
		 size_pages(int_at(f, "first_pipe_size_after"), page, b, sizeof(b)) : "—");
	fact_row(ctx, "a new pipe once the smaller ones and one full one were closed",
		 json_is_integer(json_object_get(f, "new_pipe_after_closing")) ?
		 size_pages(int_at(f, "new_pipe_after_closing"), page, b, sizeof(b)) : "—");
	snprintf(s, sizeof(s), "%lld", int_at(o, "at_most"));
	snprintf(b, sizeof(b), "%lld to %s pages", int_at(o, "at_least"),
		 json_is_integer(json_object_get(o, "at_most")) ? s : "?");
	fact_row(ctx, "pipe pages the uid's other processes held meanwhile (a new pipe comes "
		      "smaller once the user's pages with it pass the soft limit)", b);
	snprintf(b, sizeof(b), "uid %lld: %s", int_at(f, "uid"),
		 json_str_or(f, "privilege_in_force", "?"));
	fact_row(ctx, "measured as", b);
	json_t *fds = json_object_get(f, "fds_open");
	snprintf(b, sizeof(b), "%lld before, %lld after (RLIMIT_NOFILE %s)", int_at(fds, "before"),
		 int_at(fds, "after"), json_text(f, "rlimit_nofile"));
	fact_row(ctx, "descriptors open in the child", b);
}

static void user_pages_table(struct report_ctx *ctx)
{
	json_t *recs = report_select(ctx->records, "capacity", "pipe_user_pages", NULL,
				     "pipes_at_full_size");
	json_t *r = json_array_get(recs, 0), *f = json_object_get(r, "facts");
	static const char *const hd[] = { "fact", "value" };
	doc_h3(ctx->doc, "A user's pipes past pipe-user-pages-soft");
	if (r) {
		long long page = int_at(f, "page_size"), soft = int_at(f, "pipe_user_pages_soft");
		char b[256], s[128];
		doc_p(ctx->doc, "An unprivileged process opens pipes one by one until a new one "
				"comes smaller than a fresh pipe of the probe's own user; every pipe "
				"is closed again before it reports.");
		doc_table(ctx->doc, 2, hd);
		char d[64];
		snprintf(b, sizeof(b), "%.0f, holding %lld pages",
			 json_number_value(json_object_get(r, "value")), int_at(f, "pages_held"));
		snprintf(s, sizeof(s), "pipes held at %s when a new one came smaller",
			 size_pages(int_at(f, "default_size"), page, d, sizeof(d)));
		fact_row(ctx, s, b);
		snprintf(b, sizeof(b), "%lld pages, %.0f pipes of the default size", soft,
			 json_number_value(json_object_get(json_object_get(r, "os_reported"),
							   "value")));
		fact_row(ctx, "pipe-user-pages-soft", b);
		snprintf(b, sizeof(b), "%s", int_at(f, "pipe_user_pages_hard") ? json_text(f,
			 "pipe_user_pages_hard") : "0 (no hard limit)");
		fact_row(ctx, "pipe-user-pages-hard (pages)", b);
		reduced_rows(ctx, f, page);
		user_rows(ctx, r, page);
		doc_table_end(ctx->doc);
	}
	not_measured(ctx, "pipe_user_pages");
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
	if (ran(ctx->records, "pipe_user_pages"))
		user_pages_table(ctx);
}
