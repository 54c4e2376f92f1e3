/* param.h - typed parameters: one table row each, one parser for defaults and user input.
 *
 * Shared by the probes (which declare and read parameters) and the runner (which validates
 * configs against the parameter tables a probe prints with --list).  Sizes are bytes,
 * durations are nanoseconds; both parse from text with units ("64KiB", "500ms").
 */
#ifndef IPCPROBE_PARAM_H
#define IPCPROBE_PARAM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

enum param_type { PT_BOOL, PT_INT, PT_SIZE, PT_DURATION, PT_ENUM, PT_STRING };

/* One parameter of a case.  def, min and max are text, parsed by param_parse() exactly as
 * user input is, so a default can never disagree with the validator.  choices (PT_ENUM only)
 * is NULL-terminated.  A table of these ends with a row whose name is NULL. */
struct param_desc {
	const char *name;
	enum param_type type;
	const char *def;
	const char *min;
	const char *max;
	const char *const *choices;
	const char *help;
};

/* A parsed value.  i holds bools (0/1), ints, sizes (bytes) and durations (ns);
 * s points into the choices table or at the caller's text (PT_ENUM, PT_STRING). */
struct param_value {
	enum param_type type;
	int64_t i;
	const char *s;
};

const char *param_type_name(enum param_type t);
int param_type_from_name(const char *name, enum param_type *out);

/* Parse "4096", "4096B", "64KiB", "1MiB", "2GiB" into bytes.  Returns 0, or -1 with a
 * message in err saying what was expected. */
int parse_size(const char *text, int64_t *bytes, char *err, size_t errlen);

/* Parse "250ns", "10us", "500ms", "2s" (and "1m", "1h") into nanoseconds. */
int parse_duration(const char *text, int64_t *ns, char *err, size_t errlen);

/* Parse text as the parameter d describes, check min/max/choices.  err gets one sentence
 * naming the expectation, e.g. "expected a size between 1 B and 1 MiB, got 2MiB". */
int param_parse(const struct param_desc *d, const char *text, struct param_value *out,
		char *err, size_t errlen);

/* Format a size or a duration for humans ("64 KiB", "1.5 ms") into buf. */
const char *fmt_size(int64_t bytes, char *buf, size_t len);
const char *fmt_duration(int64_t ns, char *buf, size_t len);

/* Levenshtein distance, for "did you mean" suggestions. */
int edit_distance(const char *a, const char *b);

/* The closest of the NULL-terminated names to word, or NULL when none is close. */
const char *closest_name(const char *word, const char *const *names);

#ifdef __cplusplus
}
#endif

#endif
