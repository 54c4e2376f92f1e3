/* charts.c - charts drawn by gnuplot into a run directory's plots/ (charts.h). */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "common/util.h"
#include "common/vocab.h"
#include "exec/exec.h"
#include "report/charts.h"
#include "report/doc.h"

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
 * rename works): it writes name.svg and name.png there, its chatter goes to name.log there
 * (created exclusively), and nothing it writes can follow a link planted in the run
 * directory.  Bounded like every child: one that hangs is killed at GNUPLOT_DEADLINE_NS, and
 * one drawing while the run is being stopped is stopped with it.  Returns its wait status,
 * or -1 when it could not be started. */
static int run_gnuplot(const char *gp, const char *exprs, const char *log)
{
	char *argv[] = { "gnuplot", "-e", (char *)exprs, (char *)gp, NULL };
	struct exec_spec spec = { .argv = argv, .search_path = 1, .err_to = ERR_NEW,
				  .stderr_path = log, .timeout_ns = GNUPLOT_DEADLINE_NS };
	struct exec_outcome o;
	char err[256];
	if (exec_run(&spec, &o, err, sizeof(err)) < 0 || o.timed_out)
		return -1;
	return o.status;
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

/* The smallest positive and the largest number of one line of a chart's data into *lo and
 * *hi: every field but the first (the x value or the label, which may be "quoted words");
 * header and comment lines have none. */
static void line_span(const char *s, double *lo, double *hi)
{
	s += strspn(s, " \t");
	if (*s == '#' || *s == '\n' || !*s)
		return;
	s += *s == '"' ? strcspn(s + 1, "\"\n") + 2 : strcspn(s, " \t\n");
	while (*s && *s != '\n') {
		char *end;
		s += strspn(s, " \t");
		double v = strtod(s, &end);
		if (end != s && strchr(" \t\n", *end) && isfinite(v) && !(v <= *hi))
			*hi = v;
		if (end != s && strchr(" \t\n", *end) && isfinite(v) && v > 0 && !(v >= *lo))
			*lo = v;
		s += strcspn(s, " \t\n");
	}
}

/* The value that picks a chart's unit: the largest on a linear axis; on a log axis the middle
 * of the decades drawn (their geometric mean), so that 100 ns to 2 ms reads 0.1 to 2000 µs,
 * not 0.0001 to 2 ms. */
static double data_scale(const char *data, int log)
{
	double lo = NAN, hi = NAN;
	for (const char *line = data; line; line = strchr(line, '\n')) {
		line += *line == '\n';
		line_span(line, &lo, &hi);
	}
	if (isnan(hi))
		return 1;
	return log && lo > 0 && hi > 0 ? sqrt(lo * hi) : hi;
}

int report_plot_axis(struct report_ctx *ctx, const char *script, const char *name,
		     const char *data, const char *what, const char *unit, int log)
{
	char plots[PATH_MAX], path[PATH_MAX + 64], e[512];
	double div;
	const char *shown = axis_unit(unit, data_scale(data, log), &div);
	if (report_plots_dir(ctx, plots, sizeof(plots)) < 0)
		return -1;
	/* ydiv: the data stay in base units in NAME.dat; the script draws them over ydiv. */
	char *text = xasprintf("ydiv = %.17g\nset ylabel \"%s (%s%s)\"\nset format y \"%%g\"\n",
			       div, what, shown, log ? ", log scale" : "");
	snprintf(path, sizeof(path), "%s/%s.opts", plots, name);
	int rc = write_file_atomic(path, text, strlen(text), e, sizeof(e));
	free(text);
	if (rc < 0) {
		if (!ctx->err[0])
			snprintf(ctx->err, sizeof(ctx->err), "%s", e);
		return -1;
	}
	return report_plot(ctx, script, name, data);
}

void report_warn_skipped(const struct report_ctx *ctx)
{
	if (ctx->charts_skipped)
		fprintf(stderr, "ipcprobe: warning: %d chart%s not drawn in %s: gnuplot is not "
				"installed (make deps installs it; then ipcprobe report DIR)\n",
			ctx->charts_skipped, ctx->charts_skipped == 1 ? "" : "s", ctx->dir);
}

int report_save(struct report_ctx *ctx, const char *title, char *err, size_t errlen)
{
	int rc = doc_save(ctx->doc, ctx->dir, title, err, errlen);
	ctx->doc = NULL;
	report_warn_skipped(ctx);
	if (rc == 0 && ctx->err[0]) {
		snprintf(err, errlen, "%s", ctx->err);
		rc = -1;
	}
	return rc;
}
