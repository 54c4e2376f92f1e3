/* tr_eventfd.c - two eventfds, one per direction: a message is the 8-byte counter value.
 * A counter adds up what is written before it is read, so one message may be in flight per
 * direction (TR_WORD), and the values 0 (a write of 0 wakes nobody) and 2^64-1 (not
 * writable) cannot be carried. */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "have.h"
#include "transport.h"

#ifdef HAVE_EVENTFD
#include <sys/eventfd.h>

static int efd_open(struct tr_pair *p, char *err, size_t errlen)
{
	int e01 = eventfd(0, 0);
	if (e01 < 0)
		goto fail;
	int e10 = eventfd(0, 0);
	if (e10 < 0) {
		close(e01);
		goto fail;
	}
	p->end[0].wfd = e01;
	p->end[1].rfd = e01;
	p->end[1].wfd = e10;
	p->end[0].rfd = e10;
	return 0;
fail:
	snprintf(err, errlen, "eventfd: eventfd(0, 0): %s (%d)%s", strerror(errno), errno,
		 errno == EMFILE || errno == ENFILE ? ": out of descriptors (ulimit -n)" : "");
	return -1;
}

/* Both sides' descriptors refer to the same two eventfds; keep the side's own two. */
static void efd_keep(struct tr_pair *p, int side)
{
	struct tr_end *o = &p->end[!side];
	o->rfd = o->wfd = -1;
}

static void efd_close(struct tr_pair *p)
{
	int fds[4] = { p->end[0].rfd, p->end[0].wfd, p->end[1].rfd, p->end[1].wfd };
	for (int i = 0; i < 4; i++) {
		int dup = 0;
		for (int k = 0; k < i; k++)
			dup |= fds[k] == fds[i];
		if (fds[i] >= 0 && !dup)
			close(fds[i]);
	}
	p->end[0].rfd = p->end[0].wfd = p->end[1].rfd = p->end[1].wfd = -1;
}

/* len (at most 8) bytes become the low bytes of the counter value, the rest zero. */
static ssize_t efd_send(struct tr_end *e, const void *buf, size_t len)
{
	uint64_t v = 0;
	ssize_t n;
	if (len > sizeof(v)) {
		errno = EMSGSIZE;
		return -1;
	}
	memcpy(&v, buf, len);
	if (v == 0 || v == UINT64_MAX) {
		errno = EINVAL;
		return -1;
	}
	do
		n = write(e->wfd, &v, sizeof(v));
	while (n < 0 && errno == EINTR);
	return n < 0 ? -1 : (ssize_t)len;
}

/* Reads one counter value and hands back its first len bytes. */
static ssize_t efd_recv(struct tr_end *e, void *buf, size_t len)
{
	uint64_t v;
	ssize_t n;
	do
		n = read(e->rfd, &v, sizeof(v));
	while (n < 0 && errno == EINTR);
	if (n < 0)
		return -1;
	if (len > sizeof(v))
		len = sizeof(v);
	memcpy(buf, &v, len);
	return (ssize_t)len;
}

const struct transport tr_eventfd = {
	.name = "eventfd",
	.help = "two eventfds, one per direction: a message is one 8-byte counter value",
	.caps = TR_WORD | TR_FD | TR_MSG,
	.max_msg = sizeof(uint64_t),
	.open = efd_open,
	.keep = efd_keep,
	.send = efd_send,
	.recv = efd_recv,
	.close = efd_close,
};

#else /* !HAVE_EVENTFD */

static const char *efd_unsupported(void)
{
	return "eventfd: <sys/eventfd.h> is not available on this platform (eventfd is Linux's "
	       "and FreeBSD 13's)";
}

const struct transport tr_eventfd = {
	.name = "eventfd",
	.help = "two eventfds, one per direction: a message is one 8-byte counter value",
	.caps = TR_WORD | TR_FD | TR_MSG,
	.max_msg = sizeof(uint64_t),
	.unsupported = efd_unsupported,
};
#endif
