/* param.c - parsing and checking typed parameters; see param.h. */
#include "param.h"

#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const type_names[] = {
	[PT_BOOL] = "bool", [PT_INT] = "int", [PT_SIZE] = "size",
	[PT_DURATION] = "duration", [PT_ENUM] = "enum", [PT_STRING] = "string",
};

const char *param_type_name(enum param_type t)
{
	if ((unsigned)t >= sizeof(type_names) / sizeof(type_names[0]))
		return "?";
	return type_names[t];
}

int param_type_from_name(const char *name, enum param_type *out)
{
	for (unsigned i = 0; i < sizeof(type_names) / sizeof(type_names[0]); i++) {
		if (strcmp(type_names[i], name) == 0) {
			*out = (enum param_type)i;
			return 0;
		}
	}
	return -1;
}

struct unit {
	const char *name;
	int64_t mult;
};

static const struct unit size_units[] = {
	{ "", 1 }, { "B", 1 }, { "KiB", 1LL << 10 }, { "MiB", 1LL << 20 }, { "GiB", 1LL << 30 },
	{ "TiB", 1LL << 40 }, { NULL, 0 },
};

static const struct unit duration_units[] = {
	{ "ns", 1 }, { "us", 1000 }, { "ms", 1000000 }, { "s", 1000000000LL },
	{ "m", 60LL * 1000000000LL }, { "h", 3600LL * 1000000000LL }, { NULL, 0 },
};

/* Common wrong spellings, mapped to the advice we give. */
static const char *unit_hint(const char *u)
{
	static const struct { const char *bad, *good; } hints[] = {
		{ "K", "KiB" }, { "KB", "KiB" }, { "k", "KiB" }, { "kB", "KiB" }, { "kb", "KiB" },
		{ "Ki", "KiB" }, { "M", "MiB" }, { "MB", "MiB" }, { "Mi", "MiB" }, { "mb", "MiB" },
		{ "G", "GiB" }, { "GB", "GiB" }, { "Gi", "GiB" }, { "gb", "GiB" }, { "b", "B" },
		{ "kib", "KiB" }, { "mib", "MiB" }, { "gib", "GiB" },
		{ "µs", "us" }, { "sec", "s" }, { "secs", "s" }, { "msec", "ms" }, { "usec", "us" },
		{ "nsec", "ns" }, { "S", "s" }, { "MS", "ms" }, { "min", "m" },
	};
	for (unsigned i = 0; i < sizeof(hints) / sizeof(hints[0]); i++)
		if (strcmp(hints[i].bad, u) == 0)
			return hints[i].good;
	return NULL;
}

static uint64_t gcd_u64(uint64_t a, uint64_t b)
{
	while (b) {
		uint64_t t = a % b;
		a = b;
		b = t;
	}
	return a;
}

/* A number as text gives it, exactly: the whole part and the fraction frac_num / frac_den. */
struct decimal {
	uint64_t whole, frac_num, frac_den;
};

/* Read "<digits>[.<digits>]" at *pp (blanks first) into d, moving *pp past it; 0, or -1
 * with err.  The fraction is kept exactly: its digits without trailing zeros, at most 19 of
 * them (10^19 still fits), never a digit dropped. */
static int parse_decimal(const char **pp, const char *text, const char *what,
			 const char *unit_list, struct decimal *d, char *err, size_t errlen)
{
	const char *p = *pp;
	while (isspace((unsigned char)*p))
		p++;
	if (*p == '-') {
		snprintf(err, errlen, "expected a %s (%s), got negative \"%s\"", what, unit_list, text);
		return -1;
	}
	if (!isdigit((unsigned char)*p)) {
		snprintf(err, errlen, "expected a %s with a unit (%s), got \"%s\"", what, unit_list,
			 text);
		return -1;
	}
	d->whole = 0;
	while (isdigit((unsigned char)*p)) {	/* with overflow detection */
		unsigned dg = (unsigned)(*p - '0');
		if (d->whole > (UINT64_MAX - dg) / 10) {
			snprintf(err, errlen, "%s \"%s\" is too large", what, text);
			return -1;
		}
		d->whole = d->whole * 10 + dg;
		p++;
	}
	d->frac_num = 0, d->frac_den = 1;
	if (*p == '.') {
		p++;
		if (!isdigit((unsigned char)*p)) {
			snprintf(err, errlen, "expected digits after the decimal point in \"%s\"",
				 text);
			return -1;
		}
		const char *digits = p;
		while (isdigit((unsigned char)*p))
			p++;
		const char *end = p;
		while (end > digits && end[-1] == '0')
			end--;
		if (end - digits > 19) {
			snprintf(err, errlen, "%s \"%s\" has more digits after the point than can be "
				 "exact (19)", what, text);
			return -1;
		}
		for (const char *q = digits; q < end; q++) {
			d->frac_num = d->frac_num * 10 + (unsigned)(*q - '0');
			d->frac_den *= 10;
		}
	}
	*pp = p;
	return 0;
}

