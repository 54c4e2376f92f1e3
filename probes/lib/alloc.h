/* alloc.h - the one way probes meet an allocation failure.  probe_alloc() never returns NULL:
 * when memory runs out it says so (how many bytes, what for) and ends the process with the
 * probe's failure convention:
 *   - in the probe's own process, inside probe_main's case: one "failed" record with that
 *     reason on stdout, the IPC objects this process registered removed (cleanup.h), exit
 *     PROBE_FAILED (1);
 *   - anywhere else (a forked writer or peer, a unit test): the reason on stderr, _exit(1);
 *     the parent then sees a child that failed.
 * Jansson's allocations (probe_main installs it) and C++'s operator new (the new-handler in
 * gbench.cc) end the same way.  A size a parameter chose says so in what ("twice the limit
 * parameter"), so that the reason tells the user what to lower. */
#ifndef IPCPROBE_ALLOC_H
#define IPCPROBE_ALLOC_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/* n zeroed bytes (calloc(1, n)), what they are for in what. */
void *probe_alloc(size_t n, const char *what);
/* count zeroed elements of size bytes; a product past SIZE_MAX is a failure too. */
void *probe_alloc_array(size_t count, size_t size, const char *what);

/* Say that n bytes (0: unknown) for what could not be had, and end as above. */
void probe_out_of_memory(size_t n, const char *what) __attribute__((noreturn));

/* probe_main's part: how to emit the failed record of the case running in this process
 * (NULL: none is running).  The hook must not return. */
void alloc_set_failure_hook(void (*hook)(const char *reason));

#ifdef __cplusplus
}
#endif

#endif
