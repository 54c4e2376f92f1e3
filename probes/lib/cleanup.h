/* cleanup.h - every IPC object a probe names is registered here and removed on every exit
 * path: normal return, error, SIGTERM/SIGINT/SIGHUP.  Names are /ipcprobe-<pgid>-<pid>-<seq>:
 * unique per process, and carrying the process group, which the runner makes equal to the
 * probe's pid, so that it can sweep what a SIGKILLed probe or peer left behind
 * (runner/sweep.c).  SysV keys carry the process group the same way (ipc_key()).
 */
#ifndef IPCPROBE_CLEANUP_H
#define IPCPROBE_CLEANUP_H

#include <stddef.h>

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

/* Make a unique IPC name "/ipcprobe-<pgid>-<pid>-<seq>" into buf (POSIX shm and mq style). */
const char *ipc_name(char *buf, size_t len);
/* Make a unique path "<TMPDIR or /tmp>/ipcprobe-<pgid>-<pid>-<seq><suffix>" into buf. */
const char *ipc_path(char *buf, size_t len, const char *suffix);

/* SysV keys of ours: IPC_KEY_MARK | (pgid & IPC_KEY_PGID_MASK) << 8 | (seq & 0xff).  Create
 * with IPC_CREAT | IPC_EXCL and call ipc_key() again on EEXIST (another process of the group
 * may hold the same seq). */
#define IPC_KEY_MARK		0x40000000
#define IPC_KEY_PGID_MASK	0x3fffff
int ipc_key(void);
/* The process group a key of ours carries, or -1 if the key is not of ours. */
long ipc_key_pgid(int key);

/* Register an object; returns a handle for cleanup_forget(), or -1 if the table is full. */
int cleanup_add_name(enum cleanup_kind kind, const char *name);
int cleanup_add_id(enum cleanup_kind kind, int id);
/* Remove the object now and forget it. */
void cleanup_remove(int handle);
/* Forget it without removing it (someone else removed it). */
void cleanup_forget(int handle);

/* Remove everything still registered by this process (children inherit nothing). */
void cleanup_run(void);

#endif
