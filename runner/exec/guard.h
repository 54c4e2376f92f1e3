/* guard.h - a watchman for the run: a small process forked at the start of a run that
 * outlives the runner.  If the runner dies without finishing (SIGKILL, a crash, the OOM
 * killer), the watchman kills the probe group that was running, removes what it left (sweep),
 * and marks run.json "incomplete", so the run directory never claims to be running when
 * nothing is.  The runner talks to it over a pipe; EOF without "done" means the runner died. */
#ifndef IPCPROBE_GUARD_H
#define IPCPROBE_GUARD_H

#include <sys/types.h>

/* The file in the run directory that keeps space for the runner's final files (run.c); the
 * watchman removes it too. */
#define RUN_SPACE_RESERVE ".space-reserve"
/* The case runs' entries of run.json, a line each as they end (rundir.c), so that a killed
 * run's run.json can be given them: the watchman puts them in and removes the file. */
#define RUN_CASES_PARTIAL "cases.jsonl.partial"

/* Fork the watchman for the run in the directory held open as dirfd (dir: its path, for
 * messages).  0, or -1 with errno (the run goes on unguarded). */
int guard_start(int dirfd, const char *dir);

/* A probe group has started or ended (pgid == the probe's pid). */
void guard_probe_started(pid_t pgid);
void guard_probe_ended(pid_t pgid);

/* The watchman's pid, -1 when there is none. */
pid_t guard_pid_of(void);
/* The run ended properly: let the watchman go and reap it. */
void guard_finish(void);

#endif
