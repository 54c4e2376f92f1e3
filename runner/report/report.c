/* report.c - `ipcprobe report DIR`: report.html (one self-contained file, charts inline) and
 * report.md (charts beside it) from a run directory.  Measuring is the probes' business;
 * this only reads records, writes the data files gnuplot draws, and lays out tables. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cli/commands.h"
#include "exec/exec.h"
#include "timing.h"
#include "param.h"
#include "store/records.h"
#include "report/report.h"
#include "common/util.h"

/* ---- a growing string ------------------------------------------------------------------ */

struct sbuf {
	char *s;
	size_t len, cap;
};

static void sb_add(struct sbuf *b, const char *s, size_t n)
{
	if (b->len + n + 1 > b->cap) {
		size_t cap = b->cap ? b->cap : 4096;
		while (b->len + n + 1 > cap)
			cap *= 2;
		char *t = realloc(b->s, cap);
		if (!t)
			abort();
		b->s = t;
		b->cap = cap;
	}
	memcpy(b->s + b->len, s, n);
	b->len += n;
	b->s[b->len] = '\0';
}

static void sb_puts(struct sbuf *b, const char *s)
{
	sb_add(b, s, strlen(s));
}

static void sb_vprintf(struct sbuf *b, const char *fmt, va_list ap)
	__attribute__((format(printf, 2, 0)));
static void sb_vprintf(struct sbuf *b, const char *fmt, va_list ap)
{
	char *s = NULL;
	int n = vasprintf(&s, fmt, ap);
	if (n < 0)
		abort();
	sb_add(b, s, (size_t)n);
	free(s);
}

