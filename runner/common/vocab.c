/* vocab.c - units, statuses and the writing of values (vocab.h). */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "param.h"
#include "common/vocab.h"

const char *const vocab_units[] = { "ns", "bytes", "bytes_per_s", "ops_per_s", "count", "ratio",
				    NULL };
const char *const vocab_directions[] = { "lower", "higher", "none", NULL };
const char *const vocab_statuses[] = { "ok", "unsupported", "failed", "timeout", NULL };

int vocab_is(const char *s, const char *const *words)
{
	for (int i = 0; s && words[i]; i++)
		if (strcmp(s, words[i]) == 0)
			return 1;
	return 0;
}

int vocab_unit_is_duration(const char *unit)
{
	return unit && strcmp(unit, "ns") == 0;
}

int vocab_status_index(const char *status)
{
	for (int i = 0; status && i < ST_COUNT; i++)
		if (strcmp(status, vocab_statuses[i]) == 0)
			return i;
	return ST_FAILED;
}

const char *fmt_value(double v, const char *unit, char *buf, size_t len)
{
	if (isnan(v))
		snprintf(buf, len, "—");
	else if (!strcmp(unit, "bytes"))
		fmt_size((int64_t)llround(v), buf, len);
	else if (!strcmp(unit, "ns"))
		fmt_duration((int64_t)llround(v), buf, len);
	else if (!strcmp(unit, "bytes_per_s"))
		snprintf(buf, len, v >= 1e9 ? "%.3g GB/s" : "%.3g MB/s", v >= 1e9 ? v / 1e9 : v / 1e6);
	else if (!strcmp(unit, "ops_per_s"))
		snprintf(buf, len, "%.3g ops/s", v);
	else if (!strcmp(unit, "ratio"))
		snprintf(buf, len, "%.3gx", v);
	else
		snprintf(buf, len, "%.6g", v);
	return buf;
}

const char *fmt_record_value(json_t *r, char *buf, size_t len)
{
	json_t *v = json_object_get(r, "value");
	const char *unit = json_str_or(r, "unit", "");
	return fmt_value(json_is_number(v) ? json_number_value(v) : NAN, unit, buf, len);
}

const char *fmt_ratio(char *buf, size_t len, double v, double base)
{
	if (isnan(v) || isnan(base) || base <= 0)
		snprintf(buf, len, "—");
	else
		snprintf(buf, len, "%.1fx", v / base);
	return buf;
}

const char *axis_unit(const char *unit, double hi, double *div)
{
	static const struct { const char *unit, *name; double div; } rows[] = {
		{ "ns", "s", 1e9 }, { "ns", "ms", 1e6 }, { "ns", "µs", 1e3 }, { "ns", "ns", 1 },
		{ "bytes", "GiB", 1073741824 }, { "bytes", "MiB", 1048576 },
		{ "bytes", "KiB", 1024 }, { "bytes", "bytes", 1 },
		{ "bytes_per_s", "GB/s", 1e9 }, { "bytes_per_s", "MB/s", 1e6 },
		{ "bytes_per_s", "bytes/s", 1 },
		{ "ops_per_s", "million ops/s", 1e6 }, { "ops_per_s", "thousand ops/s", 1e3 },
		{ "ops_per_s", "ops/s", 1 },
	};
	*div = 1;
	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		if (strcmp(rows[i].unit, unit) || (rows[i].div > hi && rows[i].div > 1))
			continue;
		*div = rows[i].div;
		return rows[i].name;
	}
	return unit;
}

const char *json_text(json_t *o, const char *key)
{
	json_t *v = json_object_get(o, key);
	static char buf[4][64];
	static int k;
	if (json_is_string(v))
		return json_string_value(v);
	if (json_is_integer(v)) {
		k = (k + 1) % 4;
		snprintf(buf[k], sizeof(buf[k]), "%lld", (long long)json_integer_value(v));
		return buf[k];
	}
	if (json_is_real(v)) {
		k = (k + 1) % 4;
		snprintf(buf[k], sizeof(buf[k]), "%.3f", json_real_value(v));
		return buf[k];
	}
	if (json_is_boolean(v))
		return json_is_true(v) ? "true" : "false";
	return "";
}

const char *json_str_or(json_t *o, const char *key, const char *dflt)
{
	const char *s = json_string_value(json_object_get(o, key));
	return s ? s : dflt;
}
