/* exec.c - see exec.h. */
#include "exec/exec.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "have.h"
#include "timing.h"

#ifdef HAVE_PR_SET_PDEATHSIG
#include <sys/prctl.h>
#endif

volatile sig_atomic_t exec_stop_signal;

#define GRACE_NS 1000000000LL

/* In the child: become a group leader, wire the descriptors, exec.  Never returns. */
static void exec_child(const struct exec_spec *spec, int out_fd, pid_t parent)
{
	setpgid(0, 0);
#ifdef HAVE_PR_SET_PDEATHSIG
	/* SIGTERM, not SIGKILL: the probe's own clean-up removes its IPC names. */
	if (prctl(PR_SET_PDEATHSIG, SIGTERM) == 0 && getppid() != parent)
		_exit(126);	/* the runner died before we got here */
#else
	(void)parent;
#endif
	signal(SIGPIPE, SIG_DFL);
	int in = open("/dev/null", O_RDONLY);
	int err = spec->stderr_path ?
			  open(spec->stderr_path, O_WRONLY | O_CREAT | O_APPEND | O_NOFOLLOW | O_CLOEXEC, 0644) :
			  open("/dev/null", O_WRONLY);
	if (in < 0 || err < 0 || dup2(in, 0) < 0 || dup2(out_fd, 1) < 0 || dup2(err, 2) < 0)
		_exit(126);
	close(in);
	close(err);
	close(out_fd);
	execv(spec->argv[0], spec->argv);
	fprintf(stderr, "ipcprobe: execv(%s): %s\n", spec->argv[0], strerror(errno));
	_exit(127);
}

struct linebuf {
	char *buf;
	size_t len, cap;
	int done;		/* on_line asked to stop, or a line was too long */
};

/* Append data; hand every complete line to on_line. */
static void feed(const struct exec_spec *spec, struct exec_outcome *out, struct linebuf *lb,
		 const char *data, size_t n)
{
	for (size_t i = 0; i < n && !lb->done; i++) {
		if (data[i] == '\n') {
			lb->buf[lb->len] = '\0';
			if (spec->on_line(spec->arg, lb->buf, lb->len))
				lb->done = 1;
			lb->len = 0;
			continue;
		}
		if (lb->len + 1 >= spec->max_line) {
			out->line_too_long = 1;
			lb->done = 1;
			break;
		}
		lb->buf[lb->len++] = data[i];
	}
}

int exec_probe(const struct exec_spec *spec, struct exec_outcome *out, char *err, size_t errlen)
{
	int fds[2];
	memset(out, 0, sizeof(*out));
	if (pipe(fds) < 0) {
		snprintf(err, errlen, "pipe: %s", strerror(errno));
		return -1;
	}
	int64_t t0 = now_ns(), deadline = t0 + spec->timeout_ns, kill_at = 0;
	fflush(NULL);
	pid_t parent = getpid(), pid = fork();
	if (pid < 0) {
		snprintf(err, errlen, "fork: %s", strerror(errno));
		close(fds[0]);
		close(fds[1]);
		out->spawn_failed = 1;
		return -1;
	}
	if (pid == 0) {
		close(fds[0]);
		exec_child(spec, fds[1], parent);
	}
	setpgid(pid, pid);	/* also here: no race with a kill before the child ran */
	if (spec->on_start)
		spec->on_start(pid);
	close(fds[1]);
	out->pid = pid;
	fcntl(fds[0], F_SETFD, FD_CLOEXEC);

	struct linebuf lb = { .buf = malloc(spec->max_line + 1), .cap = spec->max_line };
	char chunk[65536];
	int eof = 0, exited = 0, term_sent = 0;
	while (!exited) {
		int64_t now = now_ns();
		/* A probe that has already ended on its own is not stopped by a signal that
		 * arrives now: its outcome is its own (it could be recorded ok and failed). */
		if (!term_sent && exec_stop_signal && waitpid(pid, &out->status, WNOHANG) == pid) {
			exited = 1;
			break;
		}
		if (!term_sent && (now >= deadline || exec_stop_signal)) {
			out->timed_out = !exec_stop_signal;
			out->stopped = !!exec_stop_signal;
			kill(-pid, SIGTERM);
			term_sent = 1;
			kill_at = now + GRACE_NS;
		}
		if (term_sent && now >= kill_at)
			kill(-pid, SIGKILL);
		if (!eof) {
			struct pollfd pfd = { .fd = fds[0], .events = POLLIN };
			int r = poll(&pfd, 1, 20);
			if (r > 0) {
				ssize_t n = read(fds[0], chunk, sizeof(chunk));
				if (n > 0 && !lb.done)
					feed(spec, out, &lb, chunk, (size_t)n);
				else if (n == 0)
					eof = 1;
				if (lb.done && !term_sent && out->line_too_long) {
					kill(-pid, SIGKILL);
					term_sent = 1;
					kill_at = now;
				}
			}
		} else {
			sleep_ns(2000000);
		}
		pid_t w = waitpid(pid, &out->status, WNOHANG);
		if (w == pid)
			exited = 1;
	}
	/* Whatever the probe left in its group (peers, grandchildren) goes with it; then the
	 * pipe has no writer left and what the probe wrote just before it ended can be drained. */
	kill(-pid, SIGKILL);
	fcntl(fds[0], F_SETFL, O_NONBLOCK);	/* one that escaped the group must not hang us */
	for (int waits = 0; !lb.done && waits < 50;) {
		ssize_t n = read(fds[0], chunk, sizeof(chunk));
		if (n > 0) {
			feed(spec, out, &lb, chunk, (size_t)n);
		} else if (n < 0 && (errno == EAGAIN || errno == EINTR)) {
			struct pollfd pfd = { .fd = fds[0], .events = POLLIN };
			poll(&pfd, 1, 20);
			waits++;
		} else {
			break;
		}
	}
	if (!lb.done && lb.len > 0) {	/* a last line without its newline */
		lb.buf[lb.len] = '\0';
		spec->on_line(spec->arg, lb.buf, lb.len);
	}
	close(fds[0]);
	/* Reap the group: the runner is a subreaper (run.c), so a peer whose parent died is ours
	 * to wait for, and no zombie of the probe outlives its case. */
	while (waitpid(-pid, NULL, 0) > 0 || errno == EINTR)
		;
	free(lb.buf);
	out->duration_ns = now_ns() - t0;
	return 0;
}
