/* records.c - see records.h. */
#include "records.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "util.h"

static const char *const units[] = { "ns", "bytes", "bytes_per_s", "ops_per_s", "count",
				     "ratio", NULL };
static const char *const directions[] = { "lower", "higher", "none", NULL };
static const char *const statuses[] = { "ok", "unsupported", "failed", "timeout", NULL };

static int in(const char *s, const char *const *set)
{
	for (int i = 0; s && set[i]; i++)
		if (strcmp(s, set[i]) == 0)
			return 1;
	return 0;
}

static const char *str_field(json_t *r, const char *key)
{
	return json_string_value(json_object_get(r, key));
}

int record_validate(json_t *r, char *err, size_t errlen)
{
	static const char *const required[] = { "probe", "case", "metric", "unit", "direction",
						"status", NULL };
	if (!json_is_object(r)) {
		snprintf(err, errlen, "a record must be a JSON object");
		return -1;
	}
	json_t *schema = json_object_get(r, "schema");
	if (!json_is_integer(schema) || json_integer_value(schema) != 1) {
		snprintf(err, errlen, "\"schema\" must be 1");
		return -1;
	}
	for (int i = 0; required[i]; i++) {
		const char *v = str_field(r, required[i]);
		if (!v || !*v) {
			snprintf(err, errlen, "\"%s\" must be a non-empty string", required[i]);
			return -1;
		}
	}
	if (!in(str_field(r, "unit"), units)) {
		snprintf(err, errlen, "unknown unit \"%s\" (expected ns, bytes, bytes_per_s, "
				      "ops_per_s, count or ratio)", str_field(r, "unit"));
		return -1;
	}
	if (!in(str_field(r, "direction"), directions)) {
		snprintf(err, errlen, "unknown direction \"%s\" (expected lower, higher or none)",
			 str_field(r, "direction"));
		return -1;
	}
	const char *status = str_field(r, "status");
	if (!in(status, statuses)) {
		snprintf(err, errlen, "unknown status \"%s\" (expected ok, unsupported, failed or "
				      "timeout)", status);
		return -1;
	}
	json_t *reason = json_object_get(r, "reason");
	if (strcmp(status, "ok") != 0 && !json_is_string(reason)) {
		snprintf(err, errlen, "status \"%s\" needs a \"reason\" string", status);
		return -1;
	}
	json_t *tr = json_object_get(r, "transport");
	if (tr && !json_is_null(tr) && !json_is_string(tr)) {
		snprintf(err, errlen, "\"transport\" must be a string or null");
		return -1;
	}
	json_t *params = json_object_get(r, "params");
	if (params && !json_is_object(params)) {
		snprintf(err, errlen, "\"params\" must be an object");
		return -1;
	}
	json_t *value = json_object_get(r, "value");
	if (!value || !(json_is_number(value) || json_is_null(value))) {
		snprintf(err, errlen, "\"value\" must be a number or null");
		return -1;
	}
	if (strcmp(status, "ok") == 0 && json_is_null(value)) {
		snprintf(err, errlen, "status \"ok\" needs a numeric \"value\"");
		return -1;
	}
	json_t *dist = json_object_get(r, "dist");
	if (dist && !json_is_object(dist) && !json_is_null(dist)) {
		snprintf(err, errlen, "\"dist\" must be an object");
		return -1;
	}
	return 0;
}

json_t *record_parse_line(const char *line, size_t len, char *err, size_t errlen)
{
	json_error_t je;
	json_t *r = json_loadb(line, len, JSON_REJECT_DUPLICATES, &je);
	if (!r) {
		snprintf(err, errlen, "not JSON: %s (column %d)", je.text, je.column);
		return NULL;
	}
	if (record_validate(r, err, errlen) < 0) {
		json_decref(r);
		return NULL;
	}
	return r;
}

json_t *records_load(const char *path, char *err, size_t errlen)
{
	char e[512];
	char *text = read_file(path, NULL, e, sizeof(e));
	if (!text) {
		snprintf(err, errlen, "%s", e);
		return NULL;
	}
	json_t *all = json_array();
	int lineno = 0;
	char *p = text;
	while (*p) {
		char *nl = strchr(p, '\n');
		size_t len = nl ? (size_t)(nl - p) : strlen(p);
		lineno++;
		if (len > 0) {
			json_t *r = record_parse_line(p, len, e, sizeof(e));
			if (!r) {
				snprintf(err, errlen, "%s:%d: %s", path, lineno, e);
				json_decref(all);
				free(text);
				return NULL;
			}
			json_array_append_new(all, r);
		}
		p += len + (nl ? 1 : 0);
	}
	free(text);
	return all;
}

json_t *records_load_run(const char *dir, int *partial, char *err, size_t errlen)
{
	char path[4096];
	struct stat st;
	int part = 0;
	snprintf(path, sizeof(path), "%s/records.jsonl", dir);
	if (stat(path, &st) < 0) {
		snprintf(path, sizeof(path), "%s/records.jsonl.partial", dir);
		part = 1;
	}
	if (stat(path, &st) < 0) {
		snprintf(err, errlen, "%s: no records.jsonl (nor a .partial one): not a run "
				      "directory?", dir);
		return NULL;
	}
	if (partial)
		*partial = part;
	return records_load(path, err, errlen);
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
