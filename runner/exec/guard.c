/* guard.c - see guard.h. */
#include "exec/guard.h"

#include <errno.h>
#include <limits.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cleanup.h"
#include "have.h"
#include "exec/sweep.h"
#include "timing.h"
#include "common/util.h"

#ifdef HAVE_PR_SET_PDEATHSIG
#include <sys/prctl.h>
#endif

#define MAX_GROUPS 16
#define GRACE_NS 1000000000LL

static int guard_fd = -1;
static pid_t guard_pid = -1;

static void tell(const char *what, pid_t pgid)
{
	char line[64];
	int n = snprintf(line, sizeof(line), "%s %ld\n", what, (long)pgid);
	if (guard_fd >= 0 && write(guard_fd, line, (size_t)n) != n) {
		close(guard_fd);	/* the watchman is gone; the run goes on unguarded */
		guard_fd = -1;
	}
}

void guard_probe_started(pid_t pgid)
{
	tell("+", pgid);
}

void guard_probe_ended(pid_t pgid)
{
	tell("-", pgid);
}

void guard_finish(void)
{
	if (guard_fd < 0)
		return;
	tell("done", 0);
	close(guard_fd);
	guard_fd = -1;
	while (waitpid(guard_pid, NULL, 0) < 0 && errno == EINTR)
		;
}

/* ---- the watchman ------------------------------------------------------------------------ */

/* Kill a probe group the dead runner left: SIGTERM first so that the probe's own clean-up runs,
 * SIGKILL after a grace second, then the sweep of what carries its id. */
static void end_group(pid_t pgid)
{
	int64_t until = now_ns() + GRACE_NS;
	if (kill(-pgid, SIGTERM) < 0)
		goto sweep;
	/* Members that are zombies still count for kill(); this machine's pid 1 may never reap
	 * them, so the wait is bounded rather than until ESRCH. */
	while (now_ns() < until && kill(-pgid, 0) == 0)
		sleep_ns(20000000);
	kill(-pgid, SIGKILL);
	sleep_ns(50000000);	/* let the kernel tear the group down before sweeping */
sweep:
	sweep_group(pgid, ipc_run_token(), ipc_run_secret(), NULL);
}

/* The case runs' entries the runner appended as they ended (RUN_CASES_PARTIAL), whole lines
 * only, into meta's "cases" when it has none; the file removed once they are in run.json. */
#define CASES_MAX_BYTES ((size_t)1 << 30)
static void cases_from_journal(struct dirref d, json_t *meta)
{
	char err[PATH_MAX + 256];
	size_t len;
	json_t *cases = json_object_get(meta, "cases");
	if (json_array_size(cases))
		return;
	char *text = read_file_at(d, RUN_CASES_PARTIAL, CASES_MAX_BYTES, RF_NOFOLLOW, &len, err,
				  sizeof(err));
	if (!text)
		return;
	json_t *got = json_array();
	for (char *p = text, *nl; (nl = memchr(p, '\n', len - (size_t)(p - text))); p = nl + 1) {
		json_t *e = json_loadb(p, (size_t)(nl - p), 0, NULL);
		if (json_is_object(e))
			json_array_append(got, e);
		json_decref(e);
	}
	free(text);
	json_object_set_new(meta, "cases", got);
}

/* Mark run.json incomplete if the runner left it "running": in the run directory the runner
 * held open, whatever has become of its path since. */
