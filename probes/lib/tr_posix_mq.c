/* tr_posix_mq.c - two POSIX message queues, one per direction.  The names live only between
 * mq_open() and mq_unlink() inside open(): both sides hold the descriptors across fork(). */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "have.h"
#include "transport.h"

#ifdef HAVE_MQUEUE_H
#include <mqueue.h>

#include "cleanup.h"
#include "alloc.h"
#include "sysinfo.h"

#define MQ_MSGSIZE_MAX_PATH "/proc/sys/fs/mqueue/msgsize_max"
#define MQ_MSG_MAX_PATH "/proc/sys/fs/mqueue/msg_max"
#define MQ_MAXMSG_WANT 10

struct mq_end {
	mqd_t rq, wq;
	long msgsize;
	char *bounce;	/* mq_receive() needs msgsize bytes; smaller reads land here first */
};

struct mq_pair {
	mqd_t q[2];	/* q[0]: side 0 -> side 1; q[1]: side 1 -> side 0 */
};

/* The message size a queue of ours gets: the sysctl where there is one, else what a queue
 * opened with default attributes has.  Cached after the first call. */
static size_t mq_limit(char *why, size_t whylen)
{
	static long limit = -1;
	static const char *source;
	if (limit < 0) {
		limit = (long)sysctl_read(MQ_MSGSIZE_MAX_PATH);
		source = MQ_MSGSIZE_MAX_PATH;
	}
	if (limit < 0) {
		char name[128];
		struct mq_attr a;
		mqd_t q = mq_open(ipc_name(name, sizeof(name)), O_RDWR | O_CREAT | O_EXCL, 0600,
				  NULL);
		source = "mq_msgsize of a queue opened with default attributes";
		if (q != (mqd_t)-1) {
			mq_unlink(name);
			if (mq_getattr(q, &a) == 0)
				limit = a.mq_msgsize;
			mq_close(q);
		}
	}
	snprintf(why, whylen, "posix-mq: mq_msgsize is at most %ld here (%s)", limit, source);
	return limit > 0 ? (size_t)limit : 1;
}

/* Open one queue under a fresh name and unlink the name at once. */
static mqd_t mq_open_unlinked(struct mq_attr *a, char *err, size_t errlen)
{
	char name[128];
	for (;;) {
		int h = cleanup_add_name(CL_MQ, ipc_name(name, sizeof(name)));
		mqd_t q = mq_open(name, O_RDWR | O_CREAT | O_EXCL, 0600, a);
		int e = errno;
		if (q != (mqd_t)-1) {
			cleanup_remove(h);
			return q;
		}
		cleanup_forget(h);
		if (e == EMFILE && a->mq_maxmsg > 1) {
			/* RLIMIT_MSGQUEUE counts maxmsg * msgsize: ask for fewer slots. */
			a->mq_maxmsg /= 2;
			continue;
		}
		snprintf(err, errlen, "posix-mq: mq_open(%s, maxmsg=%ld, msgsize=%ld): %s (%d)%s",
			 name, (long)a->mq_maxmsg, (long)a->mq_msgsize, strerror(e), e,
			 e == EINVAL ? ": above " MQ_MSG_MAX_PATH " or " MQ_MSGSIZE_MAX_PATH :
			 e == EMFILE ? ": over RLIMIT_MSGQUEUE (ulimit -q) or the queue limit "
				       "/proc/sys/fs/mqueue/queues_max; raise them" :
			 e == ENOSYS ? ": POSIX message queues are not in this kernel" : "");
		errno = e;
		return (mqd_t)-1;
	}
}

static int mq_pair_open(struct tr_pair *p, char *err, size_t errlen)
{
	char why[256];
	long maxmsg = (long)sysctl_read(MQ_MSG_MAX_PATH);
	struct mq_attr a = {
		.mq_maxmsg = maxmsg > 0 && maxmsg < MQ_MAXMSG_WANT ? maxmsg : MQ_MAXMSG_WANT,
		.mq_msgsize = (long)mq_limit(why, sizeof(why)),
	};
	struct mq_pair *mp = probe_alloc(sizeof(*mp), "a posix-mq pair");
	mp->q[0] = mq_open_unlinked(&a, err, errlen);
	if (mp->q[0] == (mqd_t)-1)
		goto free_pair;
	mp->q[1] = mq_open_unlinked(&a, err, errlen);
	if (mp->q[1] == (mqd_t)-1)
		goto close_q0;
	for (int s = 0; s < 2; s++) {
		struct mq_end *e = probe_alloc(sizeof(*e), "a posix-mq end");
		char *b = probe_alloc((size_t)a.mq_msgsize, "a posix-mq message buffer (mq_msgsize)");
		e->wq = mp->q[s];
		e->rq = mp->q[!s];
		e->msgsize = a.mq_msgsize;
		e->bounce = b;
		p->end[s].priv = e;
	}
	p->priv = mp;
	return 0;

close_q0:
	mq_close(mp->q[0]);
free_pair:
	free(mp);
	return -1;
}

/* Both sides use both queues, so keep() closes nothing. */
static void mq_keep(struct tr_pair *p, int side)
{
	(void)p, (void)side;
}

static void mq_pair_close(struct tr_pair *p)
{
	struct mq_pair *mp = p->priv;
	for (int s = 0; s < 2; s++) {
		struct mq_end *e = p->end[s].priv;
		if (e)
			free(e->bounce);
		free(e);
		p->end[s].priv = NULL;
	}
	if (mp) {
		mq_close(mp->q[0]);
		mq_close(mp->q[1]);
		free(mp);
		p->priv = NULL;
	}
}

static ssize_t mq_tr_send(struct tr_end *te, const void *buf, size_t len)
{
	struct mq_end *e = te->priv;
	int rc;
	do
		rc = mq_send(e->wq, buf, len, 0);
	while (rc < 0 && errno == EINTR);
	return rc < 0 ? -1 : (ssize_t)len;
}

/* Datagram semantics: a message longer than len is cut to len. */
static ssize_t mq_tr_recv(struct tr_end *te, void *buf, size_t len)
{
	struct mq_end *e = te->priv;
	int direct = len >= (size_t)e->msgsize;
	ssize_t n;
	do
		n = mq_receive(e->rq, direct ? buf : e->bounce, direct ? len : (size_t)e->msgsize,
			       NULL);
	while (n < 0 && errno == EINTR);
	if (n < 0 || direct)
		return n;
	if ((size_t)n > len)
		n = (ssize_t)len;
	memcpy(buf, e->bounce, (size_t)n);
	return n;
}

const struct transport tr_posix_mq = {
	.name = "posix-mq",
	.help = "two POSIX message queues (mq_open), one per direction; messages up to "
		"/proc/sys/fs/mqueue/msgsize_max",
	.caps = TR_DGRAM | TR_MSG | TR_MQATTR,
	.msg_limit = mq_limit,
	.open = mq_pair_open,
	.keep = mq_keep,
	.send = mq_tr_send,
	.recv = mq_tr_recv,
	.close = mq_pair_close,
};

#else /* !HAVE_MQUEUE_H */

static const char *mq_unsupported(void)
{
	return "posix-mq: <mqueue.h> is not available on this platform (no POSIX message queues)";
}

const struct transport tr_posix_mq = {
	.name = "posix-mq",
	.help = "two POSIX message queues (mq_open), one per direction",
	.caps = TR_DGRAM | TR_MSG | TR_MQATTR,
	.unsupported = mq_unsupported,
};
#endif
