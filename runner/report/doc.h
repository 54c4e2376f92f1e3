/* doc.h - the one document writer every report uses: each call writes the same content as
 * HTML (one self-contained page, charts inline) and as Markdown (charts beside it). */
#ifndef IPCPROBE_DOC_H
#define IPCPROBE_DOC_H

#include <stddef.h>

struct doc;

struct doc *doc_new(void);
/* Write <dir>/report.html and report.md under title (through temporary files renamed into
 * place); frees d.  0, or -1 with err. */
int doc_save(struct doc *d, const char *dir, const char *title, char *err, size_t errlen);
void doc_h2(struct doc *d, const char *title);
void doc_h3(struct doc *d, const char *title);
void doc_p(struct doc *d, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* A paragraph that must not be missed (an incomplete run, a warning). */
void doc_warn(struct doc *d, const char *text);
/* Preformatted text (a config), lang naming it for Markdown ("yaml"; may be NULL). */
void doc_pre(struct doc *d, const char *text, const char *lang);
void doc_table(struct doc *d, int ncols, const char *const *headers);
/* One row of ncols cells; an empty or NULL cell is shown as "—", a status is coloured. */
void doc_row(struct doc *d, const char *const *cells);
void doc_table_end(struct doc *d);
/* plots/<name>.svg inline in HTML, plots/<name>.png in Markdown. */
void doc_chart(struct doc *d, const char *dir, const char *name, const char *alt);

#endif