/* The unit that ends text at p (blanks around it, nothing after), from units; NULL with err
 * (and a "did you mean" where a common misspelling is known). */
static const struct unit *parse_unit(const char *p, const char *text, const struct unit *units,
				     const char *what, const char *unit_list, char *err,
				     size_t errlen)
{
	char unit[16];
	size_t ul = 0;
	while (isspace((unsigned char)*p))
		p++;
	while (*p && !isspace((unsigned char)*p) && ul < sizeof(unit) - 1)
		unit[ul++] = *p++;
	unit[ul] = '\0';
	while (isspace((unsigned char)*p))
		p++;
	if (*p) {
		snprintf(err, errlen, "expected a %s (%s), got \"%s\"", what, unit_list, text);
		return NULL;
	}
	const struct unit *u = NULL;
	for (const struct unit *q = units; q->name; q++)
		if (strcmp(q->name, unit) == 0)
			u = q;
	if (u)
		return u;
	const char *hint = unit_hint(unit);
	if (hint)
		snprintf(err, errlen, "unknown unit \"%s\" in \"%s\"; did you mean %s? (units: %s)",
			 unit, text, hint, unit_list);
	else
		snprintf(err, errlen, "unknown unit \"%s\" in \"%s\" (units: %s)", unit, text,
			 unit_list);
	return NULL;
}

/* d times mult in base units, which must be whole and at most INT64_MAX; 0, or -1 with err.
 * base names the base unit for the "not whole" message. */
static int scale_decimal(const struct decimal *d, int64_t mult, const char *base,
			 const char *text, const char *what, int64_t *out, char *err,
			 size_t errlen)
{
	if (mult != 0 && d->whole > (uint64_t)INT64_MAX / (uint64_t)mult) {
		snprintf(err, errlen, "%s \"%s\" is too large", what, text);
		return -1;
	}
	uint64_t v = d->whole * (uint64_t)mult, part;
	if (d->frac_num) {
		/* frac_num / frac_den * mult must be whole: with g = gcd(mult, frac_den), that is
		 * frac_num divisible by frac_den / g, and then the part is
		 * (frac_num / (frac_den / g)) * (mult / g), all without overflow. */
		uint64_t g = gcd_u64((uint64_t)mult, d->frac_den), den = d->frac_den / g;
		uint64_t m = (uint64_t)mult / g;
		if (d->frac_num % den != 0) {
			snprintf(err, errlen, "%s \"%s\" is not a whole number of %s", what, text,
				 base);
			return -1;
		}
		part = d->frac_num / den;
		if (m && part > ((uint64_t)INT64_MAX - v) / m) {
			snprintf(err, errlen, "%s \"%s\" is too large", what, text);
			return -1;
		}
		v += part * m;
	}
	if (v > (uint64_t)INT64_MAX) {
		snprintf(err, errlen, "%s \"%s\" is too large", what, text);
		return -1;
	}
	*out = (int64_t)v;
	return 0;
}

/* Parse "<digits>[.<digits>]<unit>" against a unit table.  Fractions are allowed ("1.5MiB")
 * as long as the result is a whole number of base units. */
static int parse_with_units(const char *text, const struct unit *units, const char *what,
			    const char *unit_list, int64_t *out, char *err, size_t errlen)
{
	const char *p = text;
	struct decimal d;
	if (parse_decimal(&p, text, what, unit_list, &d, err, errlen) < 0)
		return -1;
	const struct unit *u = parse_unit(p, text, units, what, unit_list, err, errlen);
	if (!u)
		return -1;
	return scale_decimal(&d, u->mult, units[0].name[0] ? units[0].name : "bytes", text, what,
			     out, err, errlen);
}

