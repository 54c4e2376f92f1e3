/* tr_null.c - no IPC at all: side 0's sends land in a buffer side 1 reads in the same process.
 * It exists so the harness can test itself in milliseconds; cases that need two processes
 * do not list it (it lacks TR_FD). */
#include <string.h>

#include "transport.h"

static int null_open(struct tr_pair *p, char *err, size_t errlen)
{
	(void)p, (void)err, (void)errlen;
	return 0;
}

static void null_keep(struct tr_pair *p, int side)
{
	(void)p, (void)side;
}

static ssize_t null_send(struct tr_end *e, const void *buf, size_t len)
{
	(void)e, (void)buf;
	return (ssize_t)len;
}

static ssize_t null_recv(struct tr_end *e, void *buf, size_t len)
{
	(void)e;
	memset(buf, 0, len);
	return (ssize_t)len;
}

static void null_close(struct tr_pair *p)
{
	(void)p;
}

const struct transport tr_null = {
	.name = "null",
	.help = "no IPC: the harness measuring itself",
	.caps = TR_NULL,
	.open = null_open,
	.keep = null_keep,
	.send = null_send,
	.recv = null_recv,
	.close = null_close,
};
