/* platform.h - the facts that make results comparable across machines, for run.json:
 * OS, kernel, architecture, CPU, libc, compiler, Python, git commit, and the kernel limits
 * that decide IPC behaviour.  Every fact that cannot be read is null with no guessing. */
#ifndef IPCPROBE_PLATFORM_H
#define IPCPROBE_PLATFORM_H

#include <jansson.h>

json_t *platform_facts(void);	/* {"os":..., "kernel":..., "cpu_model":..., ...} */
json_t *platform_limits(void);	/* {"pipe_max_size":1048576, ...}: numbers, or null */
/* Conditions that make figures less trustworthy (frequency scaling, a debug or sanitizer
 * build, fewer than 2 CPUs, ...), as an array of sentences. */
json_t *platform_warnings(void);

#endif
