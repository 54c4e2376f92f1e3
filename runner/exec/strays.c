/* strays.c - see strays.h. */
#include "exec/strays.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include "exec/guard.h"
#include "sysinfo.h"

#ifdef __linux__
#include <sys/prctl.h>
#endif

#define MAX_CHILDREN 64
#define MAX_ROUNDS 8	/* a stray's own children are ours once it dies: a few rounds */

void strays_adopt(void)
{
#ifdef PR_SET_CHILD_SUBREAPER
	prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0);
#endif
}

/* The runner's children now, from /proc (Linux 3.5 and later); how many, 0 where unknown. */
static int children_now(long long *pids)
{
	char path[64];
	snprintf(path, sizeof(path), "/proc/self/task/%d/children", (int)getpid());
	int n = sysfile_numbers(path, pids, MAX_CHILDREN);
	return n > 0 ? n : 0;
}

static void kill_one(pid_t pid, json_t *killed)
{
	char path[64], comm[64] = "?";
	snprintf(path, sizeof(path), "/proc/%d/comm", (int)pid);
	sysfile_line(path, comm, sizeof(comm));
	kill(pid, SIGKILL);
	while (waitpid(pid, NULL, 0) < 0 && errno == EINTR)
		;
	if (killed) {
		char what[96];
		snprintf(what, sizeof(what), "%d (%s)", (int)pid, comm);
		json_array_append_new(killed, json_string(what));
	}
}

int strays_kill(json_t *killed)
{
	long long pids[MAX_CHILDREN];
	int total = 0;
	pid_t watchman = guard_pid_of();
	for (int round = 0; round < MAX_ROUNDS; round++) {
		int n = children_now(pids), found = 0;
		for (int i = 0; i < n; i++) {
			if ((pid_t)pids[i] == watchman || pids[i] <= 0)
				continue;
			kill_one((pid_t)pids[i], killed);
			found++;
		}
		total += found;
		if (!found)
			break;
	}
	return total;
}
