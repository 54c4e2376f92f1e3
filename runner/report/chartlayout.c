/* chartlayout.c - a chart's layout worked out from its data and written as the gnuplot lines
 * of plots/<name>.opts (chartlayout.h): canvas size, margins, key places, ranges, ticks and
 * each series' look.  The scripts in plots/ only draw what this says, so that a chart lays out
 * for any number of series without gnuplot squeezing it (and warning). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/vocab.h"
#include "report/chartdata.h"
#include "report/chartlayout.h"

/* Sizes on the 720-wide SVG canvas whose text is 14 units (plots/style.gp); the PNG is the
 * same drawing 1.5 times larger. */
#define CANVAS_W 720.0
#define CHAR_W 8.4	/* a character as gnuplot's SVG terminal reckons it: 0.6 of the font */
#define TEXT_W 7.2	/* ... and as drawn, on average, in a Helvetica-wide font */
#define KEY_SAMPLE 9.5	/* a key column's width beyond its longest entry, in CHAR_W */
#define KEY_LINE 21.0	/* one key entry */
#define TITLE_H 44.0	/* the chart's title */
#define PANELS_TOP 58.0	/* ... above panels, each with its own title */
#define TICKS_H 28.0	/* a row of x tick labels */
#define XLABEL_H 30.0
#define MAX_PANELS 16
#define PLOT_H 300.0	/* the plot area of a line chart of one panel */
#define PANEL_H 165.0	/* ... of each of its panels */
#define BARS_H 280.0	/* ... of a chart of bars up the page */

/* A plot area, in canvas units from the top left, and the key placed under it. */
struct area {
	double l, r, t, b, key_x, key_y;
	int key_rows;
};

/* Key columns for entries of at most longest characters in width units: as many as fit. */
static int key_cols(int entries, size_t longest, double width)
{
	int cols = (int)(width / (((double)longest + KEY_SAMPLE) * CHAR_W));
	return cols < 1 ? 1 : cols > entries ? (entries ? entries : 1) : cols;
}

static int key_rows(int entries, size_t longest, double width)
{
	int cols = key_cols(entries, longest, width);
	return (entries + cols - 1) / cols;
}

/* A plot area at least want high, and tall enough for gnuplot to stack a key of rows rows:
 * it lets a key have no more rows than fit the plot's height, and would add columns. */
static double plot_height(double want, int rows)
{
	double need = (rows + 1) * KEY_LINE + 8;
	return need > want ? need : want;
}

/* The key at the left under a, its entries stacked in key_rows rows. */
static void put_key(FILE *f, const struct area *a, double h)
{
	fprintf(f, "set key at screen %.4f,%.4f left top vertical maxrows %d Left reverse "
		   "samplen 2 spacing 1 nobox noopaque\n", a->key_x / CANVAS_W, 1 - a->key_y / h,
		a->key_rows < 1 ? 1 : a->key_rows);
}

static void put_margins(FILE *f, const struct area *a, double h)
{
	fprintf(f, "set lmargin at screen %.4f\nset rmargin at screen %.4f\n"
		   "set tmargin at screen %.4f\nset bmargin at screen %.4f\n",
		a->l / CANVAS_W, a->r / CANVAS_W, 1 - a->t / h, 1 - a->b / h);
}

/* The widest tick label of a, in characters. */
static size_t ticks_len(const struct chart_axis *a)
{
	size_t n = 5;	/* gnuplot's own ticks on a linear axis: a guess */
	char buf[32];
	for (int i = 0; i < a->nticks; i++) {
		snprintf(buf, sizeof(buf), "%g", a->ticks[i]);
		n = i == 0 || strlen(buf) > n ? strlen(buf) : n;
	}
	return n;
}

