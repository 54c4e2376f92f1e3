/* affinity.h - where the two processes of a pair run: both on one CPU (same_core), on two
 * CPUs that are not SMT siblings where the machine has such (cross_core), or wherever the
 * scheduler puts them (unpinned). */
#ifndef IPCPROBE_AFFINITY_H
#define IPCPROBE_AFFINITY_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/* The placement choices, for an enum parameter's table (NULL-terminated). */
extern const char *const aff_placements[];

/* Choose the CPUs of side 0 and side 1 for placement ("same_core", "cross_core",
 * "unpinned"; -1 for unpinned).  0, or -1 with the reason in why when the placement cannot
 * be had here (no sched_setaffinity, or fewer CPUs than it needs): report it unsupported. */
int aff_choose(const char *placement, int cpus[2], char *why, size_t whylen);

/* Pin the calling process to cpu (-1: leave it where it is).  0, or -1 with err. */
int aff_pin(int cpu, char *err, size_t errlen);

#ifdef __cplusplus
}
#endif

#endif
