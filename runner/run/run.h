/* run.h - what `ipcprobe run` holds while it runs a plan: the config and its plan, the run
 * directory, run.json as it grows, and the count of endings per status. */
#ifndef IPCPROBE_RUN_H
#define IPCPROBE_RUN_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#include "common/vocab.h"
#include "config/config.h"
#include "run/schedule.h"
#include "store/rundir.h"

struct run {
	struct config cfg;
	struct rundir store;
	json_t *meta;		/* run.json */
	json_t *cases;		/* run.json "cases" */
	int counts[ST_COUNT];	/* case runs per status */
	struct sched sched;	/* the order of case runs, and when each case is done */
	int64_t t0;
	int fancy;		/* the terminal takes \r and colour (progress.c) */
};

/* case.c: run plan case i, repetition rep (the done-th of total), and tell the schedule how it
 * went; returns its status (ST_*). */
int run_case(struct run *R, size_t i, int rep, size_t done, size_t total);

/* progress.c: what the terminal shows.  On a fancy terminal one progress line rewritten in
 * place and only failures kept; otherwise one line per case run. */
void progress_case_start(const struct run *R, const struct plan_case *pc, int rep, size_t done,
			 size_t total);
void progress_case_end(const struct run *R, const struct plan_case *pc, int rep, size_t done,
		       size_t total, const char *status, const char *what, int64_t duration_ns);
/* The table of every case run and the counts, after the run. */
void progress_summary(const struct run *R);

#endif
