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

static void sb_html_char(struct sbuf *b, char c)
{
	switch (c) {
	case '<': sb_puts(b, "&lt;"); break;
	case '>': sb_puts(b, "&gt;"); break;
	case '&': sb_puts(b, "&amp;"); break;
	case '"': sb_puts(b, "&quot;"); break;
	default: sb_add(b, &c, 1);
	}
}

static void sb_html(struct sbuf *b, const char *s)
{
	for (; s && *s; s++)
		sb_html_char(b, *s);
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

/* One line of the table of contents: a section (level 2) or a chart in it (level 3). */
struct toc_line {
	char id[DOC_ID_MAX];
	char *title;
	int level;
};

struct doc {
	struct sbuf html, md;
	int ncols;
	struct toc_line *toc;	/* in document order */
	size_t ntoc, captoc;
	char **ids;		/* every id given out, so that none is given twice */
	size_t nids, capids;
};

static int id_taken(const struct doc *d, const char *id)
{
	for (size_t i = 0; i < d->nids; i++)
		if (!strcmp(d->ids[i], id))
			return 1;
	return 0;
}

/* An id for an anchor: base reduced to [a-z0-9_-] (a heading's words joined by '-'), made
 * unique in the document by -2, -3, ... (a second "Config" heading).  Written to out. */
static const char *doc_new_id(struct doc *d, const char *base, char out[DOC_ID_MAX])
{
	char slug[DOC_ID_MAX - 8];
	size_t n = 0;
	for (const char *s = base; *s && n + 1 < sizeof(slug); s++) {
		char c = (*s >= 'A' && *s <= 'Z') ? (char)(*s - 'A' + 'a') : *s;
		if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_')
			slug[n++] = c;
		else if (n && slug[n - 1] != '-')
			slug[n++] = '-';
	}
	while (n && slug[n - 1] == '-')
		n--;
	slug[n] = '\0';
	snprintf(out, DOC_ID_MAX, "%s", n ? slug : "s");
	for (int k = 2; id_taken(d, out); k++)
		snprintf(out, DOC_ID_MAX, "%.80s-%d", n ? slug : "s", k);
	if (d->nids == d->capids) {
		d->capids = d->capids ? 2 * d->capids : 32;
		d->ids = realloc(d->ids, d->capids * sizeof(*d->ids));
		if (!d->ids)
			abort();
	}
	d->ids[d->nids++] = strdup(out);
	return out;
}

static void toc_add(struct doc *d, const char *id, const char *title, size_t title_len, int level)
{
	if (d->ntoc == d->captoc) {
		d->captoc = d->captoc ? 2 * d->captoc : 32;
		d->toc = realloc(d->toc, d->captoc * sizeof(*d->toc));
		if (!d->toc)
			abort();
	}
	struct toc_line *t = &d->toc[d->ntoc++];
	snprintf(t->id, sizeof(t->id), "%s", id);
	t->title = strndup(title, title_len);
	t->level = level;
}

/* A heading with its anchor: in HTML its id, in Markdown an <a id> before it (Markdown
 * renderers make their own ids from the words; this one is the same in both). */
static void heading(struct doc *d, int level, const char *id, const char *title)
{
	sb_printf(&d->html, "<h%d id=\"%s\">", level, id);
	sb_html(&d->html, title);
	sb_printf(&d->html, "</h%d>\n", level);
	sb_printf(&d->md, "\n<a id=\"%s\"></a>\n\n%s ", id, level == 2 ? "##" : "###");
	sb_md(&d->md, title);
	sb_puts(&d->md, "\n\n");
}

void doc_section(struct doc *d, const char *id, const char *title)
{
	char buf[DOC_ID_MAX];
	doc_new_id(d, id ? id : title, buf);
	toc_add(d, buf, title, strlen(title), 2);
	heading(d, 2, buf, title);
}

void doc_h2(struct doc *d, const char *title)
{
	doc_section(d, NULL, title);
}

void doc_h3(struct doc *d, const char *title)
{
	char buf[DOC_ID_MAX];
	heading(d, 3, doc_new_id(d, title, buf), title);
}

void doc_details(struct doc *d, const char *summary)
{
	sb_puts(&d->html, "<details><summary>");
	sb_html(&d->html, summary);
	sb_puts(&d->html, "</summary>\n");
	sb_puts(&d->md, "<details><summary>");
	sb_html(&d->md, summary);
	sb_puts(&d->md, "</summary>\n\n");
}

void doc_details_end(struct doc *d)
{
	sb_puts(&d->html, "</details>\n");
	sb_puts(&d->md, "</details>\n\n");
}

void doc_link(struct doc *d, const char *text, const char *href, const char *label)
{
	sb_puts(&d->html, "<p>");
	sb_html(&d->html, text);
	sb_puts(&d->html, " <a href=\"");
	sb_html(&d->html, href);
	sb_puts(&d->html, "\">");
	sb_html(&d->html, label);
	sb_puts(&d->html, "</a>.</p>\n");
	sb_printf(&d->md, "%s [%s](%s).\n\n", text, label, href);
}

void doc_links(struct doc *d, const char *text, int n, const char *const *hrefs,
	       const char *const *labels)
{
	sb_puts(&d->html, "<p>");
	sb_html(&d->html, text);
	sb_puts(&d->md, text);
	for (int i = 0; i < n; i++) {
		sb_puts(&d->html, i ? " · <a href=\"" : " <a href=\"");
		sb_html(&d->html, hrefs[i]);
		sb_puts(&d->html, "\">");
		sb_html(&d->html, labels[i]);
		sb_puts(&d->html, "</a>");
		sb_printf(&d->md, "%s[%s](%s)", i ? " · " : " ", labels[i], hrefs[i]);
	}
	sb_puts(&d->html, ".</p>\n");
	sb_puts(&d->md, ".\n\n");
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
	/* Its own scrolling box: a wide table scrolls inside it, never the page. */
	sb_puts(&d->html, "<div class=tw><table>\n<tr>");
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
		const char *cls = !strcmp(c, "ok") ? "ok " :
				  !strcmp(c, "unsupported") ? "unsup " :
				  (!strcmp(c, "failed") || !strcmp(c, "timeout")) ? "bad " : "";
		/* s: a short cell ("28.2 us", "unix-stream") kept on one line, so that a narrow
		 * screen's table scrolls instead of stacking a number above its unit. */
		int short_cell = strlen(c) <= 16;
		if (cls[0] || short_cell)
			sb_printf(&d->html, "<td class=\"%s%s\">", cls, short_cell ? "s" : "");
		else
			sb_puts(&d->html, "<td>");
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
	sb_puts(&d->html, "</table></div>\n");
	sb_puts(&d->md, "\n");
}

/* The length of alt's first clause (up to ':' or ';'): the chart's name in the contents. */
static size_t short_title(const char *alt)
{
	size_t n = strcspn(alt, ":;");
	return n ? n : strlen(alt);
}

/* Is s at an attribute that names an id (id='x') or points at one (href='#x', url(#x))?
 * The length to copy before the prefix goes in, else 0. */
static size_t id_site(const char *svg, const char *s)
{
	char prev = s > svg ? s[-1] : ' ';
	if ((prev == ' ' || prev == '\t' || prev == '\n') && !strncmp(s, "id=", 3) &&
	    (s[3] == '\'' || s[3] == '"'))
		return 4;
	if ((prev == ' ' || prev == ':') && !strncmp(s, "href=", 5) &&
	    (s[5] == '\'' || s[5] == '"') && s[6] == '#')
		return 7;
	if (!strncmp(s, "url(#", 5))
		return 5;
	return 0;
}

/* gnuplot names the same ids in every SVG it draws (gnuplot_canvas, gpPt0, ...): inline, they
 * would repeat on the page (invalid, and a chart's marks could point at another's).  Each id
 * and each reference to one gets the chart's name in front; the generic <title> becomes the
 * chart's own. */
static void svg_scoped(struct sbuf *b, const char *svg, const char *name, const char *alt)
{
	static const char gp_title[] = "<title>Gnuplot</title>";
	const char *s = svg, *run = svg;
	for (; *s; s++) {
		size_t k = id_site(svg, s);
		if (k) {
			sb_add(b, run, (size_t)(s - run) + k);
			sb_printf(b, "%s-", name);
			s += k - 1;
			run = s + 1;
		} else if (!strncmp(s, gp_title, sizeof(gp_title) - 1)) {
			sb_add(b, run, (size_t)(s - run));
			sb_puts(b, "<title>");
			struct sbuf t = { 0 };
			sb_add(&t, alt, short_title(alt));
			sb_html(b, t.s);
			free(t.s);
			sb_puts(b, "</title>");
			s += sizeof(gp_title) - 2;
			run = s + 1;
		}
	}
	sb_add(b, run, (size_t)(s - run));
}

void doc_chart(struct doc *d, struct dirref dir, const char *name, const char *alt)
{
	char path[PATH_MAX], err[256], id[DOC_ID_MAX], base[DOC_ID_MAX];
	snprintf(path, sizeof(path), "plots/%s.svg", name);
	char *svg = dir.fd < 0 ? NULL : read_file_at(dir, path, SIZE_MAX / 2, RF_NOFOLLOW, NULL, err,
						     sizeof(err));
	char *start = svg ? strstr(svg, "<svg") : NULL;
	if (start) {
		snprintf(base, sizeof(base), "chart-%s", name);
		doc_new_id(d, base, id);
		toc_add(d, id, alt, short_title(alt), 3);
		sb_printf(&d->html, "<figure id=\"%s\">", id);
		svg_scoped(&d->html, start, id, alt);
		sb_puts(&d->html, "<figcaption>");
		sb_html(&d->html, alt);
		sb_puts(&d->html, "</figcaption></figure>\n");
		sb_printf(&d->md, "<a id=\"%s\"></a>\n\n![%s](plots/%s.png)\n\n", id, alt, name);
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

/* The style: readable from a 390 px phone to a wide screen.  Tables scroll inside their own
 * box (.tw) and so do charts below 520 px, where their text would shrink under ~10 px:
 * the page itself never scrolls sideways.  On paper nothing scrolls, so print lays out for an
 * A4 landscape page: tables shrink their type and wrap their cells until every column is on
 * the page, charts fit the width, and the records' <details> print open. */
static const char page_style[] =
	"body{font:15px/1.45 system-ui,sans-serif;max-width:1100px;margin:1.5em auto;"
	"padding:0 1em;color:#222;overflow-wrap:break-word}\n"
	".tw{overflow-x:auto;margin:.5em 0 1.5em}\n"
	"table{border-collapse:collapse;font-size:13px}\n"
	"th,td{border:1px solid #ccc;padding:3px 8px;text-align:left;vertical-align:top}\n"
	"th{background:#f2f2f2}\ntd.ok{color:#1a7f37}\ntd.unsup{color:#9a6700}\n"
	"td.bad{color:#cf222e;font-weight:600}\ntd.s{white-space:nowrap}\ntd:not(.s){min-width:10em}\n"
	".warn{background:#fff8c5;border:1px solid #d4a72c;padding:.5em 1em}\n"
	"figure{margin:1em 0;overflow-x:auto}\n"
	"figure svg{display:block;width:100%;max-width:720px;min-width:520px;height:auto}\n"
	"figcaption{font-size:13px;color:#555;max-width:720px}\n"
	"pre{background:#f6f8fa;padding:1em;overflow:auto}\n"
	"#toc{background:#f6f8fa;border:1px solid #ddd;padding:.2em 1em;margin:1em 0}\n"
	"#toc ul{margin:.2em 0;padding-left:1.2em}\n"
	"details{margin:.5em 0 1em}summary{cursor:pointer;font-weight:600}\n"
	"@media (max-width:600px){body{font-size:14px;padding:0 .6em}th,td{padding:2px 5px}}\n"
	"@media print{@page{size:A4 landscape;margin:10mm}\n"
	"body{max-width:none;margin:0;padding:0;font-size:11px}\n"
	".tw,figure{overflow:visible}table{font-size:8px;width:100%}\n"
	"th,td{padding:1px 3px;overflow-wrap:anywhere}td.s{white-space:normal}"
	"td:not(.s){min-width:0}tr,figure{break-inside:avoid}\n"
	"figure svg{min-width:0;max-width:100%}h2,h3{break-after:avoid}\n"
	"details::details-content{content-visibility:visible;display:contents}"
	"summary{list-style:none}}\n";

/* The table of contents: each section, the charts in it beneath. */
static void page_toc(const struct doc *d, struct sbuf *h, struct sbuf *m)
{
	if (!d->ntoc)
		return;
	sb_puts(h, "<nav id=toc aria-label=Contents><p><b>Contents</b></p>\n<ul>");
	sb_puts(m, "**Contents**\n\n");
	int open = 0;	/* a section's list of charts is open */
	for (size_t i = 0; i < d->ntoc; i++) {
		const struct toc_line *t = &d->toc[i];
		if (t->level == 3 && !open)
			sb_puts(h, "\n<ul>");
		if (t->level == 2 && open)
			sb_puts(h, "</ul>");
		if (t->level == 2 && i > 0)
			sb_puts(h, "</li>\n");
		open = t->level == 3;
		sb_printf(h, "<li><a href=\"#%s\">", t->id);
		sb_html(h, t->title);
		sb_puts(h, t->level == 3 ? "</a></li>" : "</a>");
		sb_printf(m, "%s- [", t->level == 3 ? "  " : "");
		sb_md(m, t->title);
		sb_printf(m, "](#%s)\n", t->id);
	}
	sb_puts(h, open ? "</ul></li></ul></nav>\n" : "</li></ul></nav>\n");
	sb_puts(m, "\n");
}

static void page_head(const struct doc *d, struct sbuf *h, struct sbuf *m, const char *title)
{
	sb_puts(h, "<!DOCTYPE html>\n<html lang=en><head><meta charset=utf-8>\n"
		   "<meta name=viewport content=\"width=device-width, initial-scale=1\">\n<title>");
	sb_html(h, title);
	sb_puts(h, "</title>\n<style>\n");
	sb_puts(h, page_style);
	sb_puts(h, "</style></head><body>\n<h1>");
	sb_html(h, title);
	sb_puts(h, "</h1>\n");
	sb_printf(m, "# %s\n\n", title);
	page_toc(d, h, m);
}

struct doc *doc_new(void)
{
	struct doc *d = calloc(1, sizeof(*d));
	if (!d)
		abort();
	return d;
}

int doc_save(struct doc *d, struct dirref dir, const char *title, char *err, size_t errlen)
{
	struct sbuf h = { 0 }, m = { 0 };
	int rc = 0;
	page_head(d, &h, &m, title);
	sb_puts(&h, d->html.s ? d->html.s : "");
	sb_puts(&h, "</body></html>\n");
	sb_puts(&m, d->md.s ? d->md.s : "");
	if (write_file_at(dir, "report.html", h.s, h.len, err, errlen) < 0)
		rc = -1;
	if (rc == 0 && write_file_at(dir, "report.md", m.s, m.len, err, errlen) < 0)
		rc = -1;
	if (rc < 0 && !err[0])
		snprintf(err, errlen, "%s: cannot create it", dir.path);
	free(h.s);
	free(m.s);
	free(d->html.s);
	free(d->md.s);
	for (size_t i = 0; i < d->ntoc; i++)
		free(d->toc[i].title);
	for (size_t i = 0; i < d->nids; i++)
		free(d->ids[i]);
	free(d->toc);
	free(d->ids);
	free(d);
	return rc;
}
