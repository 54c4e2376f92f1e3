/* alloc.c - see alloc.h. */
#include "alloc.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

static void (*failure_hook)(const char *reason);
static pid_t hook_pid;	/* the process that set the hook: a forked child must not use it */

void alloc_set_failure_hook(void (*hook)(const char *reason))
{
	failure_hook = hook;
	hook_pid = getpid();
}

void probe_out_of_memory(size_t n, const char *what)
{
	static volatile int failing;	/* the record itself ran out of memory: just say so */
	char reason[256];
	if (n)
		snprintf(reason, sizeof(reason), "out of memory: %zu bytes for %s", n, what);
	else
		snprintf(reason, sizeof(reason), "out of memory for %s", what);
	if (failure_hook && hook_pid == getpid() && !failing) {
		failing = 1;
		failure_hook(reason);	/* does not return */
	}
	fprintf(stderr, "%s\n", reason);
	_exit(1);	/* PROBE_FAILED; no atexit handler or stdio buffer of a parent runs twice */
}

void *probe_alloc(size_t n, const char *what)
{
	void *p = calloc(1, n ? n : 1);
	if (!p)
		probe_out_of_memory(n, what);
	return p;
}

void *probe_alloc_array(size_t count, size_t size, const char *what)
{
	if (size && count > SIZE_MAX / size)
		probe_out_of_memory(SIZE_MAX, what);
	return probe_alloc(count * size, what);
}
