/* cleanup.c - the registry of IPC objects to remove; see cleanup.h. */
#include "cleanup.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "have.h"

#ifdef HAVE_MQUEUE_H
#include <mqueue.h>
#endif
#ifdef HAVE_SHM_OPEN
#include <sys/mman.h>
#endif
#ifdef HAVE_SYSV_SHM
#include <sys/ipc.h>
#include <sys/shm.h>
#endif
#ifdef HAVE_SYSV_MSG
#include <sys/msg.h>
#endif
#include <sys/sem.h>

#define MAX_OBJECTS 256
#define NAME_MAX_LEN 256

struct object {
	volatile sig_atomic_t used;
	enum cleanup_kind kind;
	int id;
	char name[NAME_MAX_LEN];
};

static struct object objects[MAX_OBJECTS];
static pid_t owner;	/* only the registering process removes; children forked later do not */
static unsigned seq;

const char *ipc_run_token(void)
{
	static char token[17];
	if (token[0])
		return token;
	const char *env = getenv("IPCPROBE_RUN_TOKEN");
	size_t n = env ? strlen(env) : 0;
	if (n >= 1 && n <= 16 && strspn(env, "0123456789abcdef") == n)
		memcpy(token, env, n + 1);
	else
		strcpy(token, "0");
	return token;
}

const char *ipc_name(char *buf, size_t len)
{
	snprintf(buf, len, "/ipcprobe-%s-%ld-%ld-%u", ipc_run_token(), (long)getpgrp(),
		 (long)getpid(), seq++);
	return buf;
}

/* The run's secret: IPCPROBE_RUN_SECRET, exactly 16 hex digits (the runner draws it), else 0.
 * It only ever enters the key tags below, never a name, record or log line. */
uint64_t ipc_run_secret(void)
{
	static int read_once;
	static uint64_t secret;
	if (read_once)
		return secret;
	read_once = 1;
	const char *env = getenv("IPCPROBE_RUN_SECRET");
	if (env && strlen(env) == 16 && strspn(env, "0123456789abcdef") == 16)
		secret = strtoull(env, NULL, 16);
	return secret;
}

#define ROTL(x, b) (uint64_t)(((x) << (b)) | ((x) >> (64 - (b))))

static void sip_round(uint64_t v[4])
{
	v[0] += v[1], v[1] = ROTL(v[1], 13), v[1] ^= v[0], v[0] = ROTL(v[0], 32);
	v[2] += v[3], v[3] = ROTL(v[3], 16), v[3] ^= v[2];
	v[0] += v[3], v[3] = ROTL(v[3], 21), v[3] ^= v[0];
	v[2] += v[1], v[1] = ROTL(v[1], 17), v[1] ^= v[2], v[2] = ROTL(v[2], 32);
}

uint64_t ipc_siphash_word(uint64_t k0, uint64_t k1, uint64_t m)
{
	uint64_t v[4] = { k0 ^ 0x736f6d6570736575ull, k1 ^ 0x646f72616e646f6dull,
			  k0 ^ 0x6c7967656e657261ull, k1 ^ 0x7465646279746573ull };
	const uint64_t last = (uint64_t)8 << 56;	/* the length, 8 bytes, and no tail */
	v[3] ^= m, sip_round(v), sip_round(v), v[0] ^= m;
	v[3] ^= last, sip_round(v), sip_round(v), v[0] ^= last;
	v[2] ^= 0xff;
	for (int i = 0; i < 4; i++)
		sip_round(v);
	return v[0] ^ v[1] ^ v[2] ^ v[3];
}

/* The tag is SipHash-2-4 of the process group keyed by the secret, folded to 22 bits.  The
 * keys of earlier groups are listed to every user (ipcs, /proc/sysvipc), so the tag must be a
 * pseudorandom function of the secret: from any number of (pgid, tag) pairs nothing about the
 * tag of the next group may follow.  A plain hash such as FNV-1a over "secret-pgid" does not
 * do: its whole state after the secret is 32 bits, found in 2^32 trials from two listed tags,
 * and then every later key is known.  SipHash is made for short inputs under a secret key; a
 * guess of the 64-bit secret costs 2^64 trials. */
unsigned ipc_key_tag(uint64_t secret, long pgid)
{
	uint64_t h = ipc_siphash_word(secret, 0x69706370726f6265ull /* "ipcprobe" */, (uint64_t)pgid);
	return (unsigned)(h ^ (h >> 22) ^ (h >> 44)) & IPC_KEY_TAG_MASK;
}

