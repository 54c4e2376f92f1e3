/* charts.h - charts drawn by gnuplot (plots/<script>.gp) into a run directory's plots/. */
#ifndef IPCPROBE_CHARTS_H
#define IPCPROBE_CHARTS_H

#include <stddef.h>

#include "report/section.h"

/* Write data to <dir>/plots/<name>.dat and run plots/<script>.gp on it, making
 * plots/<name>.svg and .png.  0, or -1 with the reason in ctx->err (first failure kept);
 * where no chart could be drawn the document says why. */
int report_plot(struct report_ctx *ctx, const char *script, const char *name, const char *data);
/* report_plot for a chart whose y axis shows values of unit (vocab.h: "ns", "bytes", ...):
 * the axis is labelled "what (µs, log scale)" in the unit axis_unit picks for the data (the
 * largest value; on a log axis the middle decade), and its ticks are plain numbers in it.  The script loads plots/
 * <name>.opts, written here (ydiv and the label), and draws each value over ydiv. */
int report_plot_axis(struct report_ctx *ctx, const char *script, const char *name,
		     const char *data, const char *what, const char *unit, int log);
/* Write plots/<file> (made, or checked to be a real directory: never through a link) whole.
 * 0, or -1 with the reason in ctx->err. */
int report_plot_file(struct report_ctx *ctx, const char *file, const char *text);
/* After a report: a warning on stderr when charts were skipped for want of gnuplot. */
void report_warn_skipped(const struct report_ctx *ctx);

/* Save ctx->doc as report.html and report.md in ctx->dir under title (the document is freed),
 * warn about charts skipped, and fail with the first chart error.  0, or -1 with err. */
int report_save(struct report_ctx *ctx, const char *title, char *err, size_t errlen);

#endif
