/* tr_signal.c - real-time signals: a message is the int of sigqueue()'s value, taken with
 * sigwaitinfo().  open() blocks SIGRTMIN in the opening process (a child forked after it
 * inherits the mask); keep() swaps pids: the process that did not open the pair sends the
 * opener a hello, from which the opener learns its peer. */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "alloc.h"
#include "have.h"
#include "transport.h"

#ifdef HAVE_SIGQUEUE

struct sig_pair {
	pid_t opener;
	pid_t peer;	/* whom this process sends to, once keep() has run */
	sigset_t old;	/* the opener's mask before open() */
};

static int sig_open(struct tr_pair *p, char *err, size_t errlen)
{
	struct sig_pair *sp = probe_alloc(sizeof(*sp), "a signal pair");
	sigset_t s;
	sigemptyset(&s);
	sigaddset(&s, SIGRTMIN);
	if (sigprocmask(SIG_BLOCK, &s, &sp->old) < 0) {
		snprintf(err, errlen, "signal: sigprocmask(SIG_BLOCK, SIGRTMIN): %s (%d)",
			 strerror(errno), errno);
		free(sp);
		return -1;
	}
	sp->opener = getpid();
	p->priv = sp;
	p->end[0].priv = p->end[1].priv = sp;
	return 0;
}

static int sig_wait(siginfo_t *si)
{
	sigset_t s;
	int rc;
	sigemptyset(&s);
	sigaddset(&s, SIGRTMIN);
	do
		rc = sigwaitinfo(&s, si);
	while (rc < 0 && errno == EINTR);
	return rc;
}

/* The non-opener announces itself; the opener waits for that announcement. */
static void sig_keep(struct tr_pair *p, int side)
{
	struct sig_pair *sp = p->priv;
	(void)side;
	if (getpid() != sp->opener) {
		union sigval v = { .sival_int = 0 };
		sp->peer = sp->opener;
		sigqueue(sp->opener, SIGRTMIN, v);
	} else {
		siginfo_t si;
		if (sig_wait(&si) >= 0)
			sp->peer = si.si_pid;
	}
}

/* Take what is still queued (a default-action SIGRTMIN would kill us), restore the mask. */
static void sig_close(struct tr_pair *p)
{
	struct sig_pair *sp = p->priv;
	if (!sp)
		return;
	if (getpid() == sp->opener) {
		sigset_t s;
		siginfo_t si;
		struct timespec zero = { 0, 0 };
		sigemptyset(&s);
		sigaddset(&s, SIGRTMIN);
		while (sigtimedwait(&s, &si, &zero) > 0)
			;
		sigprocmask(SIG_SETMASK, &sp->old, NULL);
	}
	free(sp);
	p->priv = p->end[0].priv = p->end[1].priv = NULL;
}

static ssize_t sig_send(struct tr_end *e, const void *buf, size_t len)
{
	struct sig_pair *sp = e->priv;
	union sigval v = { .sival_int = 0 };
	int x = 0;
	if (len > sizeof(x)) {
		errno = EMSGSIZE;
		return -1;
	}
	memcpy(&x, buf, len);
	v.sival_int = x;
	if (sigqueue(sp->peer, SIGRTMIN, v) < 0)
		return -1;
	return (ssize_t)len;
}

static ssize_t sig_recv(struct tr_end *e, void *buf, size_t len)
{
	siginfo_t si;
	int x;
	(void)e;
	if (sig_wait(&si) < 0)
		return -1;
	x = si.si_value.sival_int;
	if (len > sizeof(x))
		len = sizeof(x);
	memcpy(buf, &x, len);
	return (ssize_t)len;
}

const struct transport tr_signal = {
	.name = "signal",
	.help = "real-time signals (sigqueue/sigwaitinfo): a message is the int of the signal's "
		"value",
	.caps = TR_WORD | TR_MSG,
	.max_msg = sizeof(int),
	.open = sig_open,
	.keep = sig_keep,
	.send = sig_send,
	.recv = sig_recv,
	.close = sig_close,
};

#else /* !HAVE_SIGQUEUE */

static const char *sig_unsupported(void)
{
	return "signal: sigqueue(), sigwaitinfo() or SIGRTMIN is missing on this platform "
	       "(no real-time signals with a value)";
}

const struct transport tr_signal = {
	.name = "signal",
	.help = "real-time signals (sigqueue/sigwaitinfo): a message is the int of the signal's "
		"value",
	.caps = TR_WORD | TR_MSG,
	.max_msg = sizeof(int),
	.unsupported = sig_unsupported,
};
#endif
