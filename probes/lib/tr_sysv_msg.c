/* tr_sysv_msg.c - one System V message queue; the message type says the direction
 * (1: side 0 -> side 1, 2: side 1 -> side 0).  IPC_RMID destroys a SysV queue at once, so the
 * id stays registered for cleanup until close (the runner sweeps a SIGKILLed probe's key). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "have.h"
#include "transport.h"

#ifdef HAVE_SYSV_MSG
#include <sys/ipc.h>
#include <sys/msg.h>

#include "cleanup.h"
#include "alloc.h"
#include "sysinfo.h"

#define MSGMAX_PATH "/proc/sys/kernel/msgmax"

struct msg_buf {
	long mtype;
	char mtext[];
};

struct sysv_end {
	int id;
	long send_type, recv_type;
	size_t max;
	struct msg_buf *buf;	/* sizeof(long) + max: msgsnd()/msgrcv() want the type in front */
};

struct sysv_pair {
	int id;
	int handle;	/* cleanup registration */
	pid_t creator;	/* only the creator removes the queue: a peer's close() must not */
};

/* msgmax: the sysctl where there is one, else msg_qbytes of a private queue (no message can
 * be larger than the queue).  Cached. */
static size_t sysv_limit(char *why, size_t whylen)
{
	static long limit = -1;
	static const char *source = MSGMAX_PATH;
	if (limit < 0)
		limit = (long)sysctl_read(MSGMAX_PATH);
	if (limit < 0) {
		struct msqid_ds ds;
		int id = msgget(IPC_PRIVATE, IPC_CREAT | 0600);
		source = "msg_qbytes of a fresh queue";
		if (id >= 0) {
			if (msgctl(id, IPC_STAT, &ds) == 0)
				limit = (long)ds.msg_qbytes;
			msgctl(id, IPC_RMID, NULL);
		}
	}
	snprintf(why, whylen, "sysv-msg: messages are at most %ld bytes here (%s)", limit, source);
	return limit > 0 ? (size_t)limit : 1;
}

static int new_queue(int key, void *arg)
{
	*(int *)arg = key;	/* for the error message */
	return msgget(key, IPC_CREAT | IPC_EXCL | 0600);
}

static int sysv_open(struct tr_pair *p, char *err, size_t errlen)
{
	char why[256];
	size_t max = sysv_limit(why, sizeof(why));
	struct sysv_pair *sp = probe_alloc(sizeof(*sp), "a sysv-msg pair");
	int key = 0;
	sp->id = ipc_key_create(new_queue, &key, "sysv-msg", err, errlen);
	if (sp->id < 0 && errno == EEXIST)
		goto free_pair;	/* err says every key was taken */
	if (sp->id < 0) {
		int e = errno;
		snprintf(err, errlen, "sysv-msg: msgget(0x%x, IPC_CREAT): %s (%d)%s", key,
			 strerror(e), e,
			 e == ENOSPC ? ": at /proc/sys/kernel/msgmni queues; remove stale ones "
				       "(ipcs -q) or raise it" :
			 e == ENOSYS ? ": SysV IPC is not in this kernel" : "");
		goto free_pair;
	}
	sp->handle = cleanup_add_id(CL_SYSV_MSG, sp->id);
	sp->creator = getpid();
	for (int s = 0; s < 2; s++) {
		struct sysv_end *e = probe_alloc(sizeof(*e), "a sysv-msg end");
		struct msg_buf *b = probe_alloc(sizeof(*b) + max, "a sysv-msg buffer (msgmax)");
		e->id = sp->id;
		e->send_type = s + 1;
		e->recv_type = 2 - s;
		e->max = max;
		e->buf = b;
		p->end[s].priv = e;
	}
	p->priv = sp;
	return 0;

free_pair:
	free(sp);
	return -1;
}

static void sysv_keep(struct tr_pair *p, int side)
{
	(void)p, (void)side;
}

/* Free this process's buffers; the process that created the queue removes it. */
static void sysv_close(struct tr_pair *p)
{
	struct sysv_pair *sp = p->priv;
	for (int s = 0; s < 2; s++) {
		struct sysv_end *e = p->end[s].priv;
		if (e)
			free(e->buf);
		free(e);
		p->end[s].priv = NULL;
	}
	if (sp) {
		if (sp->creator == getpid())
			cleanup_remove(sp->handle);
		free(sp);
		p->priv = NULL;
	}
}

static ssize_t sysv_send(struct tr_end *te, const void *buf, size_t len)
{
	struct sysv_end *e = te->priv;
	int rc;
	if (len > e->max) {
		errno = EMSGSIZE;
		return -1;
	}
	e->buf->mtype = e->send_type;
	memcpy(e->buf->mtext, buf, len);
	do
		rc = msgsnd(e->id, e->buf, len, 0);
	while (rc < 0 && errno == EINTR);
	return rc < 0 ? -1 : (ssize_t)len;
}

/* Datagram semantics: MSG_NOERROR cuts a longer message to len. */
static ssize_t sysv_recv(struct tr_end *te, void *buf, size_t len)
{
	struct sysv_end *e = te->priv;
	size_t want = len < e->max ? len : e->max;
	ssize_t n;
	do
		n = msgrcv(e->id, e->buf, want, e->recv_type, MSG_NOERROR);
	while (n < 0 && errno == EINTR);
	if (n > 0)
		memcpy(buf, e->buf->mtext, (size_t)n);
	return n;
}

const struct transport tr_sysv_msg = {
	.name = "sysv-msg",
	.help = "one System V message queue (msgget), the message type giving the direction; "
		"messages up to msgmax",
	.caps = TR_DGRAM | TR_MSG | TR_SYSVMSGQ,
	.msg_limit = sysv_limit,
	.open = sysv_open,
	.keep = sysv_keep,
	.send = sysv_send,
	.recv = sysv_recv,
	.close = sysv_close,
};

#else /* !HAVE_SYSV_MSG */

static const char *sysv_unsupported(void)
{
	return "sysv-msg: msgget() is not available on this platform (no System V message "
	       "queues)";
}

const struct transport tr_sysv_msg = {
	.name = "sysv-msg",
	.help = "one System V message queue (msgget), the message type giving the direction",
	.caps = TR_DGRAM | TR_MSG | TR_SYSVMSGQ,
	.unsupported = sysv_unsupported,
};
#endif
