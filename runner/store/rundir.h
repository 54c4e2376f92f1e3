/* rundir.h - the run directory: claimed by one run alone (a new directory, or an empty one
 * given with -o that only one run can claim), its logs/, the records appended one whole line
 * at a time to records.jsonl.partial and renamed to records.jsonl at the end, run.json,
 * summary.json and gbench.json written whole through temporary files, and the space reserve that keeps room
 * for those last files when the disk fills up. */
#ifndef IPCPROBE_RUNDIR_H
#define IPCPROBE_RUNDIR_H

#include <jansson.h>
#include <limits.h>
#include <sys/types.h>

#include "common/util.h"

struct rundir {
	char dir[PATH_MAX];		/* its path: for messages and run.json only */
	int fd;				/* the run directory, held open: every file is made in it */
	int logs;			/* its logs/ */
	int records;			/* records.jsonl.partial */
	int cases;			/* cases.jsonl.partial (exec/guard.h), or -1 */
	off_t records_len;		/* its whole lines so far */
	int write_errno;		/* why records could not be written (the run stops), or 0 */
};

/* Claim opt_dir (absent, or an empty directory of this user's that nobody else may write
 * in), or a new OUTPUT_ROOT/<UTC time>-<host>[-N]; hold it open; make logs/, the space
 * reserve and the records file in it.  0, or -1 after saying why on stderr (what was made
 * for nothing is removed). */
int rundir_create(struct rundir *D, const char *opt_dir, const char *output_root);
/* The run directory as a descriptor to address its files by (util.h). */
struct dirref rundir_ref(const struct rundir *D);
/* logs/name, opened for appending (and reading back): a descriptor, or -1 said on stderr. */
int rundir_open_log(const struct rundir *D, const char *name);
/* Append one record as one write() of one line.  A write that fails (a full disk) is taken
 * back, said on stderr, and sets write_errno; later appends do nothing. */
void rundir_append(struct rundir *D, json_t *r);
/* Append a case run's run.json entry to cases.jsonl.partial, one write() of one line: what a
 * killed run's watchman puts into run.json.  Best effort: a failed write is said once. */
void rundir_append_case(struct rundir *D, json_t *entry);
/* run.json holds every case now: remove cases.jsonl.partial. */
void rundir_drop_cases(struct rundir *D);
/* Write D->dir/name (run.json, summary.json, gbench.json) whole.  0, or -1 after saying why on stderr. */
int rundir_write_json(const struct rundir *D, const char *name, json_t *v);
/* Give back the reserve and rename the records file to records.jsonl.  0 or -1. */
int rundir_close_records(struct rundir *D);

#endif
