/* doc.c - the one document writer (doc.h): each call writes HTML and Markdown at once. */
#include <limits.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/util.h"
#include "report/doc.h"

/* ---- a growing string ------------------------------------------------------------------ */

struct sbuf {
	char *s;
	size_t len, cap;
};

static void sb_add(struct sbuf *b, const char *s, size_t n)
{
	if (b->len + n + 1 > b->cap) {
		size_t cap = b->cap ? b->cap : 4096;
		while (b->len + n + 1 > cap)
			cap *= 2;
		char *t = realloc(b->s, cap);
		if (!t)
			abort();
		b->s = t;
		b->cap = cap;
	}
	memcpy(b->s + b->len, s, n);
	b->len += n;
	b->s[b->len] = '\0';
}

static void sb_puts(struct sbuf *b, const char *s)
{
	sb_add(b, s, strlen(s));
}

static void sb_vprintf(struct sbuf *b, const char *fmt, va_list ap)
	__attribute__((format(printf, 2, 0)));
static void sb_vprintf(struct sbuf *b, const char *fmt, va_list ap)
{
	char *s = NULL;
	int n = vasprintf(&s, fmt, ap);
	if (n < 0)
		abort();
	sb_add(b, s, (size_t)n);
	free(s);
}

static void sb_printf(struct sbuf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void sb_printf(struct sbuf *b, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	sb_vprintf(b, fmt, ap);
	va_end(ap);
}

static void sb_html(struct sbuf *b, const char *s)
{
	for (; s && *s; s++) {
		switch (*s) {
		case '<': sb_puts(b, "&lt;"); break;
		case '>': sb_puts(b, "&gt;"); break;
		case '&': sb_puts(b, "&amp;"); break;
		case '"': sb_puts(b, "&quot;"); break;
		default: sb_add(b, s, 1);
		}
	}
}

static void sb_md(struct sbuf *b, const char *s)
{
	for (; s && *s; s++) {
		if (*s == '|')
			sb_puts(b, "\\|");
		else if (*s == '\n')
			sb_puts(b, " ");
		else
			sb_add(b, s, 1);
	}
}

/* ---- the document ------------------------------------------------------------------------ */

struct doc {
	struct sbuf html, md;
	int ncols;
};

void doc_h2(struct doc *d, const char *title)
{
	sb_puts(&d->html, "<h2>");
	sb_html(&d->html, title);
	sb_puts(&d->html, "</h2>\n");
	sb_printf(&d->md, "\n## %s\n\n", title);
}

void doc_h3(struct doc *d, const char *title)
{
	sb_puts(&d->html, "<h3>");
	sb_html(&d->html, title);
	sb_puts(&d->html, "</h3>\n");
	sb_printf(&d->md, "\n### %s\n\n", title);
}

void doc_p(struct doc *d, const char *fmt, ...)
{
	struct sbuf t = { 0 };
	va_list ap;
	va_start(ap, fmt);
	sb_vprintf(&t, fmt, ap);
	va_end(ap);
	sb_puts(&d->html, "<p>");
	sb_html(&d->html, t.s);
	sb_puts(&d->html, "</p>\n");
	sb_printf(&d->md, "%s\n\n", t.s);
	free(t.s);
}

void doc_table(struct doc *d, int ncols, const char *const *headers)
{
	d->ncols = ncols;
	sb_puts(&d->html, "<table>\n<tr>");
	sb_puts(&d->md, "|");
	for (int i = 0; i < ncols; i++) {
		sb_puts(&d->html, "<th>");
		sb_html(&d->html, headers[i]);
		sb_puts(&d->html, "</th>");
		sb_puts(&d->md, " ");
		sb_md(&d->md, headers[i]);
		sb_puts(&d->md, " |");
	}
	sb_puts(&d->html, "</tr>\n");
	sb_puts(&d->md, "\n|");
	for (int i = 0; i < ncols; i++)
		sb_puts(&d->md, "---|");
	sb_puts(&d->md, "\n");
}

void doc_row(struct doc *d, const char *const *cells)
{
	sb_puts(&d->html, "<tr>");
	sb_puts(&d->md, "|");
	for (int i = 0; i < d->ncols; i++) {
		const char *c = cells[i] && *cells[i] ? cells[i] : "—";
		const char *cls = !strcmp(c, "ok") ? " class=ok" :
				  !strcmp(c, "unsupported") ? " class=unsup" :
				  (!strcmp(c, "failed") || !strcmp(c, "timeout")) ? " class=bad" : "";
		sb_printf(&d->html, "<td%s>", cls);
		sb_html(&d->html, c);
		sb_puts(&d->html, "</td>");
		sb_puts(&d->md, " ");
		sb_md(&d->md, c);
		sb_puts(&d->md, " |");
	}
	sb_puts(&d->html, "</tr>\n");
	sb_puts(&d->md, "\n");
}

void doc_table_end(struct doc *d)
{
	sb_puts(&d->html, "</table>\n");
	sb_puts(&d->md, "\n");
}

void doc_chart(struct doc *d, const char *dir, const char *name, const char *alt)
{
	char path[PATH_MAX], err[256];
	snprintf(path, sizeof(path), "%s/plots/%s.svg", dir, name);
	char *svg = read_file_max(path, SIZE_MAX / 2, RF_NOFOLLOW, NULL, err, sizeof(err));
	char *start = svg ? strstr(svg, "<svg") : NULL;
	if (start) {
		sb_puts(&d->html, "<figure>");
		sb_puts(&d->html, start);
		sb_puts(&d->html, "<figcaption>");
		sb_html(&d->html, alt);
		sb_puts(&d->html, "</figcaption></figure>\n");
		sb_printf(&d->md, "![%s](plots/%s.png)\n\n", alt, name);
	} else {
		doc_p(d, "(chart %s not drawn: gnuplot is missing or failed; run make deps)", name);
	}
	free(svg);
}

void doc_warn(struct doc *d, const char *text)
{
	sb_puts(&d->html, "<p class=warn>");
	sb_html(&d->html, text);
	sb_puts(&d->html, "</p>\n");
	sb_printf(&d->md, "> **%s**\n\n", text);
}

void doc_pre(struct doc *d, const char *text, const char *lang)
{
	sb_puts(&d->html, "<pre>");
	sb_html(&d->html, text);
	sb_puts(&d->html, "</pre>\n");
	sb_printf(&d->md, "```%s\n%s\n```\n", lang ? lang : "", text);
}

static void page_head(struct sbuf *h, struct sbuf *m, const char *title)
{
	sb_puts(h, "<!DOCTYPE html>\n<html lang=en><head><meta charset=utf-8><title>");
	sb_html(h, title);
	sb_puts(h, "</title>\n<style>\nbody{font:15px/1.45 system-ui,sans-serif;max-width:1100px;"
		   "margin:2em auto;padding:0 1em;color:#222}\ntable{border-collapse:collapse;"
		   "margin:.5em 0 1.5em;font-size:13px}\nth,td{border:1px solid #ccc;padding:3px 8px;"
		   "text-align:left;vertical-align:top}\nth{background:#f2f2f2}\ntd.ok{color:#1a7f37}"
		   "\ntd.unsup{color:#9a6700}\ntd.bad{color:#cf222e;font-weight:600}\n"
		   ".warn{background:#fff8c5;border:1px solid #d4a72c;padding:.5em 1em}\n"
		   "figure{margin:1em 0}figure svg{max-width:100%;height:auto}\n"
		   "pre{background:#f6f8fa;padding:1em;overflow:auto}\n</style></head><body>\n<h1>");
	sb_html(h, title);
	sb_puts(h, "</h1>\n");
	sb_printf(m, "# %s\n\n", title);
}

struct doc *doc_new(void)
{
	struct doc *d = calloc(1, sizeof(*d));
	if (!d)
		abort();
	return d;
}

int doc_save(struct doc *d, const char *dir, const char *title, char *err, size_t errlen)
{
	struct sbuf h = { 0 }, m = { 0 };
	char path[PATH_MAX + 16];
	int rc = 0;
	page_head(&h, &m, title);
	sb_puts(&h, d->html.s ? d->html.s : "");
	sb_puts(&h, "</body></html>\n");
	sb_puts(&m, d->md.s ? d->md.s : "");
	snprintf(path, sizeof(path), "%s/report.html", dir);
	if (mkdir_p(dir, 0755) < 0 || write_file_atomic(path, h.s, h.len, err, errlen) < 0)
		rc = -1;
	snprintf(path, sizeof(path), "%s/report.md", dir);
	if (rc == 0 && write_file_atomic(path, m.s, m.len, err, errlen) < 0)
		rc = -1;
	if (rc < 0 && !err[0])
		snprintf(err, errlen, "%s: cannot create it", dir);
	free(h.s);
	free(m.s);
	free(d->html.s);
	free(d->md.s);
	free(d);
	return rc;
}
