/* cleanup.h - every IPC object a probe names is registered here and removed on every exit
 * path: normal return, error, SIGTERM/SIGINT/SIGHUP.  Names are
 * /ipcprobe-<token>-<pgid>-<pid>-<seq>: unique per process, and carrying the run's token (64
 * random bits the runner passes in IPCPROBE_RUN_TOKEN) and the process group, which the
 * runner makes equal to the probe's pid, so that it can sweep what a SIGKILLed probe or peer
 * left behind (runner/sweep.c) and nothing else: process groups repeat across PID namespaces
 * and runs, the token does not.  SysV keys carry a tag of both (ipc_key()).
 */
#ifndef IPCPROBE_CLEANUP_H
#define IPCPROBE_CLEANUP_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

enum cleanup_kind {
	CL_PATH,	/* a file system path: FIFO, temporary file (unlink) */
	CL_SHM,		/* a POSIX shm name (shm_unlink) */
	CL_MQ,		/* a POSIX mq name (mq_unlink) */
	CL_SYSV_SHM,	/* a SysV shared memory id (shmctl IPC_RMID) */
	CL_SYSV_MSG,	/* a SysV message queue id (msgctl IPC_RMID) */
	CL_SYSV_SEM,	/* a SysV semaphore set id (semctl IPC_RMID) */
};

/* Install the signal handlers; probe_main() calls it before a case runs. */
void cleanup_init(void);

/* The run's token: IPCPROBE_RUN_TOKEN when it is 1 to 16 hex digits (the runner sets it),
 * else "0" (a probe run by hand, which the runner never sweeps). */
const char *ipc_run_token(void);

/* Make a unique IPC name "/ipcprobe-<token>-<pgid>-<pid>-<seq>" into buf (POSIX shm, mq). */
const char *ipc_name(char *buf, size_t len);
/* Make a unique path "<TMPDIR or /tmp>/ipcprobe-<token>-<pgid>-<pid>-<seq><suffix>". */
const char *ipc_path(char *buf, size_t len, const char *suffix);

/* SysV keys of ours: IPC_KEY_MARK | tag(token, pgid) << 8 | (seq & 0xff), the tag a 22-bit
 * hash of the run's token and the process group.  Create with IPC_CREAT | IPC_EXCL and call
 * ipc_key() again on EEXIST (another process of the group may hold the same seq). */
#define IPC_KEY_MARK		0x40000000
#define IPC_KEY_TAG_MASK	0x3fffff
int ipc_key(void);
/* The tag keys made under token by process group pgid carry (bits 8-29). */
unsigned ipc_key_tag(const char *token, long pgid);
/* Was key made by ipc_key() under token in process group pgid? */
int ipc_key_is(int key, const char *token, long pgid);

/* Register an object; returns a handle for cleanup_forget(), or -1 if the table is full. */
int cleanup_add_name(enum cleanup_kind kind, const char *name);
int cleanup_add_id(enum cleanup_kind kind, int id);
/* Remove the object now and forget it. */
void cleanup_remove(int handle);
/* Forget it without removing it (someone else removed it). */
void cleanup_forget(int handle);

/* Remove everything still registered by this process (children inherit nothing). */
void cleanup_run(void);

#ifdef __cplusplus
}
#endif

#endif
