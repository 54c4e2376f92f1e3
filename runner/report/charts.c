/* charts.c - charts drawn by gnuplot into a run directory's plots/ (charts.h). */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "common/util.h"
#include "common/vocab.h"
#include "exec/exec.h"
#include "report/charts.h"
#include "report/doc.h"

struct dirref report_dir(struct report_ctx *ctx)
{
	if (ctx->fd <= 0 && mkdir_p(ctx->dir, 0755) == 0)
		ctx->fd = open(ctx->dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (ctx->fd <= 0 && !ctx->err[0])
		snprintf(ctx->err, sizeof(ctx->err), "%.900s: cannot open: %s", ctx->dir,
			 strerror(errno));
	return (struct dirref){ ctx->fd > 0 ? ctx->fd : -1, ctx->dir };
}

/* plots/ inside a run directory, opened: made, or accepted when it is a real directory; a
 * link or a file planted there is refused (nothing is ever written through it).  Its
 * descriptor (the caller closes it), or -1 with the reason in ctx->err. */
static int plots_open(struct report_ctx *ctx)
{
	int fd = subdir_at(report_dir(ctx), "plots");
	if (fd < 0 && !ctx->err[0])
		snprintf(ctx->err, sizeof(ctx->err), "charts: %.900s/plots: %s", ctx->dir,
			 errno == ELOOP ? "is a symbolic link; refusing to write through it (remove "
					  "it, or report a copy of the run directory)" :
			 errno == ENOTDIR ? "is not a directory; remove it" : strerror(errno));
	return fd;
}

int report_plot_file(struct report_ctx *ctx, const char *file, const char *text)
{
	char path[PATH_MAX + 16], e[PATH_MAX + 256];
	int plots = plots_open(ctx);
	if (plots < 0)
		return -1;
	snprintf(path, sizeof(path), "%s/plots", ctx->dir);
	int rc = write_file_at((struct dirref){ plots, path }, file, text, strlen(text), e,
			       sizeof(e));
	if (rc < 0 && !ctx->err[0])
		snprintf(ctx->err, sizeof(ctx->err), "%.1000s", e);
	close(plots);
	return rc;
}

#define GNUPLOT_DEADLINE_NS (60LL * 1000000000)

/* Run gnuplot in a private directory (made inside plots/, so that renameat works), given
 * only names relative to it: it writes name.svg and name.png there and its chatter goes to
 * name.log there (created exclusively), so nothing it writes can follow a link planted in the
 * run directory or land elsewhere if a parent of the run directory is renamed meanwhile.
 * Bounded like every child: one that hangs is killed at GNUPLOT_DEADLINE_NS, and one drawing
 * while the run is being stopped is stopped with it.  Returns its wait status, or -1 when it
 * could not be started. */
static int run_gnuplot(int cwd, const char *gp, const char *exprs, const char *log)
{
	char *argv[] = { "gnuplot", "-e", (char *)exprs, (char *)gp, NULL };
	struct exec_spec spec = { .argv = argv, .search_path = 1, .err_to = ERR_NEW,
				  .stderr_path = log, .cwd_fd = cwd,
				  .timeout_ns = GNUPLOT_DEADLINE_NS };
	struct exec_outcome o;
	char err[256];
	if (exec_run(&spec, &o, err, sizeof(err)) < 0 || o.timed_out)
		return -1;
	return o.status;
}

/* Move what gnuplot made from the private directory tmp into plots/ (renameat replaces a
 * planted link instead of following it) and remove the private directory. */
static void move_chart_files(int plots, const char *tmp, const char *name)
{
	static const char *const ext[] = { "svg", "png", "log" };
	char from[PATH_MAX + 80], to[PATH_MAX + 80];
	for (unsigned i = 0; i < sizeof(ext) / sizeof(ext[0]); i++) {
		snprintf(from, sizeof(from), "%s/%s.%s", tmp, name, ext[i]);
		snprintf(to, sizeof(to), "%s.%s", name, ext[i]);
		if (renameat(plots, from, plots, to) < 0)
			unlinkat(plots, from, 0);
	}
	unlinkat(plots, tmp, AT_REMOVEDIR);
}

/* Whether gnuplot (its wait status st, -1 when not run) drew the chart: 0 when it did.  A run
 * being stopped and a gnuplot not installed are said in the report where the chart would be;
 * any other failure is the report's error (ctx->err). */
static int chart_outcome(struct report_ctx *ctx, int st, const char *gp, const char *name)
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
			 "%.500s/plots/%s.log", gp, ctx->dir, name);
	}
	return -1;
}