int parse_size(const char *text, int64_t *bytes, char *err, size_t errlen)
{
	return parse_with_units(text, size_units, "size", "B, KiB, MiB, GiB, or plain bytes",
				bytes, err, errlen);
}

int parse_duration(const char *text, int64_t *ns, char *err, size_t errlen)
{
	/* A bare number is ambiguous for a duration: demand a unit. */
	const char *p = text + strlen(text);
	while (p > text && isspace((unsigned char)p[-1]))
		p--;
	if (p > text && isdigit((unsigned char)p[-1])) {
		snprintf(err, errlen, "expected a duration with a unit (ns, us, ms, s), got \"%s\"",
			 text);
		return -1;
	}
	return parse_with_units(text, duration_units, "duration", "ns, us, ms, s", ns, err,
				errlen);
}

static int parse_int(const char *text, int64_t *out, char *err, size_t errlen)
{
	char *end;
	errno = 0;
	long long v = strtoll(text, &end, 10);
	if (end == text || *end || errno == ERANGE) {
		snprintf(err, errlen, "expected an integer, got \"%s\"", text);
		return -1;
	}
	*out = v;
	return 0;
}

static int parse_bool(const char *text, int64_t *out, char *err, size_t errlen)
{
	static const char *const yes[] = { "true", "yes", "on", "1", NULL };
	static const char *const no[] = { "false", "no", "off", "0", NULL };
	for (int i = 0; yes[i]; i++)
		if (strcmp(text, yes[i]) == 0)
			return (*out = 1), 0;
	for (int i = 0; no[i]; i++)
		if (strcmp(text, no[i]) == 0)
			return (*out = 0), 0;
	snprintf(err, errlen, "expected true or false, got \"%s\"", text);
	return -1;
}

static int parse_plain(enum param_type t, const char *text, int64_t *out, char *err,
		       size_t errlen)
{
	switch (t) {
	case PT_BOOL:
		return parse_bool(text, out, err, errlen);
	case PT_INT:
		return parse_int(text, out, err, errlen);
	case PT_SIZE:
		return parse_size(text, out, err, errlen);
	case PT_DURATION:
		return parse_duration(text, out, err, errlen);
	default:
		return 0;
	}
}

static const char *fmt_typed(enum param_type t, int64_t v, char *buf, size_t len)
{
	if (t == PT_SIZE)
		return fmt_size(v, buf, len);
	if (t == PT_DURATION)
		return fmt_duration(v, buf, len);
	snprintf(buf, len, "%" PRId64, v);
	return buf;
}

/* "a size", "a duration", "an integer": the type as a message names what it expected. */
static const char *type_phrase(enum param_type t)
{
	switch (t) {
	case PT_INT:
		return "an integer";
	case PT_SIZE:
		return "a size";
	case PT_DURATION:
		return "a duration";
	default:
		return "a value";
	}
}

static void describe_choices(const char *const *choices, char *buf, size_t len)
{
	size_t used = 0;
	buf[0] = '\0';
	for (int i = 0; choices && choices[i]; i++) {
		int n = snprintf(buf + used, len - used, "%s%s", i ? ", " : "", choices[i]);
		if (n < 0 || (size_t)n >= len - used)
			break;
		used += (size_t)n;
	}
}

