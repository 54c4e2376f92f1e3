/* chartdata.h - a chart's data read back (its series or categories, its span of values), put
 * in series order (series.h), and its value axis worked out: what charts.c lays out. */
#ifndef IPCPROBE_CHARTDATA_H
#define IPCPROBE_CHARTDATA_H

#include <stddef.h>
#include <stdio.h>

#include "report/charts.h"
#include "report/series.h"

#define CHART_MAX_X 64
#define CHART_MAX_TICKS 24

/* One series (a block of CHART_LINES data) or one category (a row of bars). */
struct chart_item {
	char *text;		/* its lines, each ending in '\n' */
	char name[160];		/* its first field, unquoted */
	int index;		/* its place in the data as written */
	struct series_style st;
};

struct chart_data {
	char *head;		/* comment lines (and CHART_HBARS's header), kept first */
	struct chart_item *items;
	int n;
	double lo, hi;		/* the smallest positive and the largest value (NAN: none) */
	double xs[CHART_MAX_X];	/* CHART_LINES: the distinct x values, ascending */
	int nx;
	size_t longest;		/* the longest item name, in characters */
	int ncols;		/* CHART_HBARS: the bars the header names */
	size_t longest_col;	/* ... the longest of their names */
};

/* data (as a section wrote it) into d, its items in series order.  chart_data_free frees. */
void chart_data_read(struct chart_data *d, const char *data, enum chart_kind kind);
/* d's data in its new order, as gnuplot reads it (malloc'd). */
char *chart_data_text(const struct chart_data *d, enum chart_kind kind);
void chart_data_free(struct chart_data *d);

/* A value axis: the unit shown and its divisor, the range and the ticks in that unit. */
struct chart_axis {
	const char *shown;	/* "µs"; NULL: the values are drawn as they are */
	double div, lo, hi;	/* lo > hi: let gnuplot range it (a linear axis) */
	double ticks[CHART_MAX_TICKS];
	int nticks, log;	/* log: 0, 2 or 10 */
};
/* The value axis of c over d's values: the unit axis_unit picks (on a log axis by the middle
 * decade), a range fitted to the data (padded a little; from a tick below the smallest value
 * for bars, which grow from it), and ticks in it: decades, else 1-2-5, else the 1-2-5
 * values around the data; powers of 2 for bytes.  px: about how long the axis is drawn, in
 * canvas units, so that no two tick labels crowd each other. */
void chart_value_axis(const struct chart *c, const struct chart_data *d, double px,
		      struct chart_axis *a);

/* The number of characters (UTF-8) of s. */
size_t chart_text_len(const char *s);
/* s as a gnuplot string in double quotes. */
void chart_put_string(FILE *f, const char *s);

#endif
