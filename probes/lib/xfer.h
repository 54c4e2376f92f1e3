/* xfer.h - one whole message over any TR_MSG transport, whatever its framing (stream,
 * datagram or word), and the sequence tag every probe message carries so that a message
 * dropped, repeated, reordered or cut short is caught on arrival. */
#ifndef IPCPROBE_XFER_H
#define IPCPROBE_XFER_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "transport.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Send all len bytes as one message: a stream is written until done, a datagram or a word
 * must go in one call.  0, or -1 with the reason in err. */
int xfer_send(const struct transport *tr, struct tr_end *e, const void *buf, size_t len,
	      char *err, size_t errlen);

/* Receive one message the caller expects to be len bytes into buf, which holds cap bytes
 * (cap > len, so that a longer datagram shows as one).  A stream is read until len bytes or
 * end of file; a datagram is one receive of up to cap; a word is one receive of len.
 * Returns the bytes received (the caller compares with len), or -1 with the reason in err. */
ssize_t xfer_recv(const struct transport *tr, struct tr_end *e, void *buf, size_t len,
		  size_t cap, char *err, size_t errlen);

/* The tag of message number seq (from 1) of len bytes: the value its first min(len, 8)
 * bytes hold, little-endian.  Never 0, and never all-ones in fewer than 8 bytes. */
uint64_t xfer_tag(size_t len, uint64_t seq);
void xfer_tag_put(void *buf, size_t len, uint64_t seq);
uint64_t xfer_tag_get(const void *buf, size_t len);

#ifdef __cplusplus
}
#endif

#endif
