/* xfer.c - see xfer.h. */
#include "xfer.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

int xfer_send(const struct transport *tr, struct tr_end *e, const void *buf, size_t len,
	      char *err, size_t errlen)
{
	const char *p = buf;
	size_t done = 0;
	do {
		ssize_t n = tr->send(e, p + done, len - done);
		if (n < 0) {
			snprintf(err, errlen, "%s: send(%zu bytes): %s (%d)%s", tr->name, len - done,
				 strerror(errno), errno,
				 errno == EPIPE ? ": the peer is gone" :
				 errno == EMSGSIZE ? ": larger than the transport carries" : "");
			return -1;
		}
		if (!(tr->caps & TR_STREAM) && (size_t)n != len) {
			snprintf(err, errlen, "%s: send(%zu bytes) took %zd: a message must go whole",
				 tr->name, len, n);
			return -1;
		}
		done += (size_t)n;
	} while (done < len);
	return 0;
}

ssize_t xfer_recv(const struct transport *tr, struct tr_end *e, void *buf, size_t len,
		  size_t cap, char *err, size_t errlen)
{
	char *p = buf;
	size_t done = 0;
	if (!(tr->caps & TR_STREAM)) {
		ssize_t n = tr->recv(e, buf, tr->caps & TR_WORD ? len : cap);
		if (n < 0)
			snprintf(err, errlen, "%s: recv(): %s (%d)", tr->name, strerror(errno),
				 errno);
		return n;
	}
	while (done < len) {
		ssize_t n = tr->recv(e, p + done, len - done);
		if (n < 0) {
			snprintf(err, errlen, "%s: recv(%zu bytes): %s (%d)", tr->name, len - done,
				 strerror(errno), errno);
			return -1;
		}
		if (n == 0)
			break;	/* end of file: the caller sees a short message */
		done += (size_t)n;
	}
	return (ssize_t)done;
}

uint64_t xfer_tag(size_t len, uint64_t seq)
{
	if (len >= 8)
		return seq;
	/* 1 .. 256^len - 2: skips 0 and all-ones */
	uint64_t span = (1ull << (8 * len)) - 2;
	return (seq - 1) % span + 1;
}

void xfer_tag_put(void *buf, size_t len, uint64_t seq)
{
	unsigned char *b = buf;
	uint64_t t = xfer_tag(len, seq);
	for (size_t i = 0; i < len && i < 8; i++)
		b[i] = (unsigned char)(t >> (8 * i));
}

uint64_t xfer_tag_get(const void *buf, size_t len)
{
	const unsigned char *b = buf;
	uint64_t t = 0;
	for (size_t i = 0; i < len && i < 8; i++)
		t |= (uint64_t)b[i] << (8 * i);
	return t;
}
