/* timing.h - the clock every probe uses: CLOCK_MONOTONIC in nanoseconds, comparable across
 * processes on one machine (a writer's end time against a reader's start time). */
#ifndef IPCPROBE_TIMING_H
#define IPCPROBE_TIMING_H

#include <stdint.h>
#include <time.h>

#ifdef __cplusplus
extern "C" {
#endif

static inline int64_t now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

/* What one now_ns() call costs, as seen between two back-to-back calls (the median of many):
 * every individually timed figure includes it once; records say so. */
int64_t timer_overhead_ns(void);

/* Sleep for ns nanoseconds (restarting on EINTR). */
void sleep_ns(int64_t ns);

#ifdef __cplusplus
}
#endif

#endif
