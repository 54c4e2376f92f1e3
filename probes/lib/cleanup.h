/* cleanup.h - every IPC object a probe names is registered here and removed on every exit
 * path: normal return, error, SIGTERM/SIGINT/SIGHUP.  Names are
 * /ipcprobe-<token>-<pgid>-<pid>-<seq>: unique per process, and carrying the run's token (64
 * random bits the runner passes in IPCPROBE_RUN_TOKEN) and the process group, which the
 * runner makes equal to the probe's pid, so that it can sweep what a SIGKILLed probe or peer
 * left behind (runner/sweep.c) and nothing else: process groups repeat across PID namespaces
 * and runs, the token does not.  Names are listed to every user, so the token is public.
 * SysV keys are listed too, and anyone who can predict a key can create it first: their tag
 * comes from the process group and a second value that is never shown, the run's secret
 * (IPCPROBE_RUN_SECRET), not from the token (ipc_key()).
 */
#ifndef IPCPROBE_CLEANUP_H
#define IPCPROBE_CLEANUP_H

#include <stddef.h>
#include <stdint.h>

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

/* The run's secret: IPCPROBE_RUN_SECRET when it is 16 hex digits (the runner draws 64 random
 * bits per run), else 0 (a probe run by hand: its keys are predictable, and the runner never
 * sweeps them).  It goes into no name, record or log. */
uint64_t ipc_run_secret(void);

/* SysV keys of ours: IPC_KEY_MARK | tag(secret, pgid) << 8 | (seq & 0xff), the tag a 22-bit
 * keyed hash (SipHash-2-4) of the process group under the run's secret.  Create them with
 * ipc_key_create(). */
#define IPC_KEY_MARK		0x40000000
#define IPC_KEY_TAG_MASK	0x3fffff
int ipc_key(void);
/* The tag keys made under secret by process group pgid carry (bits 8-29). */
unsigned ipc_key_tag(uint64_t secret, long pgid);
/* Was key made by ipc_key() under secret in process group pgid? */
int ipc_key_is(int key, uint64_t secret, long pgid);
/* SipHash-2-4 of the one 8-byte word m (little-endian bytes) under the key (k0, k1). */
uint64_t ipc_siphash_word(uint64_t k0, uint64_t k1, uint64_t m);

/* How many keys ipc_key_create() tries.  Another process of the group may hold a key of the
 * same seq (a forked child goes on from its parent's seq), or another run's tag may equal
 * ours (one in 2^22): a few tries get past either.  64 taken in a row means someone holds
 * our keys on purpose, and trying on would only hang the case. */
#define IPC_KEY_ATTEMPTS	64
/* Create a SysV object of ours: make(key, arg), which calls shmget/msgget/semget with
 * IPC_CREAT | IPC_EXCL and returns the id or -1 with errno, with a fresh ipc_key() each time it
 * fails with EEXIST, at most IPC_KEY_ATTEMPTS times.  Returns the id, or -1 with make's errno;
 * when every key was taken, errno is EEXIST and err says so, naming what ("sysv-msg"). */
int ipc_key_create(int (*make)(int key, void *arg), void *arg, const char *what, char *err,
		   size_t errlen);

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
