/* sweep.h - remove what a probe killed by SIGKILL (or a crash) left behind, and nothing else.
 * Every IPC name a probe makes carries the run's random token and its process group, every
 * SysV key a tag of the run's secret and the group (probes/lib/cleanup.h), and the runner
 * makes each probe the leader of its own group, so after the group is gone what carries both,
 * and is owned by us, is its garbage.  Process groups alone repeat (PID namespaces,
 * containers, CI jobs); the token and the secret do not. */
#ifndef IPCPROBE_SWEEP_H
#define IPCPROBE_SWEEP_H

#include <jansson.h>
#include <stdint.h>
#include <sys/types.h>

/* Remove /dev/shm, /dev/mqueue and $TMPDIR entries named ipcprobe-<token>-<pgid>-* owned by
 * our uid, and SysV shm, msg and sem objects whose key carries the tag of (secret, pgid),
 * created by our uid (cuid) and, where the table names a creator pid that still lives, by a
 * member of the group.  Appends a description of each object removed to removed (may be
 * NULL).  Returns the number removed; 0 without a token. */
int sweep_group(pid_t pgid, const char *token, uint64_t secret, json_t *removed);

/* Draw the run's token (64 random bits) into IPCPROBE_RUN_TOKEN, which every probe puts into
 * the names it makes; whatever the environment held is replaced. */
void sweep_new_run_token(void);
/* Draw the run's secret (64 random bits) into IPCPROBE_RUN_SECRET, which the probes' SysV keys
 * are derived from and which nothing shows; whatever the environment held is replaced. */
void sweep_new_run_secret(void);

#endif
