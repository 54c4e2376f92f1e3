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

#include "common/util.h"
#include "have.h"
#include "timing.h"

#ifdef HAVE_PR_SET_PDEATHSIG
#include <sys/prctl.h>
#endif

volatile sig_atomic_t exec_stop_signal;

#define GRACE_NS 1000000000LL

static int open_stderr(const struct exec_spec *spec, int out_fd)
{
	switch (spec->err_to) {
	case ERR_APPEND:
		return open(spec->stderr_path, O_WRONLY | O_CREAT | O_APPEND | O_NOFOLLOW, 0644);
	case ERR_NEW:
		return open(spec->stderr_path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW, 0644);
	case ERR_STDOUT:
		return dup(out_fd);
	case ERR_FD:
		return dup(spec->stderr_fd);
	default:
		return open("/dev/null", O_WRONLY);
	}
}

/* In the child: become a group leader, wire the descriptors, exec.  Never returns. */
static void exec_child(const struct exec_spec *spec, int out_fd, pid_t parent)
{
	setpgid(0, 0);
#ifdef HAVE_PR_SET_PDEATHSIG
	/* SIGTERM, not SIGKILL: a probe's own clean-up removes its IPC names. */
	if (prctl(PR_SET_PDEATHSIG, SIGTERM) == 0 && getppid() != parent)
		_exit(126);	/* the runner died before we got here */
#else
	(void)parent;
#endif
	signal(SIGPIPE, SIG_DFL);	/* ignored signals stay ignored across exec */
	signal(SIGXFSZ, SIG_DFL);
	if (spec->cwd_fd > 0 && fchdir(spec->cwd_fd) < 0)
		_exit(126);
	int in = open("/dev/null", O_RDONLY);
	int err = open_stderr(spec, out_fd);
	if (in < 0 || err < 0 || dup2(in, 0) < 0 || dup2(out_fd, 1) < 0 || dup2(err, 2) < 0)
		_exit(126);
	close(in);
	close(err);
	close(out_fd);
	if (spec->search_path)
		execvp(spec->argv[0], spec->argv);
	else
		execv(spec->argv[0], spec->argv);
	fprintf(stderr, "ipcprobe: exec %s: %s\n", spec->argv[0], strerror(errno));
	_exit(127);
}

/* How much of a child's stdout is read at once.  The runner is one thread and waits for one
 * child at a time, so watch() and drain() share nothing at once and keep their buffers out of
 * a stack that `ulimit -s` may have made small. */
#define EXEC_CHUNK 65536

struct linebuf {
	char *buf;
	size_t len, cap;
	int done;		/* on_line asked to stop, or a line was too long */
};

/* Append data; hand every complete line to on_line. */
static void feed(const struct exec_spec *spec, struct exec_outcome *out, struct linebuf *lb,
		 const char *data, size_t n)
{
	if (!spec->on_line)
		return;
	for (size_t i = 0; i < n && !lb->done; i++) {
		if (data[i] == '\n') {
			lb->buf[lb->len] = '\0';
			if (spec->on_line(spec->arg, lb->buf, lb->len))
				lb->done = 1;
			lb->len = 0;
			continue;
		}
		if (lb->len + 1 >= lb->cap) {
			out->line_too_long = 1;
			lb->done = 1;
			break;
		}
		lb->buf[lb->len++] = data[i];
	}
}

/* Fork the child with its stdout on a pipe; *rd gets the pipe's reading end. */
static pid_t spawn(const struct exec_spec *spec, struct exec_outcome *out, int *rd, char *err,
		   size_t errlen)
{
	int fds[2];
	if (pipe(fds) < 0) {
		snprintf(err, errlen, "pipe: %s", strerror(errno));
		out->spawn_failed = 1;
		return -1;
	}
	fflush(NULL);	/* the child must not print our buffered output again */
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
	fcntl(fds[0], F_SETFD, FD_CLOEXEC);
	out->pid = pid;
	*rd = fds[0];
	return pid;
}

/* Read the child's stdout until it exits, killing its group at the deadline, when the run is
 * being stopped, or when a line is too long. */
