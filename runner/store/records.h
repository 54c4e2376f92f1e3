/* records.h - reading and checking records (docs/design.md "A record"), for run, report, compare
 * and export.  Nothing here knows a probe. */
#ifndef IPCPROBE_RECORDS_H
#define IPCPROBE_RECORDS_H

#include <jansson.h>

#include "common/util.h"
#include <stddef.h>

/* Check that r has the shape of a record: schema 1, probe/case/metric/unit/direction strings,
 * a known unit, direction and status, a reason whenever status is not ok, a numeric or null
 * value from 0 up (a duration, unit ns, above 0), params an object.  Returns 0, or -1 with one
 * sentence in err. */
int record_validate(json_t *r, char *err, size_t errlen);

/* Parse one line of JSON and validate it; returns a new reference, or NULL with err and in
 * *col the 1-based column at fault (the JSON error's, or the offending key's). */
json_t *record_parse_line(const char *line, size_t len, int *col, char *err, size_t errlen);

/* The records in text (len bytes, named path in messages) as an array; a bad line is an
 * error "PATH:LINE:COL: problem".  With cut_tail_ok, a last line without its newline that
 * does not parse is dropped: a killed runner may have been writing it. */
json_t *records_parse(const char *path, const char *text, size_t len, int cut_tail_ok,
		      char *err, size_t errlen);

/* Load records.jsonl into an array, as records_parse().  NULL with err on failure. */
json_t *records_load(const char *path, char *err, size_t errlen);

/* The records of a run directory: records.jsonl, or records.jsonl.partial when the runner
 * was killed (whose cut last line, if any, is dropped).  *partial (may be NULL) says which.
 * Each record whose "case_run" names an entry of run.json "cases" gets that entry's verdict
 * as "machine": {"disturbed", "why", "foreign_cpu_share", "steal_share"}.
 * NULL with err on failure. */
json_t *records_load_run(const char *dir, int *partial, char *err, size_t errlen);
/* The same in a directory held open (its files read by descriptor). */
json_t *records_load_run_at(struct dirref d, int *partial, char *err, size_t errlen);
/* 1 when the record's case run was disturbed (its "machine" says so). */
int record_disturbed(json_t *r);

/* DIR/run.json, refused when it is a link, not a regular file, not JSON or of an unknown
 * schema (NULL with err); an empty object when the run has none (killed at once). */
json_t *records_load_meta(const char *dir, char *err, size_t errlen);
json_t *records_load_meta_at(struct dirref d, char *err, size_t errlen);

/* Build a record the runner writes for a case that produced none of its own: failed or
 * timeout, with the reason.  params is borrowed (copied). */
json_t *record_make_status(const char *probe, const char *cas, const char *transport,
			   json_t *params, const char *metric, const char *unit,
			   const char *direction, const char *status, const char *reason);

/* The key that identifies what a record measures across runs:
 * "probe/case/transport/metric {params sorted}".  Caller frees. */
char *record_key(json_t *r);

#endif
