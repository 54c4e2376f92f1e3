/* child.c - fork a peer that cannot outlive us; reap it with a deadline. */
#include "child.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "have.h"
#include "timing.h"

#ifdef HAVE_PR_SET_PDEATHSIG
#include <sys/prctl.h>
#endif

void child_rearm(pid_t parent)
{
#ifdef HAVE_PR_SET_PDEATHSIG
	prctl(PR_SET_PDEATHSIG, SIGKILL);
#endif
	/* The parent may have died before prctl took effect. */
	if (getppid() != parent)
		_exit(1);
}

pid_t child_fork(void)
{
	pid_t parent = getpid();
	fflush(NULL);	/* no buffered record may be printed twice */
	pid_t pid = fork();
	if (pid != 0)
		return pid;
	child_rearm(parent);
	return 0;
}

int child_reap(pid_t pid, int64_t timeout_ns, int *timed_out)
{
	int status;
	int64_t deadline = now_ns() + timeout_ns;
	if (timed_out)
		*timed_out = 0;
	for (;;) {
		pid_t r = waitpid(pid, &status, WNOHANG);
		if (r == pid)
			return status;
		if (r < 0 && errno != EINTR)
			return -1;
		if (now_ns() >= deadline)
			break;
		struct timespec ts = { 0, 1000000 };
		nanosleep(&ts, NULL);
	}
	if (timed_out)
		*timed_out = 1;
	kill(pid, SIGKILL);
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			return -1;
	return status;
}

const char *child_status_str(int status, char *buf, size_t len)
{
	if (WIFEXITED(status))
		snprintf(buf, len, "exit %d", WEXITSTATUS(status));
	else if (WIFSIGNALED(status))
		snprintf(buf, len, "killed by signal %d (%s)", WTERMSIG(status),
			 strsignal(WTERMSIG(status)));
	else
		snprintf(buf, len, "wait status 0x%x", status);
	return buf;
}
