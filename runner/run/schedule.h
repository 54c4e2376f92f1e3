/* schedule.h - the order of a run's case runs, and when a case has been repeated enough.
 *
 * Rounds: each round runs every case still repeating once, in an order shuffled afresh from
 * the run's seed (Fisher-Yates driven by splitmix64, so a seed replays the same order on any
 * platform).  A drift of the machine then lands on all cases alike, and no case always follows
 * the same neighbour (whose page cache or frequency state it would inherit).  "order: plan"
 * keeps the config's order instead (a test that stops a run at a known case needs it).
 *
 * A case ends after the config's repetitions, unless the config asks for precision: then it
 * repeats until every timing it records has a 95% interval (ci.h, over its repetitions'
 * values) no wider than precision x median on each side, or its own time reaches max_time, or
 * it stops being ok.  run.json "schedule" says which, per case. */
#ifndef IPCPROBE_SCHEDULE_H
#define IPCPROBE_SCHEDULE_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#include "config/config.h"

struct sched_case {
	json_t *values;		/* metric key -> the ok values of its timings, one per rep */
	json_t *pending;	/* the same for the repetition running, until it is judged */
	int64_t spent_ns;	/* its repetitions' time, summed */
	int reps;
	double worst;		/* the widest relative half-width among its timings; NAN: none */
	const char *ended;	/* why it stopped repeating; NULL while it goes on */
};

struct sched {
	uint64_t seed, state;
	size_t n;
	struct sched_case *c;
	double precision;
	int64_t max_time_ns;
	int min_reps;
	int plan_order;		/* the config asked for its own order: no shuffle */
};

/* The seed from cfg, or a fresh one (from /dev/urandom, else the time and pid). */
void sched_init(struct sched *S, const struct config *cfg);
void sched_free(struct sched *S);

/* The next round: the indices of the cases still repeating, shuffled, into order (room for
 * S->n); returns how many (0: the run is over). */
size_t sched_round(struct sched *S, size_t *order);

/* A record of case i's latest repetition (kept when it is an ok timing). */
void sched_note_record(struct sched *S, size_t i, json_t *r);
/* Case i's repetition ended with status after duration_ns: keep its values unless it was
 * disturbed (the interval is the one compare and summary.json give, which leave those out),
 * and decide whether it goes on. */
void sched_note_case(struct sched *S, size_t i, const char *status, int disturbed,
		     int64_t duration_ns);

/* run.json "schedule": the seed, the method, the precision asked and, per case, the
 * repetitions, time, widest half-width and why it ended. */
json_t *sched_json(const struct sched *S, const struct config *cfg);

#endif