/* The value axis (y, or x across CHART_HBARS): its label, divisor, scale, range and ticks. */
static void put_value_axis(FILE *f, const struct chart *c, const struct chart_axis *a, char ax)
{
	char label[256];
	if (c->unit)
		snprintf(label, sizeof(label), "%s (%s%s)", c->what, a->shown,
			 a->log ? ", log scale" : "");
	else
		snprintf(label, sizeof(label), "%s", c->what);
	/* ydiv: the data stay in base units in NAME.dat; the script draws them over ydiv. */
	fprintf(f, "ydiv = %.17g\nvalue_label = ", a->div);
	chart_put_string(f, label);
	fprintf(f, "\nset format %c \"%%g\"\n", ax);
	if (a->log)
		fprintf(f, "set logscale %c %d\n", ax, a->log);
	if (a->lo < a->hi)
		/* a hair wider: gnuplot leaves out a tick that rounding puts past an end */
		fprintf(f, "set %crange [%.6g:%.6g]\nbar_base = %.6g\n", ax, a->lo / 1.005,
			a->hi * 1.005, a->lo / 1.005);
	else
		fprintf(f, "set %crange [%s:*]\nbar_base = 0\n", ax, c->kind == CHART_LINES ? "*" : "0");
	if (!a->nticks)
		return;
	fprintf(f, "set %ctics nomirror (", ax);
	for (int i = 0; i < a->nticks; i++)
		fprintf(f, "%s%.10g", i ? ", " : "", a->ticks[i]);
	fprintf(f, ")\n");
}

/* CHART_LINES with x_unit: a log-2 x axis fitted to the x values, a tick at each that leaves
 * room for its label beside the last one kept in a plot width units wide. */
static void put_x_axis(FILE *f, const struct chart *c, const struct chart_data *d, double width)
{
	if (!c->x_unit || !d->nx || d->xs[0] <= 0)
		return;
	double lo = d->xs[0] / 1.4, hi = d->xs[d->nx - 1] * 1.4, last = -1e9;
	size_t last_len = 0;
	if (d->nx == 1) {
		lo = d->xs[0] / 2;
		hi = d->xs[0] * 2;
	}
	fprintf(f, "set logscale x 2\nset xrange [%.6g:%.6g]\nset xtics nomirror (", lo, hi);
	for (int i = 0, kept = 0; i < d->nx; i++) {
		char label[32];
		if (!strcmp(c->x_unit, "bytes"))
			fmt_value(d->xs[i], "bytes", label, sizeof(label));
		else
			snprintf(label, sizeof(label), "%g", d->xs[i]);
		double at = width * log(d->xs[i] / lo) / log(hi / lo);
		size_t len = chart_text_len(label);
		if (kept && at - last < (double)(len + last_len) / 2 * TEXT_W + 6)
			continue;
		fprintf(f, "%s\"%s\" %.17g", kept++ ? ", " : "", label, d->xs[i]);
		last = at;
		last_len = len;
	}
	fprintf(f, ")\n");
}

/* The panels of a line chart: one, or past CHART_PANEL_MAX series one per family of
 * consecutive series; the floors (references) are drawn in every panel and listed in the
 * first one's key. */
struct panel {
	int first, last, entries;
	const char *family;
	size_t longest;
	struct area a;
};

static int line_panels(const struct chart_data *d, struct panel *p, int *refs, int *nref)
{
	int series = 0, np = 0;
	for (int i = 0; i < d->n; i++)
		series += !d->items[i].st.reference;
	int split = series > CHART_PANEL_MAX;
	*nref = 0;
	for (int i = 0; i < d->n; i++) {
		const struct chart_item *it = &d->items[i];
		if (it->st.reference) {
			refs[(*nref)++] = i;
			continue;
		}
		const char *fam = split ? series_family(it->name) : "";
		if (!np || (strcmp(fam, p[np - 1].family) && np < MAX_PANELS))
			p[np++] = (struct panel){ .first = i, .family = fam };
		p[np - 1].last = i;
		p[np - 1].entries++;
		if (chart_text_len(it->name) > p[np - 1].longest)
			p[np - 1].longest = chart_text_len(it->name);
	}
	if (!np)
		p[np++] = (struct panel){ .first = 0, .last = -1, .family = "" };
	for (int k = 0; k < *nref; k++) {
		p[0].entries++;
		if (chart_text_len(d->items[refs[k]].name) > p[0].longest)
			p[0].longest = chart_text_len(d->items[refs[k]].name);
	}
	return np;
}

