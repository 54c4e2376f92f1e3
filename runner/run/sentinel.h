/* sentinel.h - the machine's state measured beside every case run.  The load readings of
 * store/machine.h see someone else's CPU time; they do not see a machine whose own state moved:
 * on a VM, the wake-up of a halted vCPU went from 30 us to 70 us in half an hour with nothing
 * else running, and a floor repetition ran 7x slower, all "undisturbed".  So before each case
 * run the runner times a short pipe round trip to a child of its own, both on one CPU and
 * across two, and at the end of the run a case run whose reading moved from the run's median
 * by more than SENTINEL_FACTOR either way is marked disturbed, with the reading in the why. */
#ifndef IPCPROBE_SENTINEL_H
#define IPCPROBE_SENTINEL_H

#include <jansson.h>

/* Why 2: on this project's 2-CPU VM the sentinel's median moves by under 1.3x between quiet
 * case runs of one run, and the shifts that moved every cross-CPU round trip (the vCPU's
 * wake-up, 30 to 70 us) are 2x and more. */
#define SENTINEL_FACTOR 2.0
#define SENTINEL_ROUND_TRIPS 51

/* {"same_cpu_rtt_ns": median or null, "cross_cpu_rtt_ns": median or null, "round_trips": n}
 * for the machine now: a 1-byte pipe round trip to a forked child, the runner pinned (for that
 * moment only) as the latency probe's same_core and cross_core place their two processes.
 * null where a placement cannot be had (one CPU, no sched_setaffinity) or a call failed. */
json_t *sentinel_measure(void);

/* After the cases: each entry of cases whose machine.sentinel reading is more than
 * SENTINEL_FACTOR from the run's median of that reading, either way, is marked disturbed (its
 * disturbed_why says which reading and by how much).  The medians, the factor and the count
 * of entries marked, for run.json. */
json_t *sentinel_judge(json_t *cases);

#endif
