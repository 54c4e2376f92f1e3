/* machine.h - what the machine was doing while a case was measured, for run.json: the state
 * that decides a timing on a shared or virtual machine, read before and after each case run,
 * and the verdict "disturbed" when something else used the CPU meanwhile.
 *
 * Two kinds of state:
 *   - settings, which a run should not see change: the clock source, the CPU frequency
 *     governor, the cpuidle driver, transparent huge pages, the runner's effective
 *     capabilities, the kernel's speculative-execution mitigations.  run.json "machine" holds
 *     them once; a case records only the ones that differ from the run's start.
 *   - activity over the case: the cost of one clock read, CPU time stolen by the hypervisor,
 *     the CPU time of everything that is not the case's own processes ("foreign"), the time
 *     tasks waited for a CPU (PSI), the context switches of the probe and its peers, the load
 *     average and the runnable tasks.
 * /proc/stat counts CPU time in ticks (1/100 s): a share of the machine is known to within two
 * ticks per CPU (foreign_resolution_share), so a reading may come out a little negative, and a
 * short case can only be judged disturbed by a heavy load (a busy loop per CPU is); a light
 * one shows only on cases long against the ticks.
 * Every reading that the OS does not offer (not Linux, an old kernel) is null, never guessed. */
#ifndef IPCPROBE_MACHINE_H
#define IPCPROBE_MACHINE_H

#include <jansson.h>
#include <stdint.h>
#include <sys/resource.h>

/* The thresholds of "disturbed", as fractions of the machine's CPU time over the case (wall
 * time x CPUs online).  Why these: the runner and the probe's own processes are subtracted,
 * so what is left is someone else's work; an idle VM shows well under 2% (daemons, timers),
 * one busy loop on a 2-CPU machine shows 50%.  10% of all CPUs is another task holding a CPU
 * for a fifth of the case on this 2-CPU machine: enough to move a cross-core round trip. A
 * hypervisor's steal of 5% means the vCPU was away often enough for a tail to be its doing. */
#define MACHINE_FOREIGN_MAX 0.10
#define MACHINE_STEAL_MAX 0.05

struct machine_sample {
	int64_t t_ns;			/* CLOCK_MONOTONIC */
	long long busy, steal;		/* /proc/stat all-CPU ticks (USER_HZ); -1 unknown */
	long long psi_some_us;		/* /proc/pressure/cpu some total; -1 unknown */
	long long procs_running;	/* /proc/stat; -1 unknown */
	double load1;			/* /proc/loadavg or getloadavg(); NAN unknown */
	struct rusage self, children;	/* the runner, and every child it has reaped */
};

/* The run's settings: {"clocksource":..,"clocksources_available":..,"cpufreq_governor":..,
 * "cpuidle_driver":..,"cpuidle_governor":..,"thp":{..},"capabilities":{..},
 * "mitigations":{..}}. */
json_t *machine_settings(void);

void machine_sample(struct machine_sample *s);

/* A case's "machine" object from the samples before and after it, the settings at the run's
 * start (to record what changed) and the clock read cost measured before it.  Sets
 * *disturbed and, when set, says why in why. */
json_t *machine_case(const struct machine_sample *before, const struct machine_sample *after,
		     json_t *settings_at_start, int64_t clock_read_ns, int *disturbed, char *why,
		     size_t len);

#endif
