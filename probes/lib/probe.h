/* probe.h - the probe contract: a probe family is one descriptor (name + table of cases),
 * handed to probe_main(), which implements --list, --case, --transport, --param, exit codes
 * and record output.  See docs/design.md "Probes" and "A record".
 *
 *   PROBE --list
 *   PROBE --case NAME [--transport T] [--param KEY=VALUE]...
 *
 * Exit status: 0 measured, 2 bad arguments, 3 unsupported (a record with the reason is still
 * printed), anything else a failure.
 */
#ifndef IPCPROBE_PROBE_H
#define IPCPROBE_PROBE_H

#include <jansson.h>
#include <stdint.h>

#include "param.h"

#ifdef __cplusplus
extern "C" {
#endif

#define PROBE_SCHEMA 1

enum probe_exit {
	PROBE_OK = 0,
	PROBE_FAILED = 1,
	PROBE_USAGE = 2,
	PROBE_UNSUPPORTED = 3,
};

/* A metric a case emits: the unit is a base unit (ns, bytes, bytes_per_s, ops_per_s, count,
 * ratio) and direction says which way is better: "lower", "higher" or "none" (a fact). */
struct metric_desc {
	const char *name;
	const char *unit;
	const char *direction;
	const char *help;
};

struct probe_ctx;

/* A case: one row.  metrics and params end with a NULL-name row; the first metric is the
 * headline (the runner uses it for failure records).  needs is a mask of TR_* capability
 * flags: 0 means the case takes no transport, otherwise it runs once per transport whose
 * caps include every bit of needs.  run() returns a probe_exit value. */
struct case_desc {
	const char *name;
	const char *help;
	const struct metric_desc *metrics;
	const struct param_desc *params;
	unsigned needs;
	int (*run)(struct probe_ctx *ctx);
};

struct probe_desc {
	const char *name;
	const char *help;
	const struct case_desc *cases;	/* ends with a NULL-name row */
};

/* Parse argv and run; call it as the whole body of main(). */
int probe_main(int argc, char **argv, const struct probe_desc *desc);

/* What a run function can ask of its context. */
const struct case_desc *probe_case(const struct probe_ctx *ctx);
const struct transport *probe_transport(const struct probe_ctx *ctx);	/* NULL if none */
int64_t param_int(const struct probe_ctx *ctx, const char *name);	/* int, size, duration, bool */
const char *param_str(const struct probe_ctx *ctx, const char *name);	/* enum, string */

/* Records.  rec_new() fills schema, probe, case, transport, params, and the metric's unit and
 * direction from the case's table (an unknown metric name aborts: a programming error).
 * The record is owned by the caller until rec_emit(), which prints it as one line on stdout,
 * flushes, and frees it. */
struct rec;
struct rec *rec_new(struct probe_ctx *ctx, const char *metric);
void rec_value(struct rec *r, double v);
void rec_status(struct rec *r, const char *status, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
void rec_os_reported(struct rec *r, const char *source, double value);
/* Further facts of the measurement, under "facts": the record takes ownership of v. */
void rec_fact(struct rec *r, const char *key, json_t *v);
void rec_dist(struct rec *r, json_t *dist);	/* takes ownership */
/* A top-level key beyond the fixed ones (e.g. "gbench": Google Benchmark's own entry); the
 * record takes ownership of v.  The fixed keys of a record (docs/design.md) are refused (abort: a bug). */
void rec_set(struct rec *r, const char *key, json_t *v);
void rec_emit(struct rec *r);
/* An errno as a fact: {"errno": "EPERM", "errno_num": 1, "message": strerror's words}. */
json_t *errno_json(int e);

/* Emit one record with status "unsupported" for the case's headline metric and return
 * PROBE_UNSUPPORTED; reason is one sentence (which call, which errno, what is missing). */
int probe_unsupported(struct probe_ctx *ctx, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* Emit one record with status "failed" and return PROBE_FAILED. */
int probe_failed(struct probe_ctx *ctx, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* Diagnostics on stderr, prefixed with probe/case/transport. */
void probe_log(const struct probe_ctx *ctx, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* The --list description of a probe, as JSON (caller owns).  Exposed for the table tests. */
json_t *probe_describe(const struct probe_desc *desc);

#ifdef __cplusplus
}
#endif

#endif
