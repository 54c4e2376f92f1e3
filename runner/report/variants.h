/* variants.h - table rows and chart lines keyed on every parameter that varies: a "variant"
 * is a record's values of those parameters joined by '/' ("cross_core/4096"), so that no row
 * takes the median of, say, two CPU placements. */
#ifndef IPCPROBE_VARIANTS_H
#define IPCPROBE_VARIANTS_H

#include <jansson.h>
#include <stddef.h>

#define MAX_VARYING 8

/* The parameters of recs that take more than one value, leaving out those in keyed (a
 * NULL-terminated list: the ones a table already has a column for).  Returns how many (at
 * most MAX_VARYING), their names in out. */
int varying(json_t *recs, const char *const *keyed, const char **out);
/* rec's values of the n parameters names, joined by '/'. */
void variant_of(json_t *rec, const char **names, int n, char *buf, size_t len);
/* The distinct variants of recs, in the order first seen (a new array of strings). */
json_t *variants(json_t *recs, const char **names, int n);
/* The records of recs whose variant is v (a new array). */
json_t *of_variant(json_t *recs, const char **names, int n, const char *v);
/* Headers and rows are built with the variant as their second column; where nothing varies
 * that column goes: returns the new column count after removing it from cols. */
int drop_variant_column(const char **cols, int n, int has_variant);
/* The header of the variant column: the varying parameters' names joined by '/'. */
void variant_header(const char **names, int n, char *buf, size_t len);
/* A chart line's name: the transport, then the variant when there is one. */
void line_name(const char *tr, const char *v, char *buf, size_t len);

#endif
