/* chartdata.c - a chart's data read back, put in series order, and its value axis
 * (chartdata.h). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/util.h"
#include "common/vocab.h"
#include "report/chartdata.h"

size_t chart_text_len(const char *s)
{
	size_t n = 0;
	for (; *s; s++)
		n += ((unsigned char)*s & 0xC0) != 0x80;
	return n;
}

void chart_put_string(FILE *f, const char *s)
{
	fputc('"', f);
	for (; *s; s++) {
		if (*s == '"' || *s == '\\')
			fputc('\\', f);
		if (*s == '\n')
			fputs("\\n", f);
		else
			fputc(*s, f);
	}
	fputc('"', f);
}

/* The next field of the line at *s (up to its '\n'), a word or a "quoted string": its start
 * in *start and its length, quotes included; 0 at the end of the line. */
static size_t next_field(const char **s, const char **start)
{
	*s += strspn(*s, " \t");
	if (!**s || **s == '\n')
		return 0;
	*start = *s;
	if (**s == '"') {
		const char *q = strpbrk(*s + 1, "\"\n");
		*s = !q ? *s + strlen(*s) : *q == '"' ? q + 1 : q;
	} else {
		*s += strcspn(*s, " \t\n");
	}
	return (size_t)(*s - *start);
}

/* A field's text without its quotes, into buf. */
static void unquote(const char *f, size_t n, char *buf, size_t len)
{
	if (n >= 2 && f[0] == '"' && f[n - 1] == '"') {
		f++;
		n -= 2;
	}
	snprintf(buf, len, "%.*s", (int)n, f);
}

/* Is the field (n bytes at f) a number?  Its value in *v. */
static int field_number(const char *f, size_t n, double *v)
{
	char buf[64], *end;
	if (!n || n >= sizeof(buf))
		return 0;
	memcpy(buf, f, n);
	buf[n] = '\0';
	*v = strtod(buf, &end);
	return end != buf && !*end && isfinite(*v);
}

/* One line of data: its first field an x value (kept when it is a number, and not of a floor:
 * a reference line spans whatever x range the series have), the others values (their span
 * kept). */
static void data_line(struct chart_data *d, const char *line, int reference)
{
	const char *s = line, *f;
	size_t n;
	double v;
	for (int k = 0; (n = next_field(&s, &f)); k++) {
		if (!field_number(f, n, &v))
			continue;
		if (k > 0 && !(v <= d->hi))
			d->hi = v;
		if (k > 0 && v > 0 && !(v >= d->lo))
			d->lo = v;
		int seen = 0;
		for (int i = 0; k == 0 && i < d->nx; i++)
			seen |= d->xs[i] == v;
		if (k == 0 && !seen && !reference && d->nx < CHART_MAX_X)
			d->xs[d->nx++] = v;
	}
}

/* CHART_HBARS's header: the names of its bars (every field after the first). */
static void header_line(struct chart_data *d, const char *line)
{
	const char *s = line, *f;
	size_t n;
	char name[256];
	for (int k = 0; (n = next_field(&s, &f)); k++) {
		unquote(f, n, name, sizeof(name));
		if (k > 0 && chart_text_len(name) > d->longest_col)
			d->longest_col = chart_text_len(name);
		d->ncols += k > 0;
	}
}

static void append(char **text, const char *line, size_t n)
{
	size_t had = *text ? strlen(*text) : 0;
	*text = realloc(*text, had + n + 2);
	if (!*text)
		abort();
	memcpy(*text + had, line, n);
	(*text)[had + n] = '\n';
	(*text)[had + n + 1] = '\0';
}

static struct chart_item *new_item(struct chart_data *d, const char *line)
{
	const char *s = line, *f;
	size_t n = next_field(&s, &f);
	d->items = realloc(d->items, (size_t)(d->n + 1) * sizeof(*d->items));
	if (!d->items)
		abort();
	struct chart_item *it = &d->items[d->n];
	memset(it, 0, sizeof(*it));
	unquote(f, n, it->name, sizeof(it->name));
	it->index = d->n++;
	series_style(it->name, &it->st);
	if (chart_text_len(it->name) > d->longest)
		d->longest = chart_text_len(it->name);
	return it;
}