/* Where the key of a right-hand panel starts: from lo (its tick labels' left) on, clear of
 * the key of the panel at its left (left), at most at hi. */
static double key_after(const struct panel *left, double lo, double hi)
{
	int cols = key_cols(left->entries, left->longest, left->a.r - left->a.l + 12);
	double end = left->a.key_x + (cols - 1) * ((double)left->longest + KEY_SAMPLE) * CHAR_W +
		     44 + (double)left->longest * TEXT_W + 12;
	return end > hi ? hi : end > lo ? end : lo;
}

/* Where each panel goes: one across the canvas, or two a row; returns the canvas height. */
static double panel_places(struct panel *p, int np, int xlabel, double lm, double tl)
{
	if (np == 1) {
		struct area *a = &p[0].a;
		*a = (struct area){ .l = lm, .r = CANVAS_W - 20, .t = TITLE_H + 8, .key_x = lm };
		a->key_rows = key_rows(p[0].entries, p[0].longest, a->r - a->l + 40);
		a->b = a->t + plot_height(PLOT_H, a->key_rows);
		a->key_y = a->b + TICKS_H + (xlabel ? XLABEL_H : 0) + 6;
		return a->key_y + a->key_rows * KEY_LINE + 12;
	}
	double gap = 28 + tl, pw = (CANVAS_W - 16 - lm - gap) / 2, y = PANELS_TOP;
	for (int row = 0; row * 2 < np; row++) {
		int last_row = row * 2 + 2 >= np, rows = 1;
		for (int k = row * 2; k < row * 2 + 2 && k < np; k++) {
			/* the right one's key may start in the gap, under its tick labels */
			double x = k % 2 ? lm + pw + gap - tl + 6 : lm;
			p[k].a.key_rows = key_rows(p[k].entries, p[k].longest,
						   k % 2 ? CANVAS_W - 8 - x : pw + 12);
			rows = p[k].a.key_rows > rows ? p[k].a.key_rows : rows;
		}
		for (int k = row * 2; k < row * 2 + 2 && k < np; k++) {
			struct area *a = &p[k].a;
			a->l = lm + (k % 2) * (pw + gap);
			a->r = a->l + pw;
			a->key_x = k % 2 ? key_after(&p[k - 1], a->l - tl + 6, a->l) : a->l;
			a->t = y + 26;
			a->b = a->t + plot_height(PANEL_H, rows);
			a->key_y = a->b + TICKS_H + (last_row && xlabel ? XLABEL_H : 0) + 4;
		}
		y = p[row * 2].a.key_y + rows * KEY_LINE + 24;
	}
	return y;
}

static void put_array_d(FILE *f, const char *name, const double *v, int n, double scale,
			int flip)
{
	fprintf(f, "array %s[%d] = [", name, n);
	for (int i = 0; i < n; i++)
		fprintf(f, "%s%.4f", i ? ", " : "", flip ? 1 - v[i] / scale : v[i] / scale);
	fprintf(f, "]\n");
}

/* The panels as arrays the script walks (lines.gp). */
static void put_panels(FILE *f, const struct panel *p, int np, double h, int xlabel)
{
	double v[7][MAX_PANELS];
	for (int k = 0; k < np; k++) {
		v[0][k] = p[k].a.l;
		v[1][k] = p[k].a.r;
		v[2][k] = p[k].a.t;
		v[3][k] = p[k].a.b;
		v[4][k] = p[k].a.key_y;
		v[6][k] = p[k].a.key_x;
		v[5][k] = p[k].a.key_rows < 1 ? 1 : p[k].a.key_rows;
	}
	fprintf(f, "npanels = %d\n", np);
	put_array_d(f, "p_left", v[0], np, CANVAS_W, 0);
	put_array_d(f, "p_right", v[1], np, CANVAS_W, 0);
	put_array_d(f, "p_top", v[2], np, h, 1);
	put_array_d(f, "p_bottom", v[3], np, h, 1);
	put_array_d(f, "p_key", v[4], np, h, 1);
	put_array_d(f, "p_keyx", v[6], np, CANVAS_W, 0);
	put_array_d(f, "p_keyrows", v[5], np, 1, 0);
	fprintf(f, "array p_first[%d]\narray p_last[%d]\narray p_ylabel[%d]\narray p_xlabel[%d]\n"
		   "array p_title[%d]\n", np, np, np, np, np);
	for (int k = 0; k < np; k++) {
		fprintf(f, "p_first[%d] = %d; p_last[%d] = %d; p_ylabel[%d] = %d; p_xlabel[%d] = %d\n"
			   "p_title[%d] = ", k + 1, p[k].first, k + 1, p[k].last, k + 1,
			np == 1 || k % 2 == 0, k + 1, xlabel && k / 2 == (np - 1) / 2, k + 1);
		chart_put_string(f, np == 1 ? "" : p[k].family);
		fputc('\n', f);
	}
}