/* plots/<script>.gp and style.gp as absolute paths (gnuplot starts in the private
 * directory); 0, or -1 with the reason in ctx->err. */
static int script_paths(struct report_ctx *ctx, const char *script, char *gp, char *style,
			size_t len)
{
	char cwd[PATH_MAX] = "";
	const char *self = self_dir(NULL);
	if (self[0] != '/' && !getcwd(cwd, sizeof(cwd)))
		cwd[0] = '\0';
	snprintf(gp, len, "%s%s%s/../plots/%s.gp", cwd, cwd[0] ? "/" : "", self, script);
	snprintf(style, len, "%s%s%s/../plots/style.gp", cwd, cwd[0] ? "/" : "", self);
	if (!strchr(gp, '\''))
		return 0;
	if (!ctx->err[0])
		snprintf(ctx->err, sizeof(ctx->err), "charts: the path of ipcprobe's plot scripts "
			 "contains a quote; gnuplot cannot be told it: %.900s", gp);
	return -1;
}

int report_plot(struct report_ctx *ctx, const char *script, const char *name, const char *data)
{
	char gp[PATH_MAX + 64], style[PATH_MAX + 64], file[256], exprs[3 * PATH_MAX + 512];
	char tmp[64], log[96];
	snprintf(file, sizeof(file), "%s.dat", name);
	if (report_plot_file(ctx, file, data) < 0 || script_paths(ctx, script, gp, style,
								  sizeof(gp)) < 0)
		return -1;
	if (exec_stop_signal)	/* the run is being stopped: no more charts, no failure */
		return chart_outcome(ctx, -1, gp, name);
	int plots = plots_open(ctx), cwd = -1;
	if (plots < 0)
		return -1;
	if (mkdir_temp_at((struct dirref){ plots, NULL }, ".gnuplot-", tmp, sizeof(tmp)) < 0 ||
	    (cwd = openat(plots, tmp, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)) < 0) {
		if (!ctx->err[0])
			snprintf(ctx->err, sizeof(ctx->err), "charts: cannot make a private "
				 "directory in %.900s/plots: %s", ctx->dir, strerror(errno));
		close(plots);
		return -1;
	}
	snprintf(log, sizeof(log), "%s.log", name);
	/* opts: grouped.gp's options file, written beside the data by the report. */
	snprintf(exprs, sizeof(exprs), "datafile='../%s.dat'; outbase='%s'; style='%s'; "
		 "opts='../%s.opts'", name, name, style, name);
	int st = run_gnuplot(cwd, gp, exprs, log);
	close(cwd);
	move_chart_files(plots, tmp, name);
	close(plots);
	return chart_outcome(ctx, st, gp, name);
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
	char file[256];
	double div;
	const char *shown = axis_unit(unit, data_scale(data, log), &div);
	/* ydiv: the data stay in base units in NAME.dat; the script draws them over ydiv. */
	char *text = xasprintf("ydiv = %.17g\nset ylabel \"%s (%s%s)\"\nset format y \"%%g\"\n",
			       div, what, shown, log ? ", log scale" : "");
	snprintf(file, sizeof(file), "%s.opts", name);
	int rc = report_plot_file(ctx, file, text);
	free(text);
	return rc < 0 ? -1 : report_plot(ctx, script, name, data);
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
	struct dirref d = report_dir(ctx);
	int rc = d.fd < 0 ? -1 : doc_save(ctx->doc, d, title, err, errlen);
	if (d.fd < 0)
		snprintf(err, errlen, "%s", ctx->err);
	if (ctx->fd > 0)
		close(ctx->fd);
	ctx->fd = 0;
	ctx->doc = NULL;
	report_warn_skipped(ctx);
	if (rc == 0 && ctx->err[0]) {
		snprintf(err, errlen, "%s", ctx->err);
		rc = -1;
	}
	return rc;
}
