/* tr_unix.c - AF_UNIX socketpairs: stream, datagram and seqpacket share everything but the
 * socket type.  Each side is one descriptor, used both ways. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#ifndef SOCK_CLOEXEC	/* macOS: no flags in the type; descriptors leak into exec */
#define SOCK_CLOEXEC 0
#endif
#include <unistd.h>

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

static void unix_keep(struct tr_pair *p, int side)
{
	tr_close_side(p, !side);
}

static void unix_close(struct tr_pair *p)
{
	tr_close_side(p, 0);
	tr_close_side(p, 1);
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

/* The direction 0 -> 1 is bounded by the sender's SO_SNDBUF and the receiver's SO_RCVBUF
 * (Linux charges AF_UNIX data to the sender; other kernels to the receiver): report both. */
static int unix_oscap(struct tr_pair *p, struct tr_oscap *out, char *err, size_t errlen)
{
	if (getbuf(p->end[0].wfd, SO_SNDBUF, &out->sndbuf) < 0 ||
	    getbuf(p->end[1].rfd, SO_RCVBUF, &out->rcvbuf) < 0) {
		snprintf(err, errlen, "getsockopt(SO_SNDBUF/SO_RCVBUF): %s (%d)", strerror(errno),
			 errno);
		return -1;
	}
	out->source = "SO_SNDBUF+SO_RCVBUF";
	out->value = out->sndbuf + out->rcvbuf;
	return 0;
}

/* Ask for want bytes of SO_SNDBUF on side 0 and SO_RCVBUF on side 1.  Linux doubles the
 * request (for its bookkeeping) and clamps it at net.core.wmem_max / rmem_max without an
 * error, so what was granted is only known by asking back: that is what is returned. */
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

#define UNIX_OPS                                                                            \
	.keep = unix_keep, .send = tr_fd_send, .recv = tr_fd_recv, .close = unix_close,     \
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
	.max_msg = 65536,
	.open = dgram_open,
	UNIX_OPS,
};

const struct transport tr_unix_seqpacket = {
	.name = "unix-seqpacket",
	.help = "socketpair(AF_UNIX, SOCK_SEQPACKET): datagrams over a connection",
	.caps = TR_DGRAM | TR_FD | TR_FILL | TR_SOCKBUF | TR_MSG,
	.max_msg = 65536,
	.unsupported = seqpacket_unsupported,
	.open = seqpacket_open,
	UNIX_OPS,
};
