/* chartlayout.h - a chart's layout, for plots/<name>.opts: worked out from its data so that
 * it holds any number of series (chartlayout.c). */
#ifndef IPCPROBE_CHARTLAYOUT_H
#define IPCPROBE_CHARTLAYOUT_H

#include "report/chartdata.h"
#include "report/charts.h"

/* The gnuplot lines that lay c out over d (malloc'd): the canvas (chart_w, chart_h), its
 * title, the value axis (ydiv, value_label, range, ticks), and per kind the panels and series
 * looks (CHART_LINES: lines.gp walks them), or the margins, key and bars (CHART_BARS,
 * CHART_HBARS). */
char *chart_layout(const struct chart *c, const struct chart_data *d);

#endif
