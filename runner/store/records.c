/* records.c - see records.h. */
#include "store/records.h"

#include <errno.h>
#include <limits.h>
#include <stdint.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common/util.h"
#include "common/vocab.h"

/* Every unit (ns, bytes, per second, counts, ratios) is a quantity from 0 up; above 2^63 it
 * could not be displayed as an integer without overflow. */
static int in_range(json_t *v)
{
	if (json_is_null(v))
		return 1;
	double d = json_number_value(v);
	return json_is_number(v) && d >= 0 && d <= 9223372036854775807.0;
}

static const char *str_field(json_t *r, const char *key)
{
	return json_string_value(json_object_get(r, key));
}

/* Each check below returns 0, or -1 with *key the key at fault and err the sentence. */
static int bad(const char **key, const char *k, char *err, size_t errlen, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));
static int bad(const char **key, const char *k, char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
	*key = k;
	return -1;
}

/* A name printed from a record (in compare's terminal output, tables, labels) must be text:
 * no control character (an ESC sequence retitles the terminal, "\r\e[2K" erases the line
 * with the verdict, a newline breaks a table) and, where it names a figure, no '|' (which
 * ends a Markdown table cell).  The offending byte, or -1. */
static int bad_byte(const char *s, int bar_too)
{
	for (const unsigned char *p = (const unsigned char *)s; s && *p; p++)
		if (*p < 0x20 || *p == 0x7f || (bar_too && *p == '|'))
			return *p;
	return -1;
}

/* probe, case, metric, transport, interpreter and the params' keys and string values. */
static int validate_names(json_t *r, const char **key, char *err, size_t errlen)
{
	static const char *const names[] = { "probe", "case", "metric", "transport",
					     "interpreter", NULL };
	int c;
	for (int i = 0; names[i]; i++)
		if ((c = bad_byte(str_field(r, names[i]), 1)) >= 0)
			return bad(key, names[i], err, errlen, "\"%s\" holds the byte 0x%02x: a name "
				   "is printable text without '|'", names[i], c);
	const char *k;
	json_t *v;
	json_object_foreach(json_object_get(r, "params"), k, v) {
		if ((c = bad_byte(k, 1)) >= 0 || (c = bad_byte(json_string_value(v), 0)) >= 0)
			return bad(key, "params", err, errlen, "a parameter holds the byte 0x%02x: "
				   "its name and value are printable text", c);
	}
	return 0;
}

/* The words of a record: schema 1, the string fields, and unit, direction and status from the
 * vocabulary (common/vocab.h). */
static int validate_words(json_t *r, const char **key, char *err, size_t errlen)
{
	static const char *const required[] = { "probe", "case", "metric", "unit", "direction",
						"status", NULL };
	json_t *schema = json_object_get(r, "schema");
	if (!json_is_integer(schema) || json_integer_value(schema) != 1)
		return bad(key, "schema", err, errlen, "\"schema\" must be 1");
	for (int i = 0; required[i]; i++) {
		const char *v = str_field(r, required[i]);
		if (!v || !*v)
			return bad(key, required[i], err, errlen, "\"%s\" must be a non-empty string",
				   required[i]);
	}
	if (!vocab_is(str_field(r, "unit"), vocab_units))
		return bad(key, "unit", err, errlen, "unknown unit \"%s\" (expected ns, bytes, "
			   "bytes_per_s, ops_per_s, count or ratio)", str_field(r, "unit"));
	if (!vocab_is(str_field(r, "direction"), vocab_directions))
		return bad(key, "direction", err, errlen, "unknown direction \"%s\" (expected lower, "
			   "higher or none)", str_field(r, "direction"));
	const char *status = str_field(r, "status");
	if (!vocab_is(status, vocab_statuses))
		return bad(key, "status", err, errlen, "unknown status \"%s\" (expected ok, "
			   "unsupported, failed or timeout)", status);
	json_t *reason = json_object_get(r, "reason");
	if (strcmp(status, "ok") != 0 && !json_is_string(reason))
		return bad(key, json_is_null(reason) || !reason ? "status" : "reason", err, errlen,
			   "status \"%s\" needs a \"reason\" string", status);
	json_t *tr = json_object_get(r, "transport");
	if (tr && !json_is_null(tr) && !json_is_string(tr))
		return bad(key, "transport", err, errlen, "\"transport\" must be a string or null");
	json_t *params = json_object_get(r, "params");
	if (params && !json_is_object(params))
		return bad(key, "params", err, errlen, "\"params\" must be an object");
	return 0;
}

