/* tr_pipe.h - what pipes and FIFOs share: the capacity calls F_GETPIPE_SZ / F_SETPIPE_SZ. */
#ifndef IPCPROBE_TR_PIPE_H
#define IPCPROBE_TR_PIPE_H

#include <stddef.h>

#include "transport.h"

#ifdef __cplusplus
extern "C" {
#endif

/* The side 0 -> side 1 pipe as side 0 sees it (its write end), or its read end once side 0's
 * ends are closed. */
int tr_pipe_fd01(const struct tr_pair *p);
int tr_pipe_oscap(struct tr_pair *p, struct tr_oscap *out, char *err, size_t errlen);
long long tr_pipe_setcap(struct tr_pair *p, long long want, char *err, size_t errlen);

#ifdef __cplusplus
}
#endif

#endif
