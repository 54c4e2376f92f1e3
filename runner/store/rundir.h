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

struct rundir {
	char dir[PATH_MAX];
	char partial[PATH_MAX + 32];	/* records.jsonl.partial */
	int records;			/* its descriptor */
	off_t records_len;		/* its whole lines so far */
	int write_errno;		/* why records could not be written (the run stops), or 0 */
	char reserve[PATH_MAX + 32];	/* the space reserve (exec/guard.h RUN_SPACE_RESERVE) */
};

/* Claim opt_dir (absent or an empty directory), or a new OUTPUT_ROOT/<UTC time>-<host>[-N];
 * make logs/, the space reserve and the records file.  0, or -1 after saying why on stderr
 * (what was made for nothing is removed). */
int rundir_create(struct rundir *D, const char *opt_dir, const char *output_root);
/* Append one record as one write() of one line.  A write that fails (a full disk) is taken
 * back, said on stderr, and sets write_errno; later appends do nothing. */
void rundir_append(struct rundir *D, json_t *r);
/* Write D->dir/name (run.json, summary.json, gbench.json) whole.  0, or -1 after saying why on stderr. */
int rundir_write_json(const struct rundir *D, const char *name, json_t *v);
/* Give back the reserve and rename the records file to records.jsonl.  0 or -1. */
int rundir_close_records(struct rundir *D);

#endif