/* An interval's or a mode's lo and hi: numbers in range, lo <= hi; what names the object. */
static int validate_bounds(json_t *o, const char *what, const char **key, char *err,
			   size_t errlen)
{
	json_t *lo = json_object_get(o, "lo"), *hi = json_object_get(o, "hi");
	if (!json_is_number(lo) || !json_is_number(hi) || !in_range(lo) || !in_range(hi))
		return bad(key, "dist", err, errlen, "%s needs \"lo\" and \"hi\" (numbers from 0 "
			   "up to 2^63)", what);
	if (json_number_value(lo) > json_number_value(hi))
		return bad(key, "dist", err, errlen, "%s has \"lo\" %g above \"hi\" %g", what,
			   json_number_value(lo), json_number_value(hi));
	return 0;
}

/* A fraction in 0..1 named name in o. */
static int is_fraction(json_t *o, const char *name)
{
	json_t *v = json_object_get(o, name);
	return json_is_number(v) && json_number_value(v) >= 0 && json_number_value(v) <= 1;
}

/* dist.p50_ci: null, or {lo, hi, level (0..1), reached (boolean), method (a string)}. */
static int validate_ci(json_t *ci, const char **key, char *err, size_t errlen)
{
	if (json_is_null(ci))
		return 0;
	if (!json_is_object(ci) || !is_fraction(ci, "level") ||
	    !json_is_boolean(json_object_get(ci, "reached")) ||
	    !json_is_string(json_object_get(ci, "method")))
		return bad(key, "dist", err, errlen, "\"dist\".\"p50_ci\" must be null or an object "
			   "with lo, hi, level (0 to 1), reached (a boolean) and method (a string)");
	return validate_bounds(ci, "\"dist\".\"p50_ci\"", key, err, errlen);
}

/* dist.modes: null, or an array of {center, lo, hi, share (0..1)}. */
static int validate_modes(json_t *modes, const char **key, char *err, size_t errlen)
{
	json_t *m;
	size_t i;
	if (json_is_null(modes))
		return 0;
	if (!json_is_array(modes))
		return bad(key, "dist", err, errlen, "\"dist\".\"modes\" must be null or an array");
	json_array_foreach(modes, i, m) {
		json_t *c = json_object_get(m, "center");
		if (!json_is_object(m) || !json_is_number(c) || !in_range(c) ||
		    !is_fraction(m, "share"))
			return bad(key, "dist", err, errlen, "\"dist\".\"modes\"[%zu] must be an "
				   "object with center, lo, hi (numbers from 0 up to 2^63) and share "
				   "(0 to 1)", i);
		if (validate_bounds(m, "a mode of \"dist\"", key, err, errlen) < 0)
			return -1;
	}
	return 0;
}

/* dist: null, or an object of numbers in range (or null), p50_ci and modes. */
static int validate_dist(json_t *dist, const char **key, char *err, size_t errlen)
{
	json_t *v;
	const char *k;
	if (dist && !json_is_object(dist) && !json_is_null(dist))
		return bad(key, "dist", err, errlen, "\"dist\" must be an object");
	json_object_foreach(dist, k, v) {
		if (strcmp(k, "p50_ci") == 0 && validate_ci(v, key, err, errlen) < 0)
			return -1;
		if (strcmp(k, "modes") == 0 && validate_modes(v, key, err, errlen) < 0)
			return -1;
		if (strcmp(k, "p50_ci") == 0 || strcmp(k, "modes") == 0)
			continue;
		if (!json_is_null(v) && !in_range(v))
			return bad(key, "dist", err, errlen, "\"dist\".\"%.40s\" is %s (a number from "
				   "0 up to 2^63, or null)", k,
				   json_is_number(v) ? "out of range" : "not a number");
	}
	return 0;
}

/* The numbers of a record: value (a number, or null when not ok) and dist, each in range. */
static int validate_numbers(json_t *r, const char **key, char *err, size_t errlen)
{
	json_t *value = json_object_get(r, "value");
	if (!value || !(json_is_number(value) || json_is_null(value)))
		return bad(key, value ? "value" : NULL, err, errlen,
			   "\"value\" must be a number or null");
	if (strcmp(str_field(r, "status"), "ok") == 0 && json_is_null(value))
		return bad(key, "value", err, errlen, "status \"ok\" needs a numeric \"value\"");
	if (!in_range(value))
		return bad(key, "value", err, errlen, "\"value\" %g is out of range (every unit "
			   "counts from 0 up to 2^63)", json_number_value(value));
	/* A duration of 0 is no time measured, and compare would divide by it; in_range lets -0
	 * by (-0 >= 0), and a median of -0 made a 45 us NEW "-inf%" better.  A rate or a count may
	 * be 0. */
	if (json_is_number(value) && vocab_unit_is_duration(str_field(r, "unit")) &&
	    !(json_number_value(value) > 0))
		return bad(key, "value", err, errlen, "\"value\" %g is no duration: a time in \"ns\" "
			   "is above 0", json_number_value(value));
	return validate_dist(json_object_get(r, "dist"), key, err, errlen);
}