int ipc_key(void)
{
	return IPC_KEY_MARK | (int)(ipc_key_tag(ipc_run_secret(), (long)getpgrp()) << 8) |
	       (int)(seq++ & 0xff);
}

int ipc_key_is(int key, uint64_t secret, long pgid)
{
	return (key & (int)0xc0000000) == IPC_KEY_MARK &&
	       ((unsigned)key >> 8 & IPC_KEY_TAG_MASK) == ipc_key_tag(secret, pgid);
}

int ipc_key_create(int (*make)(int key, void *arg), void *arg, const char *what, char *err,
		   size_t errlen)
{
	for (int i = 0; i < IPC_KEY_ATTEMPTS; i++) {
		int id = make(ipc_key(), arg);
		if (id >= 0 || errno != EEXIST)
			return id;
	}
	snprintf(err, errlen, "%s: %d keys in a row already taken (EEXIST): another process holds "
		 "this run's keys; see ipcs", what, IPC_KEY_ATTEMPTS);
	errno = EEXIST;
	return -1;
}

const char *ipc_path(char *buf, size_t len, const char *suffix)
{
	const char *dir = getenv("TMPDIR");
	if (!dir || !*dir)
		dir = "/tmp";
	snprintf(buf, len, "%s/ipcprobe-%s-%ld-%ld-%u%s", dir, ipc_run_token(), (long)getpgrp(),
		 (long)getpid(), seq++, suffix ? suffix : "");
	return buf;
}

static int add(enum cleanup_kind kind, const char *name, int id)
{
	owner = getpid();
	for (int i = 0; i < MAX_OBJECTS; i++) {
		if (objects[i].used)
			continue;
		objects[i].kind = kind;
		objects[i].id = id;
		snprintf(objects[i].name, NAME_MAX_LEN, "%s", name ? name : "");
		objects[i].used = 1;
		return i;
	}
	return -1;
}

int cleanup_add_name(enum cleanup_kind kind, const char *name)
{
	return add(kind, name, -1);
}

int cleanup_add_id(enum cleanup_kind kind, int id)
{
	return add(kind, NULL, id);
}

/* Remove one object; only async-signal-tolerant calls, since the signal handler runs it. */
static void remove_object(struct object *o)
{
	switch (o->kind) {
	case CL_PATH:
		unlink(o->name);
		break;
	case CL_SHM:
#ifdef HAVE_SHM_OPEN
		shm_unlink(o->name);
#endif
		break;
	case CL_MQ:
#ifdef HAVE_MQUEUE_H
		mq_unlink(o->name);
#endif
		break;
	case CL_SYSV_SHM:
#ifdef HAVE_SYSV_SHM
		shmctl(o->id, IPC_RMID, NULL);
#endif
		break;
	case CL_SYSV_MSG:
#ifdef HAVE_SYSV_MSG
		msgctl(o->id, IPC_RMID, NULL);
#endif
		break;
	case CL_SYSV_SEM:
		semctl(o->id, 0, IPC_RMID);
		break;
	}
}

void cleanup_remove(int handle)
{
	if (handle < 0 || handle >= MAX_OBJECTS || !objects[handle].used)
		return;
	remove_object(&objects[handle]);
	objects[handle].used = 0;
}

void cleanup_forget(int handle)
{
	if (handle >= 0 && handle < MAX_OBJECTS)
		objects[handle].used = 0;
}

void cleanup_run(void)
{
	if (owner != getpid())
		return;
	for (int i = 0; i < MAX_OBJECTS; i++) {
		if (objects[i].used) {
			remove_object(&objects[i]);
			objects[i].used = 0;
		}
	}
}

static void on_signal(int sig)
{
	cleanup_run();
	/* Die of the same signal, so the parent sees what happened. */
	signal(sig, SIG_DFL);
	raise(sig);
}

void cleanup_init(void)
{
	static const int sigs[] = { SIGTERM, SIGINT, SIGHUP };
	struct sigaction sa;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	for (unsigned i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++)
		sigaction(sigs[i], &sa, NULL);
	/* A write to a closed peer must be an EPIPE the probe can report, not a silent death. */
	signal(SIGPIPE, SIG_IGN);
	owner = getpid();
	atexit(cleanup_run);
}