int param_parse(const struct param_desc *d, const char *text, struct param_value *out,
		char *err, size_t errlen)
{
	char tmp[256];
	out->type = d->type;
	out->i = 0;
	out->s = NULL;

	if (d->type == PT_ENUM) {
		for (int i = 0; d->choices && d->choices[i]; i++) {
			if (strcmp(d->choices[i], text) == 0) {
				out->s = d->choices[i];
				out->i = i;
				return 0;
			}
		}
		describe_choices(d->choices, tmp, sizeof(tmp));
		const char *near = closest_name(text, d->choices);
		if (near)
			snprintf(err, errlen, "expected one of %s, got \"%s\"; did you mean %s?", tmp,
				 text, near);
		else
			snprintf(err, errlen, "expected one of %s, got \"%s\"", tmp, text);
		return -1;
	}
	if (d->type == PT_STRING) {
		out->s = text;
		return 0;
	}
	if (parse_plain(d->type, text, &out->i, err, errlen) < 0)
		return -1;

	int64_t lo = INT64_MIN, hi = INT64_MAX;
	char e2[128];
	if (d->min && parse_plain(d->type, d->min, &lo, e2, sizeof(e2)) < 0)
		lo = INT64_MIN;
	if (d->max && parse_plain(d->type, d->max, &hi, e2, sizeof(e2)) < 0)
		hi = INT64_MAX;
	if (out->i < lo || out->i > hi) {
		char a[48], b[48];
		if (d->min && d->max)
			snprintf(err, errlen, "expected %s between %s and %s, got %s",
				 type_phrase(d->type), fmt_typed(d->type, lo, a, sizeof(a)),
				 fmt_typed(d->type, hi, b, sizeof(b)), text);
		else if (d->min)
			snprintf(err, errlen, "expected %s of at least %s, got %s",
				 type_phrase(d->type), fmt_typed(d->type, lo, a, sizeof(a)), text);
		else
			snprintf(err, errlen, "expected %s of at most %s, got %s",
				 type_phrase(d->type), fmt_typed(d->type, hi, b, sizeof(b)), text);
		return -1;
	}
	return 0;
}

const char *fmt_size(int64_t bytes, char *buf, size_t len)
{
	static const char *const names[] = { "B", "KiB", "MiB", "GiB", "TiB" };
	int u = 0;
	int64_t v = bytes;
	/* Only switch unit when it stays exact, so "1536 B" never becomes "1.5 KiB" by rounding. */
	while (u < 4 && v != 0 && v % 1024 == 0) {
		v /= 1024;
		u++;
	}
	if (u == 0 && bytes >= 10240) {
		/* Not a whole number of any unit: the exact bytes first, the rounded figure only
		 * as a reading aid, so a limit of 212960 never shows as "208.0 KiB". */
		double d = (double)bytes;
		while (u < 4 && d >= 1024) {
			d /= 1024;
			u++;
		}
		snprintf(buf, len, "%" PRId64 " B (~%.1f %s)", bytes, d, names[u]);
		return buf;
	}
	snprintf(buf, len, "%" PRId64 " %s", v, names[u]);
	return buf;
}

const char *fmt_duration(int64_t ns, char *buf, size_t len)
{
	/* A difference of durations may be negative: scaled by its magnitude, then signed. */
	const char *sign = ns < 0 ? "-" : "";
	double a = ns < 0 ? -(double)ns : (double)ns;
	if (a < 1000)
		snprintf(buf, len, "%s%.0f ns", sign, a);
	else if (a < 1000000)
		snprintf(buf, len, "%s%.3g us", sign, a / 1e3);
	else if (a < 1000000000)
		snprintf(buf, len, "%s%.3g ms", sign, a / 1e6);
	else
		snprintf(buf, len, "%s%.3g s", sign, a / 1e9);
	return buf;
}

int edit_distance(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b);
	if (la > 64 || lb > 64)
		return 1000;
	int row[65];
	for (size_t j = 0; j <= lb; j++)
		row[j] = (int)j;
	for (size_t i = 1; i <= la; i++) {
		int prev = row[0];
		row[0] = (int)i;
		for (size_t j = 1; j <= lb; j++) {
			int cur = row[j];
			int sub = prev + (tolower((unsigned char)a[i - 1]) !=
					  tolower((unsigned char)b[j - 1]));
			int del = row[j] + 1, ins = row[j - 1] + 1;
			row[j] = sub < del ? (sub < ins ? sub : ins) : (del < ins ? del : ins);
			prev = cur;
		}
	}
	return row[lb];
}

const char *closest_name(const char *word, const char *const *names)
{
	const char *best = NULL;
	int best_d = 1000;
	for (int i = 0; names && names[i]; i++) {
		int d = edit_distance(word, names[i]);
		if (d < best_d) {
			best_d = d;
			best = names[i];
		}
	}
	/* Close means: at most a third of the word wrong, and at least one letter right. */
	size_t len = strlen(word);
	int limit = len <= 3 ? 1 : (int)(len / 3 + 1);
	return best && best_d <= limit ? best : NULL;
}
