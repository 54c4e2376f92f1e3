/* vocab.h - the one vocabulary of results: the units, directions and statuses a record may
 * carry, and how a value is written for people.  The terminal summary, the reports, the
 * charts' axes and compare all use these, so "12.3 µs" means the same everywhere. */
#ifndef IPCPROBE_VOCAB_H
#define IPCPROBE_VOCAB_H

#include <jansson.h>
#include <stddef.h>

/* NULL-terminated lists of the words a record may use (README "Results"). */
extern const char *const vocab_units[];		/* ns, bytes, bytes_per_s, ... */
extern const char *const vocab_directions[];	/* lower, higher, none */
/* The statuses, in the order of the summary's counts: ok, unsupported, failed, timeout. */
enum { ST_OK, ST_UNSUPPORTED, ST_FAILED, ST_TIMEOUT, ST_COUNT };
extern const char *const vocab_statuses[];
/* Is s one of the NULL-terminated words? */
int vocab_is(const char *s, const char *const *words);
/* Is unit a duration (ns)?  A duration is the time something took, so it is above 0: a clock
 * that did not tick measured nothing.  A rate, a size, a count or a ratio may well be 0. */
int vocab_unit_is_duration(const char *unit);
/* The index of a status (ST_*); anything unknown counts as failed. */
int vocab_status_index(const char *status);

/* A value in its unit for people: "64 KiB", "12.3 µs", "1.85 GB/s", "2.5x"; "—" for a value
 * that is not a number (NaN: nothing measured).  Returns buf. */
const char *fmt_value(double v, const char *unit, char *buf, size_t len);
/* The value of a record's "value" field, as fmt_value ("—" when null or absent). */
const char *fmt_record_value(json_t *r, char *buf, size_t len);
/* v as a multiple of base ("3.2x"; "—" when either is not a number or base is not > 0). */
const char *fmt_ratio(char *buf, size_t len, double v, double base);
/* The unit to draw values of unit in on a chart's axis, the largest being hi: its name
 * ("µs"), and in *div what to divide by.  A unit without a scale is drawn as it is. */
const char *axis_unit(const char *unit, double hi, double *div);

/* Any scalar field of o as text, for tables ("" when absent or not a scalar).  Numbers are
 * formatted into one of a few rotating static buffers: use the result at once. */
const char *json_text(json_t *o, const char *key);
/* A string field of o, or dflt when absent or not a string. */
const char *json_str_or(json_t *o, const char *key, const char *dflt);

#endif
