/* report.h - what report sections share: a document written as HTML and Markdown at once,
 * look-ups in the records, and gnuplot.  Each probe family's section is one file,
 * runner/report_<probe>.c, and one row in the section table of report.c. */
#ifndef IPCPROBE_REPORT_H
#define IPCPROBE_REPORT_H

#include <jansson.h>
#include <stddef.h>

struct doc;

struct report_ctx {
	const char *dir;	/* the run directory */
	json_t *meta;		/* run.json (an empty object when absent) */
	json_t *records;	/* every record */
	struct doc *doc;
	char err[1024];		/* the first chart that could not be drawn */
	int charts_skipped;	/* charts not drawn because gnuplot is not installed (not an error:
				 * the report says which, and the command still succeeds) */
};

struct report_section {
	const char *probe;
	const char *title;
	void (*write)(struct report_ctx *ctx);
};

/* The document: each call writes both formats. */
struct doc *doc_new(void);
/* Write <dir>/report.html (styled, self-contained) and report.md under title; frees d. */
int doc_save(struct doc *d, const char *dir, const char *title, char *err, size_t errlen);
void doc_h2(struct doc *d, const char *title);
void doc_h3(struct doc *d, const char *title);
void doc_p(struct doc *d, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void doc_table(struct doc *d, int ncols, const char *const *headers);
void doc_row(struct doc *d, const char *const *cells);
void doc_table_end(struct doc *d);
/* plots/<name>.svg inline in HTML, plots/<name>.png in Markdown. */
void doc_chart(struct doc *d, const char *dir, const char *name, const char *alt);

/* Records of probe/case/metric (transport NULL: any) with status ok, as a new array. */
json_t *report_select(json_t *records, const char *probe, const char *cas,
		      const char *transport, const char *metric);
/* The median of the values of recs (NAN if none). */
double report_median(json_t *recs);
/* A value with its unit for humans ("64 KiB", "12.3 us", "1.85 GB/s"). */
const char *report_fmt(double v, const char *unit, char *buf, size_t len);
/* The cell for tail percentile dist.<key> over recs (the median over repetitions); where
 * the distributions hold too few samples for it (null, n > 0), "n too small (n N): = max M"
 * rather than a tail nobody measured. */
const char *report_fmt_tail(json_t *recs, const char *key, const char *unit, char *buf,
			    size_t len);
/* Ordered transport names appearing in recs (a new array of strings). */
json_t *report_transports(json_t *recs);

/* Write data to <dir>/plots/<name>.dat and run plots/<script>.gp on it, making
 * plots/<name>.svg and .png.  0, or -1 with the reason in ctx->err (first failure kept). */
int report_plot(struct report_ctx *ctx, const char *script, const char *name, const char *data);
/* ctx->dir/plots made or checked to be a real directory (never a link); its path in plots. */
int report_plots_dir(struct report_ctx *ctx, char *plots, size_t len);
/* After a report: a warning on stderr when charts were skipped for want of gnuplot. */
void report_warn_skipped(const struct report_ctx *ctx);

/* Several runs side by side into out/report.html and report.md (runner/report_multi.c). */
int report_multi(const char *const *dirs, int n, const char *out, char *err, size_t errlen);
/* Runs in the order they started: the figures whose key contains match (all timings when
 * NULL; at most 12) over the runs, as a table and a chart, into out. */
int report_history(const char *const *dirs, int n, const char *match, const char *out,
		   char *err, size_t errlen);

void report_capacity(struct report_ctx *ctx);
void report_latency(struct report_ctx *ctx);
void report_throughput(struct report_ctx *ctx);
void report_manager(struct report_ctx *ctx);
void report_limits(struct report_ctx *ctx);
void report_python(struct report_ctx *ctx);
void report_shm(struct report_ctx *ctx);
/* The claims section, from a claims file (configs/claims.yaml). */
void report_claims(struct report_ctx *ctx, const char *path);
/* Decide one claim against records: 1 holds, 0 does not, -1 not measured, -2 unsupported
 * (what it needs was recorded unsupported, e.g. a missing interpreter); text gets the figures
 * behind the verdict, each saying which statistic decided it, or why it could not be
 * decided (a failed record's whole reason). */
int claim_judge(json_t *records, json_t *claim, char *text, size_t len);
const char *claim_verdict_name(int verdict);
/* "holds: a = ... (a < b)": a claim's verdict and figures for one table cell. */
void claim_cell(json_t *records, json_t *claim, char *buf, size_t len);
/* The interpreters records name ("python3.11"), in the order first seen (a new array). */
json_t *claims_interpreters(json_t *records);
/* The records one interpreter's column sees: its own and those of no interpreter (new). */
json_t *claims_records_for(json_t *records, const char *interp);

#endif
