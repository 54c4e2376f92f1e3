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
	json_t *summary;	/* summary.json, once the cases are over (NULL before) */
	int counts[ST_COUNT];	/* case runs per status */
	struct sched sched;	/* the order of case runs, and when each case is done */
	int64_t t0;
	int fancy;		/* the terminal takes \r: one progress line (progress.c) */
	int colour;		/* ... and colour (a terminal, and no NO_COLOR) */
	int quiet;		/* run -q: no progress and no table */
};

/* case.c: run plan case i, repetition rep (the done-th of total), and tell the schedule how it
 * went; returns its status (ST_*). */
int run_case(struct run *R, size_t i, int rep, size_t done, size_t total);

/* run.c: `ipcprobe run CONFIG [-o DIR] ...`; the exit status (common/exit.h). */
int cmd_run(int argc, char **argv);

/* progress.c: what the terminal shows.  On a fancy terminal one progress line rewritten in
 * place and only failures kept; otherwise one line per case run. */
void progress_case_start(const struct run *R, const struct plan_case *pc, int rep, size_t done,
			 size_t total);
void progress_case_end(const struct run *R, const struct plan_case *pc, int rep, size_t done,
		       size_t total, const char *status, const char *what, int64_t duration_ns);
/* After the run: a line per figure of summary (summary.json: median, its interval, the
 * spread, n, a mark where repetitions were disturbed), a line per case run that did not
 * measure (an unsupported case once), and the counts. */
void progress_summary(const struct run *R, json_t *summary);

/* overrides.c: keep only the cases of cfg whose label matches the POSIX extended regular
 * expression re.  0, or -1 (a bad expression, or one matching nothing: said on stderr with
 * the labels there are). */
int run_filter_cases(struct config *cfg, const char *re);
/* The per-case table (label, rep, status, value, reason) as JSON into path.  0, or -1. */
int run_export_json(const struct run *R, const char *path);

#endif