static void sb_printf(struct sbuf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void sb_printf(struct sbuf *b, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	sb_vprintf(b, fmt, ap);
	va_end(ap);
}

static void sb_html(struct sbuf *b, const char *s)
{
	for (; s && *s; s++) {
		switch (*s) {
		case '<': sb_puts(b, "&lt;"); break;
		case '>': sb_puts(b, "&gt;"); break;
		case '&': sb_puts(b, "&amp;"); break;
		case '"': sb_puts(b, "&quot;"); break;
		default: sb_add(b, s, 1);
		}
	}
}

static void sb_md(struct sbuf *b, const char *s)
{
	for (; s && *s; s++) {
		if (*s == '|')
			sb_puts(b, "\\|");
		else if (*s == '\n')
			sb_puts(b, " ");
		else
			sb_add(b, s, 1);
	}
}

/* ---- the document ------------------------------------------------------------------------ */

struct doc {
	struct sbuf html, md;
	int ncols;
};

void doc_h2(struct doc *d, const char *title)
{
	sb_puts(&d->html, "<h2>");
	sb_html(&d->html, title);
	sb_puts(&d->html, "</h2>\n");
	sb_printf(&d->md, "\n## %s\n\n", title);
}

void doc_h3(struct doc *d, const char *title)
{
	sb_puts(&d->html, "<h3>");
	sb_html(&d->html, title);
	sb_puts(&d->html, "</h3>\n");
	sb_printf(&d->md, "\n### %s\n\n", title);
}

void doc_p(struct doc *d, const char *fmt, ...)
{
	struct sbuf t = { 0 };
	va_list ap;
	va_start(ap, fmt);
	sb_vprintf(&t, fmt, ap);
	va_end(ap);
	sb_puts(&d->html, "<p>");
	sb_html(&d->html, t.s);
	sb_puts(&d->html, "</p>\n");
	sb_printf(&d->md, "%s\n\n", t.s);
	free(t.s);
}

void doc_table(struct doc *d, int ncols, const char *const *headers)
{
	d->ncols = ncols;
	sb_puts(&d->html, "<table>\n<tr>");
	sb_puts(&d->md, "|");
	for (int i = 0; i < ncols; i++) {
		sb_puts(&d->html, "<th>");
		sb_html(&d->html, headers[i]);
		sb_puts(&d->html, "</th>");
		sb_puts(&d->md, " ");
		sb_md(&d->md, headers[i]);
		sb_puts(&d->md, " |");
	}
	sb_puts(&d->html, "</tr>\n");
	sb_puts(&d->md, "\n|");
	for (int i = 0; i < ncols; i++)
		sb_puts(&d->md, "---|");
	sb_puts(&d->md, "\n");
}

void doc_row(struct doc *d, const char *const *cells)
{
	sb_puts(&d->html, "<tr>");
	sb_puts(&d->md, "|");
	for (int i = 0; i < d->ncols; i++) {
		const char *c = cells[i] && *cells[i] ? cells[i] : "—";
		const char *cls = !strcmp(c, "ok") ? " class=ok" :
				  !strcmp(c, "unsupported") ? " class=unsup" :
				  (!strcmp(c, "failed") || !strcmp(c, "timeout")) ? " class=bad" : "";
		sb_printf(&d->html, "<td%s>", cls);
		sb_html(&d->html, c);
		sb_puts(&d->html, "</td>");
		sb_puts(&d->md, " ");
		sb_md(&d->md, c);
		sb_puts(&d->md, " |");
	}
	sb_puts(&d->html, "</tr>\n");
	sb_puts(&d->md, "\n");
}

void doc_table_end(struct doc *d)
{
	sb_puts(&d->html, "</table>\n");
	sb_puts(&d->md, "\n");
}

void doc_chart(struct doc *d, const char *dir, const char *name, const char *alt)
{
	char path[PATH_MAX], err[256];
	snprintf(path, sizeof(path), "%s/plots/%s.svg", dir, name);
	char *svg = read_file_max(path, SIZE_MAX / 2, RF_NOFOLLOW, NULL, err, sizeof(err));
	char *start = svg ? strstr(svg, "<svg") : NULL;
	if (start) {
		sb_puts(&d->html, "<figure>");
		sb_puts(&d->html, start);
		sb_puts(&d->html, "<figcaption>");
		sb_html(&d->html, alt);
		sb_puts(&d->html, "</figcaption></figure>\n");
		sb_printf(&d->md, "![%s](plots/%s.png)\n\n", alt, name);
	} else {
		doc_p(d, "(chart %s not drawn: gnuplot is missing or failed; run make deps)", name);
	}
	free(svg);
}

/* ---- records ----------------------------------------------------------------------------- */

static int str_is(json_t *o, const char *key, const char *want)
{
	const char *s = json_string_value(json_object_get(o, key));
	return want == NULL || (s && strcmp(s, want) == 0);
}

json_t *report_select(json_t *records, const char *probe, const char *cas,
		      const char *transport, const char *metric)
{
	json_t *out = json_array(), *r;
	size_t i;
	json_array_foreach(records, i, r) {
		if (str_is(r, "probe", probe) && str_is(r, "case", cas) &&
		    str_is(r, "transport", transport) && str_is(r, "metric", metric) &&
		    str_is(r, "status", "ok"))
			json_array_append(out, r);
	}
	return out;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

double report_median(json_t *recs)
{
	size_t n = json_array_size(recs), k = 0, i;
	json_t *r;
	if (n == 0)
		return NAN;
	double *v = malloc(n * sizeof(*v));
	json_array_foreach(recs, i, r)
		if (json_is_number(json_object_get(r, "value")))
			v[k++] = json_number_value(json_object_get(r, "value"));
	double m = NAN;
	if (k) {
		qsort(v, k, sizeof(*v), cmp_double);
		m = k % 2 ? v[k / 2] : (v[k / 2 - 1] + v[k / 2]) / 2;
	}
	free(v);
	return m;
}

const char *report_fmt(double v, const char *unit, char *buf, size_t len)
{
	if (isnan(v))
		snprintf(buf, len, "—");
	else if (!strcmp(unit, "bytes"))
		fmt_size((int64_t)llround(v), buf, len);
	else if (!strcmp(unit, "ns"))
		fmt_duration((int64_t)llround(v), buf, len);
	else if (!strcmp(unit, "bytes_per_s"))
		snprintf(buf, len, v >= 1e9 ? "%.3g GB/s" : "%.3g MB/s", v >= 1e9 ? v / 1e9 : v / 1e6);
	else if (!strcmp(unit, "ops_per_s"))
		snprintf(buf, len, "%.3g ops/s", v);
	else if (!strcmp(unit, "ratio"))
		snprintf(buf, len, "%.3gx", v);
	else
		snprintf(buf, len, "%.6g", v);
	return buf;
}

/* The median over recs of dist.<key> where it is a number. */
static double dist_median(json_t *recs, const char *key)
{
	json_t *vals = json_array(), *r;
	size_t i;
	json_array_foreach(recs, i, r) {
		json_t *v = json_object_get(json_object_get(r, "dist"), key);
		if (json_is_number(v))
			json_array_append_new(vals, json_pack("{s:O}", "value", v));
	}
	double m = report_median(vals);
	json_decref(vals);
	return m;
}

const char *report_fmt_tail(json_t *recs, const char *key, const char *unit, char *buf,
			    size_t len)
{
	double v = dist_median(recs, key), n = dist_median(recs, "n");
	if (!isnan(v) || isnan(n) || n < 1)
		return report_fmt(v, unit, buf, len);
	char mx[48];
	snprintf(buf, len, "n too small (n %.0f): = max %s", n,
		 report_fmt(dist_median(recs, "max"), unit, mx, sizeof(mx)));
	return buf;
}

json_t *report_transports(json_t *recs)
{
	json_t *out = json_array(), *r, *t;
	size_t i, k;
	json_array_foreach(recs, i, r) {
		const char *tr = json_string_value(json_object_get(r, "transport"));
		int seen = 0;
		if (!tr)
			continue;
		json_array_foreach(out, k, t)
			seen |= !strcmp(json_string_value(t), tr);
		if (!seen)
			json_array_append_new(out, json_string(tr));
	}
	return out;
}

/* plots/ inside a run directory: made, or accepted when it is a real directory; a link or a
 * file planted there is refused (nothing is ever written through it). */
int report_plots_dir(struct report_ctx *ctx, char *plots, size_t len)
{
	snprintf(plots, len, "%s/plots", ctx->dir);
	if (mkdir_p(ctx->dir, 0755) == 0 && subdir_here(plots) == 0)
		return 0;
	if (!ctx->err[0])
		snprintf(ctx->err, sizeof(ctx->err), "charts: %.900s: %s", plots,
			 errno == ELOOP ? "is a symbolic link; refusing to write through it (remove "
					  "it, or report a copy of the run directory)" :
			 errno == ENOTDIR ? "is not a directory; remove it" : strerror(errno));
	return -1;
}

#define GNUPLOT_DEADLINE_NS (60LL * 1000000000)

/* Run gnuplot with its working files in a private directory (mkdtemp, inside plots/ so that
 * rename works): it writes name.svg and name.png there, its chatter goes to name.log there,
 * and nothing it writes can follow a link planted in the run directory. */
static int run_gnuplot(const char *gp, const char *exprs, const char *log)
{
	int logfd = open(log, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644);
	if (logfd < 0)
		return -1;
	fflush(NULL);	/* the child must not print our buffered output again */
	pid_t pid = fork();
	if (pid == 0) {
		int null = open("/dev/null", O_WRONLY);
		if (null < 0 || dup2(null, 1) < 0 || dup2(logfd, 2) < 0)
			_exit(126);
		execlp("gnuplot", "gnuplot", "-e", exprs, gp, (char *)NULL);
		_exit(127);
	}
	close(logfd);
	if (pid < 0)
		return -1;
	/* Bounded: a gnuplot that hangs is killed after GNUPLOT_DEADLINE_NS, and one drawing
	 * while the run is being stopped is stopped with it. */
	int st = -1;
	int64_t deadline = now_ns() + GNUPLOT_DEADLINE_NS;
	while (waitpid(pid, &st, WNOHANG) == 0) {
		if (exec_stop_signal || now_ns() > deadline)
			kill(pid, now_ns() > deadline + 1000000000 ? SIGKILL : SIGTERM);
		sleep_ns(10000000);
	}
	return st;
}

/* Move what gnuplot made from the private directory into plots/ (rename replaces a planted
 * link instead of following it) and remove the private directory. */
static void move_chart_files(const char *tmpdir, const char *plots, const char *name)
{
	static const char *const ext[] = { "svg", "png", "log" };
	char from[PATH_MAX + 80], to[PATH_MAX + 80];
	for (unsigned i = 0; i < sizeof(ext) / sizeof(ext[0]); i++) {
		snprintf(from, sizeof(from), "%s/%s.%s", tmpdir, name, ext[i]);
		snprintf(to, sizeof(to), "%s/%s.%s", plots, name, ext[i]);
		if (rename(from, to) < 0)
			unlink(from);
	}
	rmdir(tmpdir);
}

/* Whether gnuplot (its wait status st, -1 when not run) drew the chart: 0 when it did.  A run
 * being stopped and a gnuplot not installed are said in the report where the chart would be;
 * any other failure is the report's error (ctx->err). */
static int chart_outcome(struct report_ctx *ctx, int st, const char *gp, const char *plots,
			 const char *name)
{
	if (exec_stop_signal) {
		doc_p(ctx->doc, "(Chart %s not drawn: interrupted by signal %d.)", name,
		      (int)exec_stop_signal);
		return -1;
	}
	if (st >= 0 && WIFEXITED(st) && WEXITSTATUS(st) == 0)
		return 0;
	if (st >= 0 && WIFEXITED(st) && WEXITSTATUS(st) == 127) {
		ctx->charts_skipped++;
		doc_p(ctx->doc, "(Chart %s not drawn: gnuplot is not installed. Install it "
			  "(make deps) and run ipcprobe report on this directory.)", name);
	} else if (!ctx->err[0]) {
		snprintf(ctx->err, sizeof(ctx->err), "gnuplot %.400s failed; its messages are in "
			 "%.500s/%s.log", gp, plots, name);
	}
	return -1;
}

int report_plot(struct report_ctx *ctx, const char *script, const char *name, const char *data)
{
	char plots[PATH_MAX], dat[PATH_MAX + 64], out[PATH_MAX + 80], gp[PATH_MAX], e[512];
	char exprs[5 * PATH_MAX + 256], tmpdir[PATH_MAX + 32], log[PATH_MAX + 80];
	if (report_plots_dir(ctx, plots, sizeof(plots)) < 0)
		return -1;
	snprintf(dat, sizeof(dat), "%s/%s.dat", plots, name);
	snprintf(gp, sizeof(gp), "%s/../plots/%s.gp", self_dir(NULL), script);
	if (write_file_atomic(dat, data, strlen(data), e, sizeof(e))) {
		if (!ctx->err[0])
			snprintf(ctx->err, sizeof(ctx->err), "%s", e);
		return -1;
	}
	if (strchr(ctx->dir, '\'')) {
		if (!ctx->err[0])
			snprintf(ctx->err, sizeof(ctx->err), "charts: the run directory's name "
							     "contains a quote; gnuplot cannot be told it");
		return -1;
	}
	if (exec_stop_signal)	/* the run is being stopped: no more charts, no failure */
		return chart_outcome(ctx, -1, gp, plots, name);
	snprintf(tmpdir, sizeof(tmpdir), "%s/.gnuplot-XXXXXX", plots);
	if (!mkdtemp(tmpdir)) {
		if (!ctx->err[0])
			snprintf(ctx->err, sizeof(ctx->err), "charts: cannot make a private "
				 "directory in %.900s: %s", plots, strerror(errno));
		return -1;
	}
	char stylepath[PATH_MAX];
	snprintf(stylepath, sizeof(stylepath), "%s/../plots/style.gp", self_dir(NULL));
	snprintf(out, sizeof(out), "%s/%s", tmpdir, name);
	snprintf(log, sizeof(log), "%s/%s.log", tmpdir, name);
	/* opts: grouped.gp's options file, written beside the data by the report. */
	snprintf(exprs, sizeof(exprs), "datafile='%s'; outbase='%s'; style='%s'; opts='%s/%s.opts'",
		 dat, out, stylepath, plots, name);
	int st = run_gnuplot(gp, exprs, log);
	move_chart_files(tmpdir, plots, name);
	return chart_outcome(ctx, st, gp, plots, name);
}

void report_warn_skipped(const struct report_ctx *ctx)
{
	if (ctx->charts_skipped)
		fprintf(stderr, "ipcprobe: warning: %d chart%s not drawn in %s: gnuplot is not "
				"installed (make deps installs it; then ipcprobe report DIR)\n",
			ctx->charts_skipped, ctx->charts_skipped == 1 ? "" : "s", ctx->dir);
}

/* ---- the generic parts ------------------------------------------------------------------- */

static const char *jstr(json_t *o, const char *key)
{
	json_t *v = json_object_get(o, key);
	static char buf[4][64];
	static int k;
	if (json_is_string(v))
		return json_string_value(v);
	if (json_is_integer(v)) {
		k = (k + 1) % 4;
		snprintf(buf[k], sizeof(buf[k]), "%lld", (long long)json_integer_value(v));
		return buf[k];
	}
	if (json_is_real(v)) {
		k = (k + 1) % 4;
		snprintf(buf[k], sizeof(buf[k]), "%.3f", json_real_value(v));
		return buf[k];
	}
	if (json_is_boolean(v))
		return json_is_true(v) ? "true" : "false";
	return "";
}

/* The page's head (inline style, no external resource) and title, in both formats. */
static void page_head(struct sbuf *h, struct sbuf *m, const char *title)
{
	sb_puts(h, "<!DOCTYPE html>\n<html lang=en><head><meta charset=utf-8><title>");
	sb_html(h, title);
	sb_puts(h, "</title>\n<style>\nbody{font:15px/1.45 system-ui,sans-serif;max-width:1100px;"
		   "margin:2em auto;padding:0 1em;color:#222}\ntable{border-collapse:collapse;"
		   "margin:.5em 0 1.5em;font-size:13px}\nth,td{border:1px solid #ccc;padding:3px 8px;"
		   "text-align:left;vertical-align:top}\nth{background:#f2f2f2}\ntd.ok{color:#1a7f37}"
		   "\ntd.unsup{color:#9a6700}\ntd.bad{color:#cf222e;font-weight:600}\n"
		   ".warn{background:#fff8c5;border:1px solid #d4a72c;padding:.5em 1em}\n"
		   "figure{margin:1em 0}figure svg{max-width:100%;height:auto}\n"
		   "pre{background:#f6f8fa;padding:1em;overflow:auto}\n</style></head><body>\n<h1>");
	sb_html(h, title);
	sb_puts(h, "</h1>\n");
	sb_printf(m, "# %s\n\n", title);
}

struct doc *doc_new(void)
{
	struct doc *d = calloc(1, sizeof(*d));
	if (!d)
		abort();
	return d;
}

int doc_save(struct doc *d, const char *dir, const char *title, char *err, size_t errlen)
{
	struct sbuf h = { 0 }, m = { 0 };
	char path[PATH_MAX + 16];
	int rc = 0;
	page_head(&h, &m, title);
	sb_puts(&h, d->html.s ? d->html.s : "");
	sb_puts(&h, "</body></html>\n");
	sb_puts(&m, d->md.s ? d->md.s : "");
	snprintf(path, sizeof(path), "%s/report.html", dir);
	if (mkdir_p(dir, 0755) < 0 || write_file_atomic(path, h.s, h.len, err, errlen) < 0)
		rc = -1;
	snprintf(path, sizeof(path), "%s/report.md", dir);
	if (rc == 0 && write_file_atomic(path, m.s, m.len, err, errlen) < 0)
		rc = -1;
	if (rc < 0 && !err[0])
		snprintf(err, errlen, "%s: cannot create it", dir);
	free(h.s);
	free(m.s);
	free(d->html.s);
	free(d->md.s);
	free(d);
	return rc;
}

static void write_header(struct report_ctx *ctx, struct sbuf *h, struct sbuf *m)
{
	json_t *meta = ctx->meta, *plat = json_object_get(meta, "platform");
	const char *status = jstr(meta, "status");
	int incomplete = strcmp(status, "complete") != 0;
	char title[512];
	snprintf(title, sizeof(title), "ipcprobe: %s on %s", jstr(meta, "name")[0] ? jstr(meta, "name") : "run",
		 jstr(meta, "host")[0] ? jstr(meta, "host") : "?");
	page_head(h, m, title);
	doc_p(ctx->doc, "Started %s, %s %s, kernel %s, %s, %s CPUs (%s).", jstr(meta, "started"),
	      jstr(plat, "os"), jstr(plat, "os_release"), jstr(plat, "kernel"), jstr(plat, "arch"),
	      jstr(plat, "cpu_count"), jstr(plat, "cpu_model"));
	if (incomplete) {
		sb_puts(&ctx->doc->html, "<p class=warn>");
		sb_printf(&ctx->doc->md, "> **");
		char msg[512];
		snprintf(msg, sizeof(msg), "This run is incomplete (%s): %s",
			 status[0] ? status : "no run.json",
			 jstr(meta, "reason")[0] ? jstr(meta, "reason") :
			 !strcmp(status, "running") ? "the runner was killed before it finished" :
						      "no reason recorded");
		sb_html(&ctx->doc->html, msg);
		sb_puts(&ctx->doc->html, "</p>\n");
		sb_printf(&ctx->doc->md, "%s**\n\n", msg);
	}
	json_t *w = json_object_get(meta, "warnings"), *v;
	size_t i;
	json_array_foreach(w, i, v) {
		sb_puts(&ctx->doc->html, "<p class=warn>Warning: ");
		sb_html(&ctx->doc->html, json_string_value(v));
		sb_puts(&ctx->doc->html, "</p>\n");
		sb_printf(&ctx->doc->md, "> Warning: %s\n\n", json_string_value(v));
	}
}

static void write_summary(struct report_ctx *ctx)
{
	json_t *cases = json_object_get(ctx->meta, "cases"), *c;
	size_t i;
	doc_h2(ctx->doc, "Summary");
	json_t *s = json_object_get(ctx->meta, "summary");
	if (json_is_object(s))
		doc_p(ctx->doc, "%s ok, %s unsupported, %s failed, %s timed out, of %zu case runs.",
		      jstr(s, "ok"), jstr(s, "unsupported"), jstr(s, "failed"), jstr(s, "timeout"),
		      json_array_size(cases));
	static const char *const hd[] = { "case", "rep", "status", "value", "reason / exit",
					  "time (s)" };
	doc_table(ctx->doc, 6, hd);
	json_array_foreach(cases, i, c) {
		const char *why = jstr(c, "reason");
		const char *cells[6] = { jstr(c, "label"), jstr(c, "rep"), jstr(c, "status"),
					 jstr(c, "value"), why[0] ? why : jstr(c, "exit"),
					 jstr(c, "duration_s") };
		doc_row(ctx->doc, cells);
	}
	doc_table_end(ctx->doc);
}

#define GENERIC_MAX_ROWS 300

/* Records of probes without a section of their own, so a new family shows at once (the first
 * GENERIC_MAX_ROWS: a report is for reading; records.jsonl has them all). */
static void write_generic(struct report_ctx *ctx, const char *probe)
{
	json_t *r;
	size_t i, rows = 0;
	static const char *const hd[] = { "case", "transport", "params", "metric", "rep",
					   "status", "value", "dist p50 / p99", "reason" };
	doc_table(ctx->doc, 9, hd);
	json_array_foreach(ctx->records, i, r) {
		if (!str_is(r, "probe", probe))
			continue;
		if (rows++ >= GENERIC_MAX_ROWS)
			continue;
		char *params = json_dumps(json_object_get(r, "params"), JSON_COMPACT);
		char val[64], p50[64], p99[96], dist[200] = "";
		const char *unit = jstr(r, "unit");
		json_t *d = json_object_get(r, "dist");
		json_t *v = json_object_get(r, "value");
		report_fmt(json_is_number(v) ? json_number_value(v) : NAN, unit, val, sizeof(val));
		json_t *one = json_pack("[O]", r);
		if (json_is_object(d) && json_is_number(json_object_get(d, "p50")))
			snprintf(dist, sizeof(dist), "%s / %s",
				 report_fmt(json_number_value(json_object_get(d, "p50")), unit, p50,
					    sizeof(p50)),
				 report_fmt_tail(one, "p99", unit, p99, sizeof(p99)));
		json_decref(one);
		const char *cells[9] = { jstr(r, "case"), jstr(r, "transport"), params ? params : "",
					 jstr(r, "metric"), jstr(r, "rep"), jstr(r, "status"), val,
					 dist, jstr(r, "reason") };
		doc_row(ctx->doc, cells);
		free(params);
	}
	doc_table_end(ctx->doc);
	if (rows > GENERIC_MAX_ROWS)
		doc_p(ctx->doc, "... and %zu more records of %s, in records.jsonl.",
		      rows - GENERIC_MAX_ROWS, probe);
}

static void write_facts(struct report_ctx *ctx, const char *title, json_t *obj)
{
	const char *k;
	json_t *v;
	static const char *const hd[] = { "fact", "value" };
	if (!json_is_object(obj))
		return;
	doc_h3(ctx->doc, title);
	doc_table(ctx->doc, 2, hd);
	json_object_foreach(obj, k, v) {
		const char *cells[2] = { k, json_is_null(v) ? "unknown" : jstr(obj, k) };
		doc_row(ctx->doc, cells);
	}
	doc_table_end(ctx->doc);
}

static void write_generic(struct report_ctx *ctx, const char *probe);

/* Python: the layer attribution, then every record (its cases are many and varied). */
static void report_python_all(struct report_ctx *ctx)
{
	report_python(ctx);
	doc_h3(ctx->doc, "All records of the python probe");
	write_generic(ctx, "python");
}

static const struct report_section sections[] = {
	{ "capacity", "Capacity: what a transport holds before the writer blocks", report_capacity },
	{ "limits", "Limits: how large one message may be, and what happens past it",
	  report_limits },
	{ "latency", "Latency: round trips by message size", report_latency },
	{ "throughput", "Throughput: bytes per second by chunk size", report_throughput },
	{ "shm", "Shared memory: what it costs to set up, fault in, fill and hand over", report_shm },
	{ "manager", "Manager: what a broker process costs", report_manager },
	{ "python", "Python multiprocessing, one layer up", report_python_all },
};

static int has_section(const char *probe)
{
	for (unsigned i = 0; i < sizeof(sections) / sizeof(sections[0]); i++)
		if (!strcmp(sections[i].probe, probe))
			return 1;
	return 0;
}

int report_write(const char *dir, char *err, size_t errlen)
{
	struct doc doc = { 0 };
	struct sbuf head = { 0 }, mhead = { 0 };
	struct report_ctx ctx = { .dir = dir, .doc = &doc };
	ctx.records = records_load_run(dir, NULL, err, errlen);
	if (!ctx.records)
		return -1;
	ctx.meta = records_load_meta(dir, err, errlen);
	if (!ctx.meta) {
		json_decref(ctx.records);
		return -1;
	}
	write_header(&ctx, &head, &mhead);
	write_summary(&ctx);

	json_t *probes = json_array(), *r, *p;
	size_t i, k;
	json_array_foreach(ctx.records, i, r) {
		int seen = 0;
		json_array_foreach(probes, k, p)
			seen |= str_is(r, "probe", json_string_value(p));
		if (!seen)
			json_array_append_new(probes, json_string(jstr(r, "probe")));
	}
	for (unsigned s = 0; s < sizeof(sections) / sizeof(sections[0]); s++) {
		json_array_foreach(probes, k, p) {
			if (strcmp(json_string_value(p), sections[s].probe))
				continue;
			doc_h2(&doc, sections[s].title);
			sections[s].write(&ctx);
		}
	}
	json_array_foreach(probes, k, p) {
		if (has_section(json_string_value(p)))
			continue;
		char title[128];
		snprintf(title, sizeof(title), "Probe %s: all records", json_string_value(p));
		doc_h2(&doc, title);
		write_generic(&ctx, json_string_value(p));
	}
	json_decref(probes);

	char claims[PATH_MAX];
	snprintf(claims, sizeof(claims), "%s/../configs/claims.yaml", self_dir(NULL));
	report_claims(&ctx, getenv("IPCPROBE_CLAIMS") ? getenv("IPCPROBE_CLAIMS") : claims);

	doc_h2(&doc, "Platform");
	write_facts(&ctx, "Machine", json_object_get(ctx.meta, "platform"));
	write_facts(&ctx, "Kernel limits that decide IPC behaviour", json_object_get(ctx.meta, "limits"));
	json_t *cfg = json_object_get(ctx.meta, "config");
	if (json_is_string(json_object_get(cfg, "text"))) {
		doc_h3(&doc, "Config");
		sb_puts(&doc.html, "<pre>");
		sb_html(&doc.html, json_string_value(json_object_get(cfg, "text")));
		sb_puts(&doc.html, "</pre>\n");
		sb_printf(&doc.md, "```yaml\n%s\n```\n", json_string_value(json_object_get(cfg, "text")));
	}
	sb_puts(&doc.html, "</body></html>\n");
	sb_puts(&head, doc.html.s);
	sb_puts(&mhead, doc.md.s);

	char path[PATH_MAX + 16];
	int rc = 0;
	snprintf(path, sizeof(path), "%s/report.html", dir);
	if (write_file_atomic(path, head.s, head.len, err, errlen) < 0)
		rc = -1;
	snprintf(path, sizeof(path), "%s/report.md", dir);
	if (rc == 0 && write_file_atomic(path, mhead.s, mhead.len, err, errlen) < 0)
		rc = -1;
	report_warn_skipped(&ctx);
	if (rc == 0 && ctx.err[0]) {
		snprintf(err, errlen, "%s", ctx.err);
		rc = -1;
	}
	free(head.s);
	free(mhead.s);
	free(doc.html.s);
	free(doc.md.s);
	json_decref(ctx.records);
	json_decref(ctx.meta);
	return rc;
}

/* -o OUT of a report over several runs must not be a run directory: its own report.html
 * and charts would be overwritten. */
static int refuse_run_dir_as_out(const char *cmd, const char *out)
{
	static const char *const marks[] = { "run.json", "records.jsonl", "records.jsonl.partial" };
	char path[PATH_MAX + 32];
	struct stat st;
	for (unsigned i = 0; i < sizeof(marks) / sizeof(marks[0]); i++) {
		snprintf(path, sizeof(path), "%s/%s", out, marks[i]);
		if (lstat(path, &st) == 0) {
			fprintf(stderr, "ipcprobe %s: %s is a run directory (it has %s); its own "
					"report would be overwritten: choose another -o OUT\n", cmd,
				out, marks[i]);
			return 1;
		}
	}
	return 0;
}

int cmd_report(int argc, char **argv)
{
	char err[1024];
	const char *dirs[64], *out = NULL;
	int n = 0;
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "-o") && i + 1 < argc)
			out = argv[++i];
		else if (argv[i][0] != '-' && n < 64)
			dirs[n++] = argv[i];
		else
			n = 0, i = argc;
	}
	if (n == 0 || (n > 1 && !out) || (n == 1 && out)) {
		fprintf(stderr, "usage: ipcprobe report DIR              the report of one run, in DIR\n"
				"       ipcprobe report DIR DIR... -o OUT  runs side by side, in OUT\n");
		return EXIT_BAD_INPUT;
	}
	if (n > 1) {
		if (refuse_run_dir_as_out("report", out))
			return EXIT_BAD_INPUT;
		if (report_multi(dirs, n, out, err, sizeof(err)) < 0) {
			fprintf(stderr, "ipcprobe report: %s\n", err);
			return EXIT_BAD_INPUT;
		}
		printf("%s/report.html\n%s/report.md\n", out, out);
		return EXIT_ALL_OK;
	}
	if (report_write(argv[1], err, sizeof(err)) < 0) {
		fprintf(stderr, "ipcprobe report: %s\n", err);
		return EXIT_BAD_INPUT;
	}
	printf("%s/report.html\n%s/report.md\n", argv[1], argv[1]);
	return EXIT_ALL_OK;
}

int cmd_history(int argc, char **argv)
{
	char err[1024];
	const char *dirs[256], *out = NULL, *match = NULL;
	int n = 0;
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "-o") && i + 1 < argc)
			out = argv[++i];
		else if (!strcmp(argv[i], "--match") && i + 1 < argc)
			match = argv[++i];
		else if (argv[i][0] != '-' && n < 256)
			dirs[n++] = argv[i];
		else
			n = 0, i = argc;
	}
	if (n == 0 || !out) {
		fprintf(stderr, "usage: ipcprobe history DIR... -o OUT [--match TEXT]\n");
		return EXIT_BAD_INPUT;
	}
	if (refuse_run_dir_as_out("history", out))
		return EXIT_BAD_INPUT;
	if (report_history(dirs, n, match, out, err, sizeof(err)) < 0) {
		fprintf(stderr, "ipcprobe history: %s\n", err);
		return EXIT_BAD_INPUT;
	}
	printf("%s/report.html\n%s/report.md\n", out, out);
	return EXIT_ALL_OK;
}
