/* tr_fifo.c - two named pipes (mkfifo), one per direction.  The names are unlinked as soon as
 * both ends are open, so nothing is left even if the probe is killed afterwards. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cleanup.h"
#include "tr_pipe.h"
#include "transport.h"

/* Make one FIFO and open both its ends in this process: the read end non-blocking first
 * (an O_WRONLY open blocks, or fails with ENXIO, until a reader exists), then the write end. */
static int fifo_make(int fds[2], char *err, size_t errlen)
{
	char path[256];
	ipc_path(path, sizeof(path), ".fifo");
	if (mkfifo(path, 0600) < 0) {
		snprintf(err, errlen, "fifo: mkfifo(%s): %s (%d)", path, strerror(errno), errno);
		return -1;
	}
	int h = cleanup_add_name(CL_PATH, path);
	fds[0] = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	fds[1] = fds[0] < 0 ? -1 : open(path, O_WRONLY | O_CLOEXEC);
	int e = errno;
	cleanup_remove(h);	/* unlink now: both ends are open or we failed */
	if (fds[0] < 0 || fds[1] < 0) {
		snprintf(err, errlen, "fifo: open(%s): %s (%d)", path, strerror(e), e);
		if (fds[0] >= 0)
			close(fds[0]);
		return -1;
	}
	tr_set_nonblock(fds[0], 0);
	return 0;
}

static int fifo_open(struct tr_pair *p, char *err, size_t errlen)
{
	int f01[2], f10[2];
	if (fifo_make(f01, err, errlen) < 0)
		return -1;
	if (fifo_make(f10, err, errlen) < 0) {
		close(f01[0]);
		close(f01[1]);
		return -1;
	}
	p->end[1].rfd = f01[0];
	p->end[0].wfd = f01[1];
	p->end[0].rfd = f10[0];
	p->end[1].wfd = f10[1];
	return 0;
}

const struct transport tr_fifo = {
	.name = "fifo",
	.help = "mkfifo(3) named pipes, one per direction (names removed once open)",
	.caps = TR_STREAM | TR_FD | TR_FILL | TR_INQ | TR_PIPESZ | TR_MSG,
	.open = fifo_open,
	.keep = tr_fd_keep,
	.send = tr_fd_send,
	.recv = tr_fd_recv,
	.close = tr_fd_close,
	.oscap = tr_pipe_oscap,
	.setcap = tr_pipe_setcap,
};