/* rep and case_run, which the runner adds: counts of case runs, so below 2^31 (compare adds
 * a run's repetitions to the last one's: INT64_MAX overflowed there). */
static int validate_indexes(json_t *r, const char **key, char *err, size_t errlen)
{
	static const char *const names[] = { "rep", "case_run" };
	for (unsigned i = 0; i < 2; i++) {
		json_t *v = json_object_get(r, names[i]);
		if (v && !(json_is_integer(v) && json_integer_value(v) >= 0 &&
			   json_integer_value(v) <= INT32_MAX))
			return bad(key, names[i], err, errlen, "\"%s\" must be an integer from 0 to "
				   "2^31-1 (a count of case runs)", names[i]);
	}
	return 0;
}

/* record_validate(), also naming the key at fault (NULL when the whole line is). */
static int validate(json_t *r, const char **key, char *err, size_t errlen)
{
	if (!json_is_object(r))
		return bad(key, NULL, err, errlen, "a record must be a JSON object");
	if (validate_words(r, key, err, errlen) < 0 || validate_names(r, key, err, errlen) < 0 ||
	    validate_indexes(r, key, err, errlen) < 0)
		return -1;
	return validate_numbers(r, key, err, errlen);
}

int record_validate(json_t *r, char *err, size_t errlen)
{
	const char *key;
	return validate(r, &key, err, errlen);
}

/* The 1-based column of "key": in line, or 1 when it is not there (the key is missing). */
static int column_of(const char *line, size_t len, const char *key)
{
	char quoted[64];
	int n = snprintf(quoted, sizeof(quoted), "\"%s\"", key ? key : "");
	for (size_t i = 0; key && n > 0 && i + (size_t)n <= len; i++)
		if (memcmp(line + i, quoted, (size_t)n) == 0)
			return (int)i + 1;
	return 1;
}

json_t *record_parse_line(const char *line, size_t len, int *col, char *err, size_t errlen)
{
	json_error_t je;
	const char *key;
	*col = 1;
	const char *nul = memchr(line, '\0', len);
	if (nul) {
		*col = (int)(nul - line) + 1;
		snprintf(err, errlen, "not JSON: a NUL byte (is this a binary file?)");
		return NULL;
	}
	json_t *r = json_loadb(line, len, JSON_REJECT_DUPLICATES, &je);
	if (!r) {
		*col = je.column > 0 ? je.column : 1;
		snprintf(err, errlen, "not JSON: %s", je.text);
		return NULL;
	}
	if (validate(r, &key, err, errlen) < 0) {
		*col = column_of(line, len, key);
		json_decref(r);
		return NULL;
	}
	return r;
}

json_t *records_parse(const char *path, const char *text, size_t len, int cut_tail_ok,
		      char *err, size_t errlen)
{
	char e[512];
	json_t *all = json_array();
	int lineno = 0;
	for (size_t at = 0; at < len;) {
		const char *p = text + at, *nl = memchr(p, '\n', len - at);
		size_t n = nl ? (size_t)(nl - p) : len - at;
		int col;
		lineno++;
		at += n + (nl ? 1 : 0);
		if (n == 0)
			continue;
		json_t *r = record_parse_line(p, n, &col, e, sizeof(e));
		if (!r && !nl && cut_tail_ok)
			break;	/* the runner was killed while writing this last line */
		if (!r) {
			snprintf(err, errlen, "%s:%d:%d: %s", path, lineno, col, e);
			json_decref(all);
			return NULL;
		}
		json_array_append_new(all, r);
	}
	return all;
}

static json_t *load(struct dirref d, const char *name, int cut_tail_ok, char *err, size_t errlen)
{
	size_t len;
	char path[PATH_MAX + 64];
	/* Records are read from run directories that may come from someone else: never
	 * through a link, never from a FIFO or a device. */
	char *text = read_file_at(d, name, SIZE_MAX / 2, RF_NOFOLLOW, &len, err, errlen);
	if (!text)
		return NULL;
	if (d.path)
		snprintf(path, sizeof(path), "%s/%s", d.path, name);
	json_t *all = records_parse(d.path ? path : name, text, len, cut_tail_ok, err, errlen);
	free(text);
	return all;
}

json_t *records_load(const char *path, char *err, size_t errlen)
{
	return load(DIR_CWD, path, 0, err, errlen);
}

/* Give each record the verdict of its case run (run.json "cases"[case_run].machine): the
 * record links to its entry, written when the case ended.  A run.json that is missing,
 * unreadable or does not hold that entry leaves the record without one: nothing is guessed. */