static void mark_incomplete(struct dirref d, pid_t runner, int ngroups)
{
	char err[PATH_MAX + 512], reason[300];
	unlinkat(d.fd, RUN_SPACE_RESERVE, 0);
	struct stat st;
	int absent = fstatat(d.fd, "run.json", &st, AT_SYMLINK_NOFOLLOW) < 0 && errno == ENOENT;
	json_t *meta = absent ? NULL : read_json_at(d, "run.json", RF_NOFOLLOW, err, sizeof(err));
	if (!meta && !absent) {	/* never replace a run.json that cannot be read with less */
		fprintf(stderr, "ipcprobe watchman: %s\n", err);
		return;
	}
	if (!meta)	/* killed while starting, before run.json: say so in one */
		meta = json_pack("{s:i, s:s}", "schema", 1, "status", "running");
	const char *status = json_string_value(json_object_get(meta, "status"));
	const char *report = json_string_value(json_object_get(meta, "report"));
	if (status && strcmp(status, "running") && report && !strcmp(report, "pending")) {
		/* The cases were over and their files whole; the report was being drawn. */
		snprintf(reason, sizeof(reason), "the runner (pid %ld) died while drawing the report "
			 "(killed?): every case run recorded is in records.jsonl; `ipcprobe report "
			 "DIR` draws the report", (long)runner);
		json_object_set_new(meta, "status", json_string("incomplete"));
		json_object_set_new(meta, "reason", json_string(reason));
		json_object_set_new(meta, "report", json_string("missing"));
		if (write_json_at(d, "run.json", meta, err, sizeof(err)) < 0)
			fprintf(stderr, "ipcprobe watchman: %s\n", err);
	} else if (status && strcmp(status, "running") == 0) {
		snprintf(reason, sizeof(reason), "the runner (pid %ld) died before the run ended "
			 "(killed?); %d probe group(s) were stopped and swept; the records written "
			 "before are in records.jsonl.partial", (long)runner, ngroups);
		json_object_set_new(meta, "status", json_string("incomplete"));
		json_object_set_new(meta, "reason", json_string(reason));
		cases_from_journal(d, meta);
		if (write_json_at(d, "run.json", meta, err, sizeof(err)) < 0) {
			fprintf(stderr, "ipcprobe watchman: %s\n", err);
		} else {
			unlinkat(d.fd, RUN_CASES_PARTIAL, 0);
			fprintf(stderr, "ipcprobe watchman: %s: run incomplete: %s\n", d.path, reason);
		}
	}
	json_decref(meta);
}

/* Follow the runner's messages; when they stop without "done", clean up after it. */
static void watch(int fd, struct dirref dir, pid_t runner)
{
	pid_t groups[MAX_GROUPS];
	int ngroups = 0, done = 0;
	char buf[4096];
	size_t have = 0;
	for (;;) {
		ssize_t n = read(fd, buf + have, sizeof(buf) - 1 - have);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		have += (size_t)n;
		buf[have] = '\0';
		char *line = buf, *nl;
		while ((nl = strchr(line, '\n'))) {
			*nl = '\0';
			long id = strtol(line + 1, NULL, 10);
			if (strncmp(line, "done", 4) == 0)
				done = 1;
			else if (line[0] == '+' && ngroups < MAX_GROUPS && id > 0)
				groups[ngroups++] = (pid_t)id;
			else if (line[0] == '-')
				for (int i = 0; i < ngroups; i++)
					if (groups[i] == (pid_t)id)
						groups[i--] = groups[--ngroups];
			line = nl + 1;
		}
		have = strlen(line);
		memmove(buf, line, have);
	}
	if (done)
		return;
	for (int i = 0; i < ngroups; i++)
		end_group(groups[i]);
	mark_incomplete(dir, runner, ngroups);
}

int guard_start(int dirfd, const char *dir)
{
	int p[2];
	if (pipe(p) < 0)
		return -1;
	pid_t runner = getpid();
	fflush(NULL);
	pid_t pid = fork();
	if (pid < 0) {
		close(p[0]);
		close(p[1]);
		return -1;
	}
	if (pid == 0) {
		/* Its own process group: a Ctrl-C at the terminal is the runner's to handle. */
		setpgid(0, 0);
#if defined(HAVE_PR_SET_PDEATHSIG) && defined(PR_SET_NAME)
		prctl(PR_SET_NAME, "ipcprobe-watch");	/* what ps and pkill show */
#endif
		signal(SIGINT, SIG_IGN);
		signal(SIGTERM, SIG_IGN);
		signal(SIGHUP, SIG_IGN);
		close(p[1]);
		int null = open("/dev/null", O_RDWR);
		if (null >= 0) {
			dup2(null, 0);
			dup2(null, 1);	/* whoever reads the runner's output is not held up by us */
			close(null);
		}
		watch(p[0], (struct dirref){ dirfd, dir }, runner);
		_exit(0);
	}
	close(p[0]);
	fcntl(p[1], F_SETFD, FD_CLOEXEC);	/* probes must not hold the runner's end */
	guard_fd = p[1];
	guard_pid = pid;
	return 0;
}

pid_t guard_pid_of(void)
{
	return guard_pid;
}
