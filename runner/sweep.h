/* sweep.h - remove what a probe killed by SIGKILL (or a crash) left behind.  Every IPC name
 * and SysV key a probe makes carries its process group (probes/lib/cleanup.h), and the runner
 * makes each probe the leader of its own group, so after the group is gone everything carrying
 * its id is garbage. */
#ifndef IPCPROBE_SWEEP_H
#define IPCPROBE_SWEEP_H

#include <jansson.h>
#include <sys/types.h>

/* Remove /dev/shm, /dev/mqueue and $TMPDIR entries named ipcprobe-<pgid>-*, and SysV shm,
 * msg and sem objects whose key carries pgid.  Appends a description of each object removed
 * to removed (may be NULL).  Returns the number removed. */
int sweep_group(pid_t pgid, json_t *removed);

#endif