static void attach_machine(struct dirref d, json_t *recs)
{
	char e[256];
	json_t *meta = records_load_meta_at(d, e, sizeof(e)), *r;
	json_t *cases = json_object_get(meta, "cases");
	size_t i;
	json_array_foreach(recs, i, r) {
		json_t *k = json_object_get(r, "case_run");
		json_t *entry = json_is_integer(k) && json_integer_value(k) >= 0 ?
					json_array_get(cases, (size_t)json_integer_value(k)) : NULL;
		json_t *m = json_object_get(entry, "machine");
		if (!json_is_object(m) || !json_is_boolean(json_object_get(m, "disturbed")))
			continue;
		json_object_set_new(r, "machine",
				    json_pack("{s:O, s:O, s:O, s:O}", "disturbed",
					      json_object_get(m, "disturbed"), "why",
					      json_object_get(m, "disturbed_why"), "foreign_cpu_share",
					      json_object_get(m, "foreign_cpu_share"), "steal_share",
					      json_object_get(m, "steal_share")));
	}
	json_decref(meta);
}

int record_disturbed(json_t *r)
{
	return json_is_true(json_object_get(json_object_get(r, "machine"), "disturbed"));
}

json_t *records_load_run_at(struct dirref d, int *partial, char *err, size_t errlen)
{
	struct stat st;
	const char *name = "records.jsonl";
	int part = 0;
	if (fstatat(d.fd, name, &st, AT_SYMLINK_NOFOLLOW) < 0) {
		name = "records.jsonl.partial";
		part = 1;
	}
	if (fstatat(d.fd, name, &st, AT_SYMLINK_NOFOLLOW) < 0) {
		snprintf(err, errlen, "%s: no records.jsonl (nor a .partial one): not a run "
				      "directory?", d.path);
		return NULL;
	}
	if (partial)
		*partial = part;
	json_t *recs = load(d, name, part, err, errlen);
	if (recs)
		attach_machine(d, recs);
	return recs;
}

json_t *records_load_run(const char *dir, int *partial, char *err, size_t errlen)
{
	int fd = dir_open(dir, err, errlen);
	json_t *v = fd < 0 ? NULL : records_load_run_at((struct dirref){ fd, dir }, partial, err,
							   errlen);
	if (fd >= 0)
		close(fd);
	return v;
}

json_t *records_load_meta_at(struct dirref d, char *err, size_t errlen)
{
	struct stat st;
	if (fstatat(d.fd, "run.json", &st, AT_SYMLINK_NOFOLLOW) < 0 && errno == ENOENT)
		return json_object();	/* a run killed before its first word */
	json_t *m = read_json_at(d, "run.json", RF_NOFOLLOW, err, errlen);
	if (!m)
		return NULL;
	json_t *schema = json_object_get(m, "schema");
	if (!json_is_object(m) || !json_is_integer(schema) || json_integer_value(schema) != 1) {
		snprintf(err, errlen, "%s/run.json: %s; this ipcprobe reads schema 1 (a run from a "
				      "newer ipcprobe? use that version to read it)", d.path,
			 !json_is_object(m) ? "not a JSON object" : json_is_integer(schema) ?
			 "an unknown schema version" : "no \"schema\" number");
		json_decref(m);
		return NULL;
	}
	return m;
}

json_t *records_load_meta(const char *dir, char *err, size_t errlen)
{
	int fd = dir_open(dir, err, errlen);
	json_t *v = fd < 0 ? NULL : records_load_meta_at((struct dirref){ fd, dir }, err, errlen);
	if (fd >= 0)
		close(fd);
	return v;
}

json_t *record_make_status(const char *probe, const char *cas, const char *transport,
			   json_t *params, const char *metric, const char *unit,
			   const char *direction, const char *status, const char *reason)
{
	return json_pack("{s:i, s:s, s:s, s:o, s:o, s:s, s:s, s:s, s:s, s:s, s:n}", "schema", 1,
			 "probe", probe, "case", cas, "transport",
			 transport ? json_string(transport) : json_null(), "params",
			 params ? json_deep_copy(params) : json_object(), "metric", metric, "unit",
			 unit, "direction", direction, "status", status, "reason", reason, "value");
}

char *record_key(json_t *r)
{
	json_t *params = json_object_get(r, "params");
	char *p = params ? json_dumps(params, JSON_COMPACT | JSON_SORT_KEYS) : NULL;
	json_t *tr = json_object_get(r, "transport");
	const char *in = str_field(r, "interpreter");
	char *key = xasprintf("%s/%s/%s/%s %s%s%s%s", str_field(r, "probe"), str_field(r, "case"),
			      json_is_string(tr) ? json_string_value(tr) : "-",
			      str_field(r, "metric"), p ? p : "{}", in ? " [" : "", in ? in : "",
			      in ? "]" : "");
	free(p);
	return key;
}
