/* tr_unix.c - AF_UNIX socketpairs: stream, datagram and seqpacket share everything but the
 * socket type.  Each side is one descriptor, used both ways. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#ifndef SOCK_CLOEXEC	/* macOS: no flags in the type; descriptors leak into exec */
#define SOCK_CLOEXEC 0
#endif
#include <unistd.h>

#include "alloc.h"
#include "transport.h"

static int unix_pair(struct tr_pair *p, int type, const char *name, char *err, size_t errlen)
{
	int sv[2];
	if (socketpair(AF_UNIX, type | SOCK_CLOEXEC, 0, sv) < 0) {
		snprintf(err, errlen, "%s: socketpair(AF_UNIX): %s (%d)", name, strerror(errno),
			 errno);
		return -1;
	}
	p->end[0].rfd = p->end[0].wfd = sv[0];
	p->end[1].rfd = p->end[1].wfd = sv[1];
	return 0;
}

static int stream_open(struct tr_pair *p, char *err, size_t errlen)
{
	return unix_pair(p, SOCK_STREAM, "unix-stream", err, errlen);
}

static int dgram_open(struct tr_pair *p, char *err, size_t errlen)
{
	return unix_pair(p, SOCK_DGRAM, "unix-dgram", err, errlen);
}

static int seqpacket_open(struct tr_pair *p, char *err, size_t errlen)
{
	return unix_pair(p, SOCK_SEQPACKET, "unix-seqpacket", err, errlen);
}

/* SOCK_SEQPACKET on AF_UNIX is optional in POSIX (macOS lacks it): ask the kernel once. */
static const char *seqpacket_unsupported(void)
{
	static int known, missing;
	if (!known) {
		int sv[2];
		known = 1;
		if (socketpair(AF_UNIX, SOCK_SEQPACKET, 0, sv) < 0)
			missing = errno == EPROTONOSUPPORT || errno == ESOCKTNOSUPPORT ||
				  errno == EOPNOTSUPP || errno == EPROTOTYPE;
		else
			close(sv[0]), close(sv[1]);
	}
	return missing ? "socketpair(AF_UNIX, SOCK_SEQPACKET): not supported by this kernel" :
			 NULL;
}

static int getbuf(int fd, int opt, long long *out)
{
	int v;
	socklen_t len = sizeof(v);
	if (getsockopt(fd, SOL_SOCKET, opt, &v, &len) < 0)
		return -1;
	*out = v;
	return 0;
}

/* The direction 0 -> 1: on Linux, what a writer gets in is bounded by the sending socket's
 * SO_SNDBUF alone (queued AF_UNIX data is charged to the sender, each buffer with its
 * bookkeeping); the receiver's SO_RCVBUF is reported beside it, not added to it.  Other
 * kernels may charge the receiver instead: there, the source says which buffer is shown. */
static int unix_oscap(struct tr_pair *p, struct tr_oscap *out, char *err, size_t errlen)
{
	if (getbuf(p->end[0].wfd, SO_SNDBUF, &out->sndbuf) < 0 ||
	    getbuf(p->end[1].rfd, SO_RCVBUF, &out->rcvbuf) < 0) {
		snprintf(err, errlen, "getsockopt(SO_SNDBUF/SO_RCVBUF): %s (%d)", strerror(errno),
			 errno);
		return -1;
	}
#ifdef __linux__
	out->source = "SO_SNDBUF of the sending socket";
#else
	out->source = "SO_SNDBUF of the sending socket (which buffer bounds AF_UNIX here is "
		      "not established on this kernel)";
#endif
	out->value = out->sndbuf;
	return 0;
}

/* Ask for want bytes of SO_SNDBUF on side 0 and SO_RCVBUF on side 1.  Linux doubles the
 * request (for its bookkeeping) and clamps it at net.core.wmem_max / rmem_max without an
 * error, so what was granted is only known by asking back: the sender's SO_SNDBUF, the
 * quantity oscap() reports, is returned. */
static long long unix_setcap(struct tr_pair *p, long long want, char *err, size_t errlen)
{
	int v = want > 0x3fffffff ? 0x3fffffff : (int)want;
	struct tr_oscap c;
	if (setsockopt(p->end[0].wfd, SOL_SOCKET, SO_SNDBUF, &v, sizeof(v)) < 0 ||
	    setsockopt(p->end[1].rfd, SOL_SOCKET, SO_RCVBUF, &v, sizeof(v)) < 0) {
		snprintf(err, errlen, "setsockopt(SO_SNDBUF/SO_RCVBUF, %d): %s (%d)", v,
			 strerror(errno), errno);
		return -1;
	}
	if (unix_oscap(p, &c, err, errlen) < 0)
		return -1;
	return c.value;
}

