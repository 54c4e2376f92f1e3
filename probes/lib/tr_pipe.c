/* tr_pipe.c - two anonymous pipes, one per direction. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "have.h"
#include "tr_pipe.h"
#include "transport.h"

/* Side 0 writes p01 and reads p10; side 1 the reverse. */
static int pipe_open(struct tr_pair *p, char *err, size_t errlen)
{
	int p01[2], p10[2];
	if (pipe(p01) < 0) {
		snprintf(err, errlen, "pipe: pipe(): %s (%d)", strerror(errno), errno);
		return -1;
	}
	if (pipe(p10) < 0) {
		snprintf(err, errlen, "pipe: pipe(): %s (%d)", strerror(errno), errno);
		close(p01[0]);
		close(p01[1]);
		return -1;
	}
	p->end[0].wfd = p01[1];
	p->end[1].rfd = p01[0];
	p->end[1].wfd = p10[1];
	p->end[0].rfd = p10[0];
	return 0;
}

int tr_pipe_fd01(const struct tr_pair *p)
{
	return p->end[0].wfd >= 0 ? p->end[0].wfd : p->end[1].rfd;
}

#ifdef HAVE_F_SETPIPE_SZ
int tr_pipe_oscap(struct tr_pair *p, struct tr_oscap *out, char *err, size_t errlen)
{
	int n = fcntl(tr_pipe_fd01(p), F_GETPIPE_SZ);
	if (n < 0) {
		snprintf(err, errlen, "fcntl(F_GETPIPE_SZ): %s (%d)", strerror(errno), errno);
		return -1;
	}
	out->source = "F_GETPIPE_SZ";
	out->value = n;
	out->sndbuf = out->rcvbuf = -1;
	return 0;
}

long long tr_pipe_setcap(struct tr_pair *p, long long want, char *err, size_t errlen)
{
	int n = fcntl(tr_pipe_fd01(p), F_SETPIPE_SZ, (int)want);
	if (n < 0) {
		int e = errno;
		snprintf(err, errlen, "fcntl(F_SETPIPE_SZ, %lld): %s (%d)%s", want, strerror(e), e,
			 e == EPERM ? ": above /proc/sys/fs/pipe-max-size or over "
				      "pipe-user-pages-soft, which needs CAP_SYS_RESOURCE" :
			 e == EBUSY ? ": the pipe holds more than that" : "");
		errno = e;
		return -1;
	}
	return n;
}
#else
int tr_pipe_oscap(struct tr_pair *p, struct tr_oscap *out, char *err, size_t errlen)
{
	(void)p, (void)out;
	snprintf(err, errlen, "F_GETPIPE_SZ: not available on this platform (no such fcntl)");
	return -1;
}

long long tr_pipe_setcap(struct tr_pair *p, long long want, char *err, size_t errlen)
{
	(void)p, (void)want;
	snprintf(err, errlen, "F_SETPIPE_SZ: not available on this platform (no such fcntl); "
			      "pipe capacity is fixed by the kernel");
	return -1;
}
#endif

const struct transport tr_pipe = {
	.name = "pipe",
	.help = "pipe(2), one per direction",
	.caps = TR_STREAM | TR_FD | TR_FILL | TR_INQ | TR_PIPESZ | TR_MSG,
	.open = pipe_open,
	.keep = tr_fd_keep,
	.send = tr_fd_send,
	.recv = tr_fd_recv,
	.close = tr_fd_close,
	.oscap = tr_pipe_oscap,
	.setcap = tr_pipe_setcap,
};
