/* child.h - peer processes: they die with their parent and are reaped by one helper. */
#ifndef IPCPROBE_CHILD_H
#define IPCPROBE_CHILD_H

#include <stdint.h>
#include <sys/types.h>

#ifdef __cplusplus
extern "C" {
#endif

/* fork() a peer that dies when its parent does (PR_SET_PDEATHSIG where it exists; the
 * runner's process-group kill everywhere).  Returns as fork() does. */
pid_t child_fork(void);

/* In a child of child_fork() whose credentials changed (setuid, setgid), which clears the
 * death signal on Linux: ask for it again; _exit(1) when parent is already gone. */
void child_rearm(pid_t parent);

/* Wait up to timeout_ns for pid to end; on timeout SIGKILL it and wait.  Returns the
 * wait status, or -1 on error.  *timed_out (may be NULL) says whether it was killed. */
int child_reap(pid_t pid, int64_t timeout_ns, int *timed_out);

/* Describe a wait status in words ("exit 1", "killed by SIGSEGV") into buf. */
const char *child_status_str(int status, char *buf, size_t len);

#ifdef __cplusplus
}
#endif

#endif
