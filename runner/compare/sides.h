/* sides.h - the two sides of `ipcprobe compare` (compare.c): BASE's and NEW's run directories
 * read into one entry per figure, and what makes a run unfit to judge a change by. */
#ifndef IPCPROBE_COMPARE_SIDES_H
#define IPCPROBE_COMPARE_SIDES_H

#include <jansson.h>
#include <stddef.h>

/* One figure (record_key()) over both sides; index 0 is BASE, 1 is NEW. */
struct entry {
	char *key;
	json_t *sample;		/* one record, for names, unit and direction */
	json_t *recs[2];	/* ok records per run, as read */
	json_t *vals[2];	/* the values of the repetitions rule 1 keeps (store/reps.h) */
	int disturbed[2];	/* disturbed repetitions per run, left out or not judged */
	int failed[2];		/* failed or timed-out records per run */
	char *why_failed[2];	/* the reason of the first failed or timed-out record per run */
	char *why_unsupported[2];	/* and of the first unsupported one */
	int present[2];
};

struct comparison {
	struct entry *e;
	size_t n, cap;
	json_t *index;		/* key -> its entry's position in e (jansson's hash table), so that
				 * reading N records costs O(N), not O(N x figures) */
};

/* The run directories of each side: BASE (0) and NEW (1), one or more each. */
struct sides {
	const char **dirs[2];
	int n[2];
};

/* Load every run of BASE and of NEW into c: the runs of one side are more repetitions of it
 * (CI alternates whole runs of the two builds so that the machine's drift lands on both).
 * Each side's values are those of the repetitions store/reps.h makes each figure of, as the
 * report, summary.json and the exports take them; a side whose every repetition of a figure was
 * disturbed keeps none (not judged), counted in disturbed.
 * Appends to problems a sentence for each thing that makes a run unfit to judge by (not
 * complete, records cut, no records) and counts them in *nproblems.  0, or -1 after saying on
 * stderr why a run cannot be read at all, or that one run (its run.json ipc_token, else its
 * directory's real path) is given twice on one side. */
int sides_load(struct comparison *c, const struct sides *sd, json_t *problems, int *nproblems);

void comparison_free(struct comparison *c);

#endif