/* Each series' colour, point and dash (series.h), and the floors drawn in every panel. */
static void put_series(FILE *f, const struct chart_data *d, const int *refs, int nref)
{
	int n = d->n ? d->n : 1;
	fprintf(f, "array s_color[%d]\narray s_point[%d]\narray s_dash[%d]\n", n, n, n);
	for (int i = 0; i < d->n; i++)
		fprintf(f, "s_color[%d] = \"%s\"; s_point[%d] = %d; s_dash[%d] = %d\n", i + 1,
			d->items[i].st.color, i + 1, d->items[i].st.point, i + 1,
			d->items[i].st.dash);
	fprintf(f, "nref = %d\narray refs[%d]\n%s", nref, nref ? nref : 1,
		nref ? "" : "refs[1] = 0\n");
	for (int k = 0; k < nref; k++)
		fprintf(f, "refs[%d] = %d\n", k + 1, refs[k]);
}

/* The chart's title over the canvas' middle (a plot's own title would centre on the plot). */
static void put_title(FILE *f, double h)
{
	fprintf(f, "unset title\nset label 1 chart_title at screen 0.5,%.4f center font \",16\"\n",
		1 - 26 / h);
}

static void put_canvas(FILE *f, const struct chart *c, double h)
{
	fprintf(f, "chart_w = %.0f\nchart_h = %.0f\nchart_title = ", CANVAS_W, ceil(h));
	chart_put_string(f, c->title);
	fputc('\n', f);
}

static void lines_layout(FILE *f, const struct chart *c, const struct chart_data *d)
{
	struct panel p[MAX_PANELS];
	struct chart_axis a;
	int refs[CHART_MAX_X * 4], nref;
	if (d->n > (int)(sizeof(refs) / sizeof(refs[0])))
		return;
	int np = line_panels(d, p, refs, &nref);
	chart_value_axis(c, d, np == 1 ? PLOT_H : PANEL_H, &a);
	double tl = (double)ticks_len(&a) * CHAR_W + 14, lm = 30 + tl;
	double h = panel_places(p, np, c->xlabel != NULL, lm, tl);
	put_canvas(f, c, h);
	put_value_axis(f, c, &a, 'y');
	put_x_axis(f, c, d, p[0].a.r - p[0].a.l);
	fprintf(f, "xlabel_text = ");
	chart_put_string(f, c->xlabel ? c->xlabel : "");
	fputc('\n', f);
	put_panels(f, p, np, h, c->xlabel != NULL);
	put_series(f, d, refs, nref);
}

/* The bars' names (c->bars of them) as an array b_title, and their count, nbars. */
static void put_bar_titles(FILE *f, const struct chart *c)
{
	fprintf(f, "nbars = %d\narray b_title[%d]\n", c->bars, c->bars ? c->bars : 1);
	for (int s = 0; s < c->bars && c->bar_titles; s++) {
		fprintf(f, "b_title[%d] = ", s + 1);
		chart_put_string(f, c->bar_titles[s]);
		fputc('\n', f);
	}
}

static size_t bar_titles_len(const struct chart *c)
{
	size_t longest = 0;
	for (int s = 0; s < c->bars && c->bar_titles; s++)
		if (chart_text_len(c->bar_titles[s]) > longest)
			longest = chart_text_len(c->bar_titles[s]);
	return longest;
}