/* Series with no point (a header alone): nothing to draw, and gnuplot would warn of them. */
static void drop_empty(struct chart_data *d)
{
	int kept = 0;
	for (int i = 0; i < d->n; i++) {
		const char *nl = strchr(d->items[i].text, '\n');
		if (nl && nl[1])
			d->items[kept++] = d->items[i];
		else
			free(d->items[i].text);
	}
	d->n = kept;
	d->longest = 0;
	for (int i = 0; i < d->n; i++)
		if (chart_text_len(d->items[i].name) > d->longest)
			d->longest = chart_text_len(d->items[i].name);
}

static int item_cmp(const void *a, const void *b)
{
	const struct chart_item *x = a, *y = b;
	int c = series_cmp(x->name, y->name);
	return c ? c : x->index - y->index;
}

void chart_data_read(struct chart_data *d, const char *data, enum chart_kind kind)
{
	memset(d, 0, sizeof(*d));
	d->lo = d->hi = NAN;
	struct chart_item *cur = NULL;
	int blank = 1;
	for (const char *line = data; *line;) {
		size_t n = strcspn(line, "\n");
		int empty = strspn(line, " \t") >= n;
		if (empty) {
			blank = 1;
		} else if (line[strspn(line, " \t")] == '#' && !d->n) {
			append(&d->head, line, n);
		} else if (kind == CHART_HBARS && !d->n && !d->ncols) {
			header_line(d, line);
			append(&d->head, line, n);
		} else if (kind != CHART_LINES || blank || !cur) {
			cur = new_item(d, line);
			append(&cur->text, line, n);
			if (kind != CHART_LINES)
				data_line(d, line, 0);
		} else {
			append(&cur->text, line, n);
			data_line(d, line, cur->st.reference);
		}
		blank = empty ? blank : 0;
		line += n + (line[n] == '\n');
	}
	if (kind == CHART_LINES)
		drop_empty(d);
	qsort(d->items, (size_t)d->n, sizeof(*d->items), item_cmp);
	for (int i = 1; i < d->nx; i++)	/* ascending: insertion sort of a few */
		for (int k = i; k > 0 && d->xs[k - 1] > d->xs[k]; k--) {
			double t = d->xs[k];
			d->xs[k] = d->xs[k - 1];
			d->xs[k - 1] = t;
		}
}

char *chart_data_text(const struct chart_data *d, enum chart_kind kind)
{
	char *out = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&out, &len);
	fputs(d->head ? d->head : "", f);
	for (int i = 0; i < d->n; i++) {
		fputs(d->items[i].text, f);
		if (kind == CHART_LINES)	/* two blank lines: gnuplot's next index */
			fputs("\n\n", f);
	}
	fclose(f);
	return out;
}

void chart_data_free(struct chart_data *d)
{
	for (int i = 0; i < d->n; i++)
		free(d->items[i].text);
	free(d->items);
	free(d->head);
	memset(d, 0, sizeof(*d));
}

/* The members of a tick sequence (kind 1: decades, 2: 1-2-5, 3: powers of 2 every step-th)
 * in [lo, hi], into t (at most max); their count. */
static int seq_ticks(int kind, int step, double lo, double hi, double *t, int max)
{
	int n = 0;
	if (kind == 3) {
		for (int k = (int)floor(log2(lo)) - 1; k <= (int)ceil(log2(hi)) + 1 && n < max; k++)
			if (k % step == 0 && ldexp(1, k) >= lo * (1 - 1e-9) &&
			    ldexp(1, k) <= hi * (1 + 1e-9))
				t[n++] = ldexp(1, k);
		return n;
	}
	static const double m125[] = { 1, 2, 5 };
	for (int k = (int)floor(log10(lo)) - 1; k <= (int)ceil(log10(hi)) + 1 && n < max; k++)
		for (int i = 0; i < (kind == 1 ? 1 : 3) && n < max; i++) {
			double v = m125[i] * pow(10, k);
			if ((kind != 1 || k % step == 0) && v >= lo * (1 - 1e-9) && v <= hi * (1 + 1e-9))
				t[n++] = v;
		}
	return n;
}