static void watch(const struct exec_spec *spec, struct exec_outcome *out, int rd,
		  struct linebuf *lb, int64_t deadline)
{
	pid_t pid = out->pid;
	static char chunk[EXEC_CHUNK];	/* not on the stack: `ulimit -s 128` must still run */
	int eof = 0, term_sent = 0;
	int64_t kill_at = 0;
	for (;;) {
		int64_t now = now_ns();
		/* A child that has already ended on its own is not stopped by a signal that
		 * arrives now: its outcome is its own (it could be recorded ok and failed). */
		if (!term_sent && exec_stop_signal && waitpid(pid, &out->status, WNOHANG) == pid)
			return;
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
			struct pollfd pfd = { .fd = rd, .events = POLLIN };
			if (poll(&pfd, 1, 20) > 0) {
				ssize_t n = read(rd, chunk, sizeof(chunk));
				if (n > 0 && !lb->done)
					feed(spec, out, lb, chunk, (size_t)n);
				else if (n == 0)
					eof = 1;
				if (lb->done && !term_sent && out->line_too_long) {
					kill(-pid, SIGKILL);
					term_sent = 1;
					kill_at = now;
				}
			}
		} else {
			sleep_ns(2000000);
		}
		if (waitpid(pid, &out->status, WNOHANG) == pid)
			return;
	}
}

/* After the child ended: what it wrote just before is still in the pipe. */
static void drain(const struct exec_spec *spec, struct exec_outcome *out, int rd,
		  struct linebuf *lb)
{
	static char chunk[EXEC_CHUNK];
	fcntl(rd, F_SETFL, O_NONBLOCK);	/* one that escaped the group must not hang us */
	for (int waits = 0; !lb->done && waits < 50;) {
		ssize_t n = read(rd, chunk, sizeof(chunk));
		if (n > 0) {
			feed(spec, out, lb, chunk, (size_t)n);
		} else if (n < 0 && (errno == EAGAIN || errno == EINTR)) {
			struct pollfd pfd = { .fd = rd, .events = POLLIN };
			poll(&pfd, 1, 20);
			waits++;
		} else {
			break;
		}
	}
	if (spec->on_line && !lb->done && lb->len > 0) {	/* a last line without its newline */
		lb->buf[lb->len] = '\0';
		spec->on_line(spec->arg, lb->buf, lb->len);
	}
}

int exec_run(const struct exec_spec *spec, struct exec_outcome *out, char *err, size_t errlen)
{
	int rd = -1;
	memset(out, 0, sizeof(*out));
	int64_t t0 = now_ns();
	if (spawn(spec, out, &rd, err, errlen) < 0)
		return -1;
	size_t cap = spec->max_line ? spec->max_line : 4096;
	struct linebuf lb = { .buf = malloc(cap + 1), .cap = cap };
	if (!lb.buf)
		abort();
	watch(spec, out, rd, &lb, t0 + spec->timeout_ns);
	/* Whatever the child left in its group (peers, grandchildren) goes with it; then the
	 * pipe has no writer left and can be drained. */
	kill(-out->pid, SIGKILL);
	drain(spec, out, rd, &lb);
	close(rd);
	/* Reap the group: the runner is a subreaper (run.c), so a peer whose parent died is ours
	 * to wait for, and no zombie of the child outlives it. */
	while (waitpid(-out->pid, NULL, 0) > 0 || errno == EINTR)
		;
	free(lb.buf);
	out->duration_ns = now_ns() - t0;
	return 0;
}

int exec_succeeded(const struct exec_outcome *o)
{
	return !o->spawn_failed && !o->timed_out && !o->stopped && WIFEXITED(o->status) &&
	       WEXITSTATUS(o->status) == 0;
}

static int keep_first_line(void *arg, const char *line, size_t len)
{
	char **first = arg;
	(void)len;
	*first = xstrdup(line);
	return 1;
}

char *exec_first_line(char *const argv[], int with_stderr, int64_t timeout_ns)
{
	char *first = NULL, err[256];
	struct exec_spec spec = { .argv = argv, .search_path = 1,
				  .err_to = with_stderr ? ERR_STDOUT : ERR_NULL,
				  .timeout_ns = timeout_ns, .max_line = 4096,
				  .on_line = keep_first_line, .arg = &first };
	struct exec_outcome o;
	if (exec_run(&spec, &o, err, sizeof(err)) < 0 || !exec_succeeded(&o)) {
		free(first);
		return NULL;
	}
	return first;
}
