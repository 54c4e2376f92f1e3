/* exec.h - the one way the runner starts a child (a probe, a probe's --list, gnuplot, git,
 * an interpreter's --version): its own process group, stdin from /dev/null, stdout read line
 * by line while it runs, stderr where the caller says, and a deadline after which the whole
 * group is killed (SIGTERM, then SIGKILL after a grace second).  Never through a shell.
 * Where the system has PR_SET_PDEATHSIG, the child gets SIGTERM when the runner dies. */
#ifndef IPCPROBE_EXEC_H
#define IPCPROBE_EXEC_H

#include <signal.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

/* Set by the runner's signal handler: stop the child now and return. */
extern volatile sig_atomic_t exec_stop_signal;

enum exec_stderr {
	ERR_NULL,	/* /dev/null */
	ERR_APPEND,	/* appended to stderr_path (never through a link) */
	ERR_NEW,	/* a new file stderr_path, created exclusively (never through a link) */
	ERR_STDOUT,	/* mixed into stdout, read with it */
	ERR_FD,		/* stderr_fd, a file the caller opened (e.g. in a directory held open) */
};

struct exec_spec {
	char *const *argv;		/* argv[0]: the executable's path, or a name looked up on
					 * PATH when search_path is set */
	int search_path;
	enum exec_stderr err_to;
	const char *stderr_path;	/* relative: to cwd_fd when that is set */
	int stderr_fd;
	/* A directory held open for the child to start in (fchdir), so that relative names
	 * given to it resolve there whatever happens to the path above; 0 (stdin, never a
	 * directory here): the runner's own working directory. */
	int cwd_fd;
	int64_t timeout_ns;		/* required: every child has a deadline */
	size_t max_line;		/* a longer stdout line ends the child as malformed */
	/* Called for each stdout line (without its newline, NUL-terminated); a non-zero return
	 * stops reading further lines (the child is still waited for).  NULL: stdout is read
	 * and dropped. */
	int (*on_line)(void *arg, const char *line, size_t len);
	void *arg;
	/* Called (may be NULL) with the child's process group as soon as it exists. */
	void (*on_start)(pid_t pgid);
};

struct exec_outcome {
	pid_t pid;
	int status;		/* wait status; valid unless spawn_failed */
	int timed_out;		/* killed at the deadline */
	int stopped;		/* killed because exec_stop_signal was set */
	int line_too_long;
	int spawn_failed;
	int64_t duration_ns;
};

/* Run spec to its end.  Returns 0, or -1 with err when it could not even start.  A child
 * whose program is missing exits 127, one that could not set up its descriptors 126. */
int exec_run(const struct exec_spec *spec, struct exec_outcome *out, char *err, size_t errlen);

/* Did it exit by itself with status 0? */
int exec_succeeded(const struct exec_outcome *o);

/* Run argv (looked up on PATH) for at most timeout_ns and return the first line it prints on
 * stdout (and stderr, when with_stderr), or NULL when it fails; the caller frees. */
char *exec_first_line(char *const argv[], int with_stderr, int64_t timeout_ns);

#endif
