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
#include "report/chartdata.h"
#include "report/chartlayout.h"
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

/* plots/<script>.gp, style.gp and lines.gp as absolute paths (gnuplot starts in the private
 * directory); 0, or -1 with the reason in ctx->err. */
static int script_paths(struct report_ctx *ctx, const char *script, char (*p)[PATH_MAX + 64])
{
	static const char *const names[3] = { NULL, "style", "lines" };
	char cwd[PATH_MAX] = "";
	const char *self = self_dir(NULL);
	if (self[0] != '/' && !getcwd(cwd, sizeof(cwd)))
		cwd[0] = '\0';
	for (int i = 0; i < 3; i++)
		snprintf(p[i], sizeof(p[i]), "%s%s%s/../plots/%s.gp", cwd, cwd[0] ? "/" : "", self,
			 names[i] ? names[i] : script);
	if (!strchr(p[0], '\''))
		return 0;
	if (!ctx->err[0])
		snprintf(ctx->err, sizeof(ctx->err), "charts: the path of ipcprobe's plot scripts "
			 "contains a quote; gnuplot cannot be told it: %.900s", p[0]);
	return -1;
}

/* Text for XML, escaped. */
static void put_xml(FILE *f, const char *s)
{
	for (; *s; s++)
		fputs(*s == '&' ? "&amp;" : *s == '<' ? "&lt;" : *s == '>' ? "&gt;" :
		      *s == '"' ? "&quot;" : (char[2]){ *s, 0 }, f);
}

/* The SVG gnuplot drew, made fit to stand alone: its <title> the chart's (gnuplot's is
 * "Gnuplot"), its <desc> the caption, and each plot's tooltip its key entry instead of
 * "gnuplot_plot_1a".  Written in the private directory tmp, before it is moved. */
static void svg_finish(int tmp, const struct chart *c)
{
	char file[256], err[256];
	snprintf(file, sizeof(file), "%s.svg", c->name);
	char *svg = read_file_at((struct dirref){ tmp, NULL }, file, 64 << 20, RF_NOFOLLOW, NULL,
				 err, sizeof(err));
	if (!svg)
		return;
	char *out = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&out, &len);
	for (const char *s = svg; *s;) {
		const char *e;
		if (!strncmp(s, "<title>Gnuplot</title>", 22)) {
			fputs("<title>", f);
			put_xml(f, c->title);
			fputs("</title>", f);
			s += 22;
		} else if (!strncmp(s, "<desc>", 6) && (e = strstr(s, "</desc>"))) {
			fputs("<desc>", f);
			put_xml(f, c->alt);
			fprintf(f, ". %.*s</desc>", (int)(e - s - 6), s + 6);
			s = e + 7;
		} else if (!strncmp(s, "<title>gnuplot_plot_", 20) && (e = strstr(s, "</title>"))) {
			const char *t = strstr(e, "<text>"), *end;
			const char *mark = strstr(e, "<path"), *use = strstr(e, "<use");
			if (use && (!mark || use < mark))
				mark = use;
			if (t && (!mark || t < mark) && (end = strstr(t, "</text>")))
				fprintf(f, "<title>%.*s</title>", (int)(end - t - 6), t + 6);
			else
				fprintf(f, "%.*s", (int)(e + 8 - s), s);
			s = e + 8;
		} else {
			fputc(*s++, f);
		}
	}
	fclose(f);
	write_file_at((struct dirref){ tmp, NULL }, file, out, len, err, sizeof(err));
	free(out);
	free(svg);
}

/* Whatever gnuplot said (its log, in the private directory tmp) on stderr, naming the chart:
 * a chart it had to squeeze is a fault to see, not to find later in plots/. */
static void say_warnings(struct report_ctx *ctx, int tmp, const char *name)
{
	char file[256], err[256];
	size_t len = 0;
	snprintf(file, sizeof(file), "%s.log", name);
	char *log = read_file_at((struct dirref){ tmp, NULL }, file, 1 << 20, RF_NOFOLLOW, &len,
				 err, sizeof(err));
	if (log && len) {
		int lines = 0;
		for (size_t i = 0; i < len; i++)
			lines += log[i] == '\n';
		fprintf(stderr, "ipcprobe: warning: chart %s: gnuplot said %d line%s, the first: "
				"%.*s (all in %s/plots/%s)\n", name, lines, lines == 1 ? "" : "s",
			(int)strcspn(log, "\n"), log, ctx->dir, file);
	}
	free(log);
}

/* Draw c from plots/<name>.dat and .opts, already written: gnuplot in a private directory,
 * its SVG finished and its warnings said there, then everything moved into plots/. */
static int draw(struct report_ctx *ctx, const struct chart *c)
{
	char p[3][PATH_MAX + 64], exprs[4 * PATH_MAX + 512], tmp[64], log[96];
	if (script_paths(ctx, c->script, p) < 0)
		return -1;
	if (exec_stop_signal)	/* the run is being stopped: no more charts, no failure */
		return chart_outcome(ctx, -1, p[0], c->name);
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
	snprintf(log, sizeof(log), "%s.log", c->name);
	/* opts: the layout (chartlayout.c), written beside the data by the report. */
	snprintf(exprs, sizeof(exprs), "datafile='../%s.dat'; outbase='%s'; style='%s'; "
		 "lines='%s'; opts='../%s.opts'", c->name, c->name, p[1], p[2], c->name);
	int st = run_gnuplot(cwd, p[0], exprs, log);
	if (st == 0) {
		svg_finish(cwd, c);
		say_warnings(ctx, cwd, c->name);
	}
	close(cwd);
	move_chart_files(plots, tmp, c->name);
	close(plots);
	return chart_outcome(ctx, st, p[0], c->name);
}

/* Under a chart, its files: for a write-up (SVG, PNG) and to check it (its data). */
static void chart_links(struct report_ctx *ctx, const char *name)
{
	char h[3][300], l[3][300];
	static const char *const ext[3] = { "svg", "png", "dat" };
	const char *hrefs[3], *labels[3];
	for (int i = 0; i < 3; i++) {
		snprintf(h[i], sizeof(h[i]), "plots/%s.%s", name, ext[i]);
		snprintf(l[i], sizeof(l[i]), "%s.%s", name, ext[i]);
		hrefs[i] = h[i];
		labels[i] = l[i];
	}
	doc_links(ctx->doc, "This chart as a file, to use as it is (SVG, PNG), and the data it "
			    "was drawn from (base units):", 3, hrefs, labels);
}

int report_chart(struct report_ctx *ctx, const struct chart *c, const char *data)
{
	struct chart_data d;
	char file[256];
	chart_data_read(&d, data, c->kind);
	char *dat = chart_data_text(&d, c->kind), *opts = chart_layout(c, &d);
	chart_data_free(&d);
	snprintf(file, sizeof(file), "%s.dat", c->name);
	int rc = report_plot_file(ctx, file, dat);
	snprintf(file, sizeof(file), "%s.opts", c->name);
	if (rc == 0)
		rc = report_plot_file(ctx, file, opts);
	free(dat);
	free(opts);
	if (rc == 0)
		rc = draw(ctx, c);
	if (rc == 0) {
		doc_chart(ctx->doc, report_dir(ctx), c->name, c->alt);
		chart_links(ctx, c->name);
	}
	return rc;
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
