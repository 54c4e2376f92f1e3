/* reps.h - which repetitions a figure is made of: the one rule that the report, summary.json,
 * compare and every export (github-action-benchmark, Google Benchmark, gbench.json) follow, so
 * that one figure never has two values.
 *
 * A repetition is an ok record of the figure with a numeric value.  A repetition of a timing
 * (or of a ratio of timings) whose case run was disturbed (records_load_run attaches the
 * verdict; store/machine.h) is left out when the figure has an undisturbed one; when every
 * repetition was disturbed the figure is made of all of them, and marked (all_disturbed), so
 * that it is still there, said to be measured under load.  A fact (a capacity, a limit, a
 * count: direction none, not a ratio) does not move with the load: its disturbed repetitions
 * count like the others. */
#ifndef IPCPROBE_REPS_H
#define IPCPROBE_REPS_H

#include <jansson.h>
#include <stddef.h>

struct reps {
	json_t *chosen;		/* a new array: the repetitions the figure is made of */
	size_t left_out;	/* disturbed repetitions left out */
	int all_disturbed;	/* every repetition was disturbed; chosen holds them all */
};

/* The repetitions among recs, the records of one figure (any status; the others are not
 * repetitions).  Release with reps_release. */
void reps_choose(json_t *recs, struct reps *out);
void reps_release(struct reps *s);

/* Does a record's figure move with the machine's load (a timing, or a ratio of timings)? */
int reps_load_sensitive(json_t *r);

#endif
