/* doc.h - the one document writer every report uses: each call writes the same content as
 * HTML (one self-contained page, charts inline) and as Markdown (charts beside it). */
#ifndef IPCPROBE_DOC_H
#define IPCPROBE_DOC_H

#include <stddef.h>

#include "common/util.h"

struct doc;

struct doc *doc_new(void);
/* Write <dir>/report.html and report.md under title (through temporary files renamed into
 * place); frees d.  0, or -1 with err. */
int doc_save(struct doc *d, struct dirref dir, const char *title, char *err, size_t errlen);
/* Anchors are at most this long (with the NUL). */
#define DOC_ID_MAX 96

/* A section: an h2 with id (a stable anchor: "latency"; NULL makes one from the title's
 * words), listed in the table of contents at the top of the page.  An id already used on the
 * page gets -2, -3, ... */
void doc_section(struct doc *d, const char *id, const char *title);
/* doc_section(d, NULL, title). */
void doc_h2(struct doc *d, const char *title);
/* A sub-heading (its id from its words; not in the table of contents). */
void doc_h3(struct doc *d, const char *title);
/* A collapsed block (<details>) headed by summary, until doc_details_end; the same in
 * Markdown (GitHub renders it). */
void doc_details(struct doc *d, const char *summary);
void doc_details_end(struct doc *d);
/* A paragraph: text, then a link to href labelled label, then a full stop. */
void doc_link(struct doc *d, const char *text, const char *href, const char *label);
/* The same with n links, apart by " · ". */
void doc_links(struct doc *d, const char *text, int n, const char *const *hrefs,
	       const char *const *labels);
void doc_p(struct doc *d, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* A paragraph that must not be missed (an incomplete run, a warning). */
void doc_warn(struct doc *d, const char *text);
/* Preformatted text (a config), lang naming it for Markdown ("yaml"; may be NULL). */
void doc_pre(struct doc *d, const char *text, const char *lang);
void doc_table(struct doc *d, int ncols, const char *const *headers);
/* A table is its own scrolling box in HTML (a wide one never widens the page).
 * One row of ncols cells; an empty or NULL cell is shown as "—", a status is coloured. */
void doc_row(struct doc *d, const char *const *cells);
void doc_table_end(struct doc *d);
/* plots/<name>.svg inline in HTML, plots/<name>.png in Markdown; its anchor is chart-<name>
 * and the table of contents lists it (by alt's first clause) under its section.  The SVG's
 * own ids get that anchor in front, so that charts on one page never share one. */
void doc_chart(struct doc *d, struct dirref dir, const char *name, const char *alt);

#endif
