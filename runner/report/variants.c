/* variants.c - table rows keyed on every parameter that varies (variants.h), so that two
 * records that differ in anything but the repetition never share a row. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report/lookup.h"
#include "report/variants.h"

/* The parameters of recs that take more than one value, leaving out those in keyed (a
 * NULL-terminated list, the ones a table already has a column for): every row and chart line
 * is keyed on these too, so that none takes the median of, say, two CPU placements.
 * Returns how many (at most MAX_VARYING), their names in out. */
int varying(json_t *recs, const char *const *keyed, const char **out)
{
	json_t *first = json_object_get(json_array_get(recs, 0), "params"), *r, *v;
	const char *k;
	size_t i;
	int n = 0;
	json_object_foreach(first, k, v) {
		int skip = 0, differs = 0;
		for (int q = 0; keyed[q]; q++)
			skip |= !strcmp(keyed[q], k);
		json_array_foreach(recs, i, r)
			differs |= !json_equal(json_object_get(json_object_get(r, "params"), k), v);
		if (!skip && differs && n < MAX_VARYING)
			out[n++] = k;
	}
	return n;
}

/* rec's values of the n parameters names, joined by '/' ("cross_core"): one token, so it
 * can also name a chart line. */
void variant_of(json_t *rec, const char **names, int n, char *buf, size_t len)
{
	size_t used = 0;
	buf[0] = '\0';
	for (int q = 0; q < n && used < len; q++) {
		json_t *v = json_object_get(json_object_get(rec, "params"), names[q]);
		const char *sep = q ? "/" : "";
		if (json_is_string(v))
			used += (size_t)snprintf(buf + used, len - used, "%s%s", sep,
						 json_string_value(v));
		else if (json_is_integer(v))
			used += (size_t)snprintf(buf + used, len - used, "%s%lld", sep,
						 (long long)json_integer_value(v));
		else
			used += (size_t)snprintf(buf + used, len - used, "%s%s", sep,
						 json_is_true(v) ? "true" : json_is_false(v) ? "false" : "-");
	}
}

/* The distinct variants of recs (as variant_of writes them), in the order first seen: a new
 * array of strings; one empty string when nothing varies. */
json_t *variants(json_t *recs, const char **names, int n)
{
	json_t *out = json_array(), *r, *x;
	size_t i, k;
	json_array_foreach(recs, i, r) {
		char buf[256];
		int seen = 0;
		variant_of(r, names, n, buf, sizeof(buf));
		json_array_foreach(out, k, x)
			seen |= !strcmp(json_string_value(x), buf);
		if (!seen)
			json_array_append_new(out, json_string(buf));
	}
	if (!json_array_size(out))
		json_array_append_new(out, json_string(""));
	return out;
}

/* The records of recs whose variant is v. */
json_t *of_variant(json_t *recs, const char **names, int n, const char *v)
{
	json_t *out = json_array(), *r;
	size_t i;
	json_array_foreach(recs, i, r) {
		char buf[256];
		variant_of(r, names, n, buf, sizeof(buf));
		if (!strcmp(buf, v))
			json_array_append(out, r);
	}
	return out;
}

/* Rows and headers are written with the variant as their second column; where nothing
 * varies that column is left out.  Returns the number of columns kept. */
int drop_variant_column(const char **cols, int n, int has_variant)
{
	if (has_variant)
		return n;
	memmove(cols + 1, cols + 2, (size_t)(n - 2) * sizeof(cols[0]));
	return n - 1;
}

/* The header of the variant column: the varying parameters' names joined by '/'. */
void variant_header(const char **names, int n, char *buf, size_t len)
{
	size_t used = 0;
	buf[0] = '\0';
	for (int q = 0; q < n && used < len; q++)
		used += (size_t)snprintf(buf + used, len - used, "%s%s", q ? "/" : "", names[q]);
}

/* A chart line's name: the transport, then the variant when there is one. */
void line_name(const char *tr, const char *v, char *buf, size_t len)
{
	snprintf(buf, len, "%s%s%s", tr, v[0] ? "/" : "", v);
}