/* Clusters of bars up the page: labels under them, turned when they do not fit. */
static void bars_layout(FILE *f, const struct chart *c, const struct chart_data *d)
{
	struct chart_axis a;
	chart_value_axis(c, d, BARS_H, &a);
	double tl = (double)ticks_len(&a) * CHAR_W + 14;
	struct area ar = { .l = 30 + tl, .r = CANVAS_W - 20, .t = TITLE_H + 8 };
	ar.key_rows = key_rows(c->bars, bar_titles_len(c), ar.r - ar.l + 40);
	ar.b = ar.t + plot_height(BARS_H, ar.key_rows);
	int n = d->n ? d->n : 1;
	double room = (ar.r - ar.l) / n, labels = TICKS_H;
	int turn = ((double)d->longest + 1) * TEXT_W > room;
	if (turn)	/* at 30 degrees: half their length down, and a line */
		labels = (double)d->longest * TEXT_W * 0.5 + 14 + 12;
	ar.key_y = ar.b + labels + 6;
	ar.key_x = ar.l;
	double h = ar.key_y + ar.key_rows * KEY_LINE + 12;
	put_canvas(f, c, h);
	put_bar_titles(f, c);
	put_value_axis(f, c, &a, 'y');
	put_margins(f, &ar, h);
	put_key(f, &ar, h);
	put_title(f, h);
	fprintf(f, "set xrange [-0.6:%d.4]\nset xtics nomirror %s\nset ylabel value_label\n",
		n - 1, turn ? "rotate by 30 right" : "norotate center");
}

/* Rows of bars across the page, each category's label at its left. */
static void hbars_layout(FILE *f, const struct chart *c, const struct chart_data *d)
{
	int n = d->n ? d->n : 1, m = d->ncols ? d->ncols : 1;
	double lm = ((double)d->longest + 1) * TEXT_W + 16, row = 12.0 * m + 10;
	struct chart_axis a;
	lm = lm < 80 ? 80 : lm > 400 ? 400 : lm;
	chart_value_axis(c, d, CANVAS_W - 28 - lm, &a);
	row = row < 26 ? 26 : row;
	struct area ar = { .l = lm, .r = CANVAS_W - 28, .t = TITLE_H + 8 };
	ar.key_rows = key_rows(m, d->longest_col, CANVAS_W - 40);
	ar.b = ar.t + plot_height(n * row, ar.key_rows);
	ar.key_y = ar.b + TICKS_H + XLABEL_H + 6;
	int cols = key_cols(m, d->longest_col, CANVAS_W - 40);
	ar.key_x = ar.l;
	if (cols * ((double)d->longest_col + KEY_SAMPLE) * CHAR_W > ar.r - ar.l)
		ar.key_x = 20;	/* wider than the plot (runs' names are long): from the left */
	double h = ar.key_y + ar.key_rows * KEY_LINE + 12;
	put_canvas(f, c, h);
	put_value_axis(f, c, &a, 'x');
	put_margins(f, &ar, h);
	put_key(f, &ar, h);
	put_title(f, h);
	fprintf(f, "nbars = %d\nbar_h = %.4f\nset yrange [%d.5:-0.5]\nunset ylabel\n"
		   "set xlabel value_label\nset grid noytics xtics\nset ytics nomirror scale 0 (",
		m, 0.8 / m, n - 1);
	for (int i = 0; i < d->n; i++) {	/* each row's label, once */
		fprintf(f, "%s", i ? ", " : "");
		chart_put_string(f, d->items[i].name);
		fprintf(f, " %d", i);
	}
	fprintf(f, ")\n");
}

char *chart_layout(const struct chart *c, const struct chart_data *d)
{
	char *opts = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&opts, &len);
	fprintf(f, "# The layout of this chart, worked out from its data by ipcprobe "
		   "(runner/report/chartlayout.c)\n");
	if (c->kind == CHART_LINES)
		lines_layout(f, c, d);
	else if (c->kind == CHART_BARS)
		bars_layout(f, c, d);
	else
		hbars_layout(f, c, d);
	fprintf(f, "chart_kind = \"%s\"\n", c->kind == CHART_LINES ? "lines" :
		c->kind == CHART_BARS ? "bars" : "hbars");
	fclose(f);
	return opts;
}