/* ---- the largest datagram, found by trying ---------------------------------------------- */

#define DGRAM_SEARCH_BOUND (16LL << 20)	/* past any default SO_SNDBUF */

/* 1 when fd0 sends one n-byte datagram (non-blocking) and fd1 receives it whole. */
static int dgram_goes_through(int fd0, int fd1, char *buf, long long n)
{
	ssize_t k = send(fd0, buf, (size_t)n, 0);
	if (k < 0)
		return 0;
	ssize_t got = recv(fd1, buf, (size_t)n + 1, 0);
	return k == n && got == n;
}

/* The largest datagram a fresh socketpair of type carries whole, with its default buffers:
 * doubling from 1 KiB until a send is refused, then bisecting.  -1 when the pair cannot be
 * had; sndbuf gets the sender's SO_SNDBUF, for the reader. */
static long long largest_datagram(int type, long long *sndbuf)
{
	int sv[2];
	long long good = 0, bad = -1;
	char *buf = NULL;
	*sndbuf = -1;
	if (socketpair(AF_UNIX, type | SOCK_CLOEXEC, 0, sv) < 0)
		return -1;
	if (tr_set_nonblock(sv[0], 1) == 0 && tr_set_nonblock(sv[1], 1) == 0 &&
	    getbuf(sv[0], SO_SNDBUF, sndbuf) == 0)
		buf = probe_alloc((size_t)DGRAM_SEARCH_BOUND + 1, "the datagram search's buffer");
	for (long long n = 1024; buf && n <= DGRAM_SEARCH_BOUND; n *= 2) {
		if (!dgram_goes_through(sv[0], sv[1], buf, n)) {
			bad = n;
			break;
		}
		good = n;
	}
	while (buf && bad > 0 && bad - good > 1) {
		long long mid = good + (bad - good) / 2;
		if (dgram_goes_through(sv[0], sv[1], buf, mid))
			good = mid;
		else
			bad = mid;
	}
	close(sv[0]);
	close(sv[1]);
	if (!buf)
		return -1;
	free(buf);
	return good;
}

/* msg_limit for one socket type: measured once per process, then remembered. */
static size_t dgram_limit(int type, const char *name, long long *cache, long long *sndbuf,
			  char *why, size_t whylen)
{
	if (*cache == 0)
		*cache = largest_datagram(type, sndbuf);
	if (*cache <= 0) {
		snprintf(why, whylen, "%s: the largest datagram could not be measured here "
				      "(socketpair or its buffers unavailable)", name);
		return 1;
	}
	snprintf(why, whylen, "the largest datagram a fresh socketpair carried whole here, found "
			      "by trying; its sender's SO_SNDBUF is %lld", *sndbuf);
	return (size_t)*cache;
}

static size_t dgram_msg_limit(char *why, size_t whylen)
{
	static long long cache, sndbuf;
	return dgram_limit(SOCK_DGRAM, "unix-dgram", &cache, &sndbuf, why, whylen);
}

static size_t seqpacket_msg_limit(char *why, size_t whylen)
{
	static long long cache, sndbuf;
	return dgram_limit(SOCK_SEQPACKET, "unix-seqpacket", &cache, &sndbuf, why, whylen);
}

#define UNIX_OPS                                                                            \
	.keep = tr_fd_keep, .send = tr_fd_send, .recv = tr_fd_recv, .close = tr_fd_close,     \
	.oscap = unix_oscap, .setcap = unix_setcap

const struct transport tr_unix_stream = {
	.name = "unix-stream",
	.help = "socketpair(AF_UNIX, SOCK_STREAM)",
	.caps = TR_STREAM | TR_FD | TR_FILL | TR_INQ | TR_SOCKBUF | TR_MSG,
	.open = stream_open,
	UNIX_OPS,
};

const struct transport tr_unix_dgram = {
	.name = "unix-dgram",
	.help = "socketpair(AF_UNIX, SOCK_DGRAM): a datagram must fit the send buffer",
	.caps = TR_DGRAM | TR_FD | TR_FILL | TR_SOCKBUF | TR_MSG,
	.msg_limit = dgram_msg_limit,
	.open = dgram_open,
	UNIX_OPS,
};

const struct transport tr_unix_seqpacket = {
	.name = "unix-seqpacket",
	.help = "socketpair(AF_UNIX, SOCK_SEQPACKET): datagrams over a connection",
	.caps = TR_DGRAM | TR_FD | TR_FILL | TR_SOCKBUF | TR_MSG,
	.msg_limit = seqpacket_msg_limit,
	.unsupported = seqpacket_unsupported,
	.open = seqpacket_open,
	UNIX_OPS,
};
