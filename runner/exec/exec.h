/* exec.h - run one probe process: its own process group, stdin from /dev/null, stdout read
 * line by line while it runs, stderr into a log file, a deadline after which the whole
 * group is killed (SIGTERM, then SIGKILL after a grace second).  Never through a shell.
 * Where the system has PR_SET_PDEATHSIG, the probe gets SIGTERM when the runner dies. */
#ifndef IPCPROBE_EXEC_H
#define IPCPROBE_EXEC_H

#include <signal.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

/* Set by the runner's signal handler: stop the probe now and return. */
extern volatile sig_atomic_t exec_stop_signal;

struct exec_spec {
	char *const *argv;		/* argv[0] is the executable's path */
	const char *stderr_path;	/* appended to; NULL: /dev/null */
	int64_t timeout_ns;
	size_t max_line;		/* a longer stdout line ends the probe as malformed */
	/* Called for each stdout line (without its newline, NUL-terminated); a non-zero return
	 * stops reading further lines (the probe is still waited for). */
	int (*on_line)(void *arg, const char *line, size_t len);
	void *arg;
	/* Called (may be NULL) with the probe's process group as soon as it exists. */
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

/* Run spec to its end.  Returns 0, or -1 with err when it could not even start. */
int exec_probe(const struct exec_spec *spec, struct exec_outcome *out, char *err, size_t errlen);

#endif
