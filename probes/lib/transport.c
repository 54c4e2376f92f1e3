/* transport.c - the transport table and what every transport shares. */
#include "transport.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

extern const struct transport tr_null;
extern const struct transport tr_pipe;
extern const struct transport tr_fifo;
extern const struct transport tr_unix_stream;
extern const struct transport tr_unix_dgram;
extern const struct transport tr_unix_seqpacket;
extern const struct transport tr_tcp;
extern const struct transport tr_udp;
extern const struct transport tr_posix_mq;
extern const struct transport tr_sysv_msg;
extern const struct transport tr_eventfd;
extern const struct transport tr_signal;
extern const struct transport tr_shm_futex;
extern const struct transport tr_shm_spin;

/* One line per transport.  Order is the order of reports. */
const struct transport *const transports[] = {
	&tr_null,
	&tr_pipe,
	&tr_fifo,
	&tr_unix_stream,
	&tr_unix_dgram,
	&tr_unix_seqpacket,
	&tr_tcp,
	&tr_udp,
	&tr_posix_mq,
	&tr_sysv_msg,
	&tr_eventfd,
	&tr_signal,
	&tr_shm_futex,
	&tr_shm_spin,
	NULL,
};

const struct transport *tr_find(const char *name)
{
	for (int i = 0; transports[i]; i++)
		if (strcmp(transports[i]->name, name) == 0)
			return transports[i];
	return NULL;
}

size_t tr_max_msg(const struct transport *tr, char *why, size_t whylen)
{
	if (tr->msg_limit)
		return tr->msg_limit(why, whylen);
	snprintf(why, whylen, "%s", tr->help);
	return tr->max_msg;
}

int tr_open(const struct transport *tr, struct tr_pair *p, char *err, size_t errlen)
{
	memset(p, 0, sizeof(*p));
	p->tr = tr;
	for (int s = 0; s < 2; s++)
		p->end[s].rfd = p->end[s].wfd = -1;
	const char *why = tr->unsupported ? tr->unsupported() : NULL;
	if (why) {
		snprintf(err, errlen, "%s", why);
		return -1;
	}
	return tr->open(p, err, errlen);
}

void tr_close(struct tr_pair *p)
{
	if (p->tr && p->tr->close)
		p->tr->close(p);
}

int tr_set_nonblock(int fd, int on)
{
	int fl = fcntl(fd, F_GETFL);
	if (fl < 0)
		return -1;
	fl = on ? (fl | O_NONBLOCK) : (fl & ~O_NONBLOCK);
	return fcntl(fd, F_SETFL, fl);
}

ssize_t tr_fd_send(struct tr_end *e, const void *buf, size_t len)
{
	ssize_t n;
	do
		n = write(e->wfd, buf, len);
	while (n < 0 && errno == EINTR);
	return n;
}

ssize_t tr_fd_recv(struct tr_end *e, void *buf, size_t len)
{
	ssize_t n;
	do
		n = read(e->rfd, buf, len);
	while (n < 0 && errno == EINTR);
	return n;
}

/* Close every descriptor of side s that is still open. */
void tr_close_side(struct tr_pair *p, int s)
{
	struct tr_end *e = &p->end[s];
	if (e->rfd >= 0)
		close(e->rfd);
	if (e->wfd >= 0 && e->wfd != e->rfd)
		close(e->wfd);
	e->rfd = e->wfd = -1;
}

void tr_fd_keep(struct tr_pair *p, int side)
{
	tr_close_side(p, !side);
}

void tr_fd_close(struct tr_pair *p)
{
	tr_close_side(p, 0);
	tr_close_side(p, 1);
}
