/* charts.h - charts drawn by gnuplot (plots/<script>.gp) into a run directory's plots/. */
#ifndef IPCPROBE_CHARTS_H
#define IPCPROBE_CHARTS_H

#include <stddef.h>

#include "report/section.h"

/* How a chart's data are laid out (and which layout runner/report/chartlayout.c works out):
 *   CHART_LINES  one block per series, its first line a header naming it ("pipe/cross_core
 *                size p50 p99"), blocks apart by blank lines; x values in the first column.
 *                Blocks are drawn in series order (series.h); past CHART_PANEL_MAX series,
 *                as one small panel per family, each floor in every panel.
 *   CHART_BARS   one row per category (its label first), one column per bar of the script's
 *                own; vertical clusters, the key below.
 *   CHART_HBARS  the same drawn across: a row of bars per category, its label at the left;
 *                the first data line is a header naming the bars (quoted). */
enum chart_kind { CHART_LINES, CHART_BARS, CHART_HBARS };
#define CHART_PANEL_MAX 8

struct chart {
	const char *script;	/* plots/<script>.gp */
	const char *name;	/* plots/<name>.dat .opts .svg .png .log; the anchor chart-<name> */
	const char *title;	/* drawn above it, and the SVG's <title> */
	const char *alt;	/* the caption in the report, and the SVG's <desc> */
	enum chart_kind kind;
	/* The value axis (y; x for CHART_HBARS): values of unit (vocab.h: "ns", "bytes", ...)
	 * labelled "what (µs, log scale)" in the unit axis_unit picks for the data, or, with
	 * unit NULL, values drawn as they are and labelled what as it is. */
	const char *what, *unit;
	int log;
	/* CHART_LINES: the x values are sizes (x_unit "bytes": ticks "64 B", "4 KiB") or counts
	 * ("count"), on a log-2 axis with a tick at each value drawn; NULL: the script's own x
	 * axis.  xlabel names it (NULL: none). */
	const char *x_unit, *xlabel;
	/* CHART_BARS: the bars of each category, named (the script draws them in its colours);
	 * CHART_HBARS names them in the data's header. */
	int bars;
	const char *const *bar_titles;
};

/* Put c's data in order (series.h), write plots/<name>.dat and plots/<name>.opts (the layout:
 * canvas size, margins, ranges, ticks, each series' colour), run plots/<script>.gp on them,
 * making plots/<name>.svg and .png, and put the chart in the document with links to its
 * files.  A gnuplot that warned (plots/<name>.log not empty) is said on stderr, naming the
 * chart.  0, or -1 with the reason in ctx->err (first failure kept); where no chart could be
 * drawn the document says why. */
int report_chart(struct report_ctx *ctx, const struct chart *c, const char *data);
/* Write plots/<file> (made, or checked to be a real directory: never through a link) whole.
 * 0, or -1 with the reason in ctx->err. */
int report_plot_file(struct report_ctx *ctx, const char *file, const char *text);
/* After a report: a warning on stderr when charts were skipped for want of gnuplot. */
void report_warn_skipped(const struct report_ctx *ctx);

/* Save ctx->doc as report.html and report.md in ctx->dir under title (the document is freed),
 * warn about charts skipped, and fail with the first chart error.  0, or -1 with err. */
int report_save(struct report_ctx *ctx, const char *title, char *err, size_t errlen);

#endif