/* A tick at v, at place k of a's ticks. */
static void insert_tick(struct chart_axis *a, double v, int k)
{
	memmove(a->ticks + k + 1, a->ticks + k, (size_t)(a->nticks - k) * sizeof(a->ticks[0]));
	a->ticks[k] = v;
	a->nticks++;
}

/* The largest member of the sequence at or below v, and the smallest at or above it. */
static double seq_below(int kind, int step, double v)
{
	double t[CHART_MAX_TICKS];
	int n = seq_ticks(kind, step, v / (kind == 3 ? ldexp(1, step + 1) : pow(10, step + 1)), v, t,
			  CHART_MAX_TICKS);
	return n ? t[n - 1] : v;
}

static double seq_above(int kind, int step, double v)
{
	double t[CHART_MAX_TICKS];
	int n = seq_ticks(kind, step, v, v * (kind == 3 ? ldexp(1, step + 1) : pow(10, step + 1)), t,
			  CHART_MAX_TICKS);
	return n ? t[0] : v;
}

/* A log axis over the values l..h (> 0): the range padded a little and its ticks (decades,
 * else 1-2-5; powers of 2 for bytes).  Where the data run well past the outer ticks (or too
 * few fall inside), the range reaches the round value beyond them (on a decade axis 1-2-5),
 * which gets a tick: both ends read off the axis, and no decade is left empty.  Bars grow
 * from such a value below the smallest, so that the shortest bar still shows. */
static void log_axis(double l, double h, int bars, double px, double gap, struct chart_axis *a)
{
	double lo = l / 1.3, hi = h * 1.3, t[CHART_MAX_TICKS];
	int kind = a->log == 2 ? 3 : seq_ticks(1, 1, lo, hi, t, CHART_MAX_TICKS) >= 2 ? 1 : 2;
	int step = 1;
	while (kind != 2 && seq_ticks(kind, step, lo, hi, t, CHART_MAX_TICKS) > (kind == 3 ? 7 : 8))
		step++;
	int n = seq_ticks(kind, step, lo, hi, t, CHART_MAX_TICKS);
	int ek = kind == 1 ? 2 : kind, es = kind == 1 ? 1 : step;	/* the end ticks' sequence */
	double below = seq_below(ek, es, bars ? l / 1.5 : l), above = seq_above(ek, es, h);
	if (bars || n < 2 || t[0] > l * 1.6)
		lo = below < lo ? below : lo;
	if (n < 2 || t[n - 1] < h / 1.6)
		hi = above > hi ? above : hi;
	a->lo = lo;
	a->hi = hi;
	a->nticks = seq_ticks(kind, step, lo, hi, a->ticks, CHART_MAX_TICKS - 2);
	/* An end tick where its label keeps clear of its neighbour's: gap units apart on an
	 * axis px long. */
	double need = gap * log(hi / lo) / px;
	if (below >= lo * (1 - 1e-9) && (!a->nticks || log(a->ticks[0] / below) >= need))
		insert_tick(a, below, 0);
	if (above <= hi * (1 + 1e-9) && (!a->nticks || log(above / a->ticks[a->nticks - 1]) >= need))
		insert_tick(a, above, a->nticks);
}

void chart_value_axis(const struct chart *c, const struct chart_data *d, double px,
		      struct chart_axis *a)
{
	memset(a, 0, sizeof(*a));
	a->div = 1;
	a->lo = 1;	/* lo > hi: gnuplot ranges it */
	int usable = !isnan(d->hi) && !isnan(d->lo) && d->lo > 0;
	a->log = c->log && usable ? (c->unit && !strcmp(c->unit, "bytes") ? 2 : 10) : 0;
	double scale = a->log ? sqrt(d->lo * d->hi) : d->hi;
	if (c->unit)
		a->shown = axis_unit(c->unit, isnan(scale) ? 1 : scale, &a->div);
	if (a->log)
		log_axis(d->lo / a->div, d->hi / a->div, c->kind != CHART_LINES, px,
			 c->kind == CHART_HBARS ? 44 : 22, a);
	else if (c->kind == CHART_LINES && d->lo == d->hi) {	/* one value: a range about it */
		double v = d->hi / a->div, half = v ? fabs(v) / 10 : 1;
		a->lo = v - half;
		a->hi = v + half;
	}
}
