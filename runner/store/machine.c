/* machine.c - see machine.h. */
#include "store/machine.h"

#include <dirent.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sysinfo.h"
#include "timing.h"

/* A file's first line as JSON; null when absent. */
static json_t *first_line(const char *path)
{
	char buf[512];
	return sysfile_line(path, buf, sizeof(buf)) == 0 ? json_string(buf) : json_null();
}

/* Every file of a directory, name -> first line (the mitigations, one file per
 * vulnerability); null when the directory is absent. */
static json_t *dir_lines(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	if (!d)
		return json_null();
	json_t *o = json_object();
	while ((e = readdir(d))) {
		char path[1024];
		if (e->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
		json_object_set_new(o, e->d_name, first_line(path));
	}
	closedir(d);
	return o;
}

/* The capability sets this runner (and so every probe it starts) holds, from
 * /proc/self/status, as hex; and the few that change what a probe can do (raise a pipe past
 * its limit, lock memory, set real-time priority). */
static json_t *capabilities(void)
{
	unsigned long long eff;
	if (sysfile_field("/proc/self/status", "CapEff", 16, &eff) < 0)
		return json_null();
	static const struct {
		const char *name;
		int bit;
	} known[] = { { "CAP_SYS_ADMIN", 21 }, { "CAP_SYS_RESOURCE", 24 },
		      { "CAP_IPC_LOCK", 14 }, { "CAP_SYS_NICE", 23 }, { "CAP_IPC_OWNER", 15 } };
	json_t *held = json_array();
	for (size_t i = 0; i < sizeof(known) / sizeof(known[0]); i++)
		if (eff >> known[i].bit & 1)
			json_array_append_new(held, json_string(known[i].name));
	char hex[32];
	snprintf(hex, sizeof(hex), "0x%016llx", eff);
	return json_pack("{s:s, s:o}", "effective", hex, "relevant_held", held);
}

json_t *machine_settings(void)
{
	const char *cs = "/sys/devices/system/clocksource/clocksource0/";
	const char *thp = "/sys/kernel/mm/transparent_hugepage/";
	char a[256], b[256], c[256], d[256];
	snprintf(a, sizeof(a), "%scurrent_clocksource", cs);
	snprintf(b, sizeof(b), "%savailable_clocksource", cs);
	snprintf(c, sizeof(c), "%senabled", thp);
	snprintf(d, sizeof(d), "%sdefrag", thp);
	return json_pack("{s:o, s:o, s:o, s:o, s:o, s:{s:o, s:o}, s:o, s:o}", "clocksource",
			 first_line(a), "clocksources_available", first_line(b), "cpufreq_governor",
			 first_line("/sys/devices/system/cpu/cpu0/cpufreq/scaling_governor"),
			 "cpuidle_driver", first_line("/sys/devices/system/cpu/cpuidle/current_driver"),
			 "cpuidle_governor",
			 first_line("/sys/devices/system/cpu/cpuidle/current_governor"), "thp",
			 "enabled", first_line(c), "defrag", first_line(d), "capabilities",
			 capabilities(), "mitigations",
			 dir_lines("/sys/devices/system/cpu/vulnerabilities"));
}

/* /proc/stat's first line: all CPUs' ticks.  busy is everything but idle and iowait; steal is
 * what the hypervisor gave to others (counted apart from busy, since the guest did not run).
 * The procs_running line: tasks runnable now. */
static void read_proc_stat(struct machine_sample *s)
{
	FILE *f = fopen("/proc/stat", "r");
	char line[512];
	s->busy = s->steal = s->procs_running = -1;
	while (f && fgets(line, sizeof(line), f)) {
		unsigned long long v[10] = { 0 };
		if (!strncmp(line, "cpu ", 4)) {
			int n = sscanf(line + 4, "%llu %llu %llu %llu %llu %llu %llu %llu", &v[0],
				       &v[1], &v[2], &v[3], &v[4], &v[5], &v[6], &v[7]);
			if (n >= 7)	/* user nice system idle iowait irq softirq [steal] */
				s->busy = (long long)(v[0] + v[1] + v[2] + v[5] + v[6]);
			if (n >= 8)
				s->steal = (long long)v[7];
		} else if (!strncmp(line, "procs_running ", 14)) {
			s->procs_running = atoll(line + 14);
		}
	}
	if (f)
		fclose(f);
}

/* "some ... total=N" of /proc/pressure/cpu: microseconds in which a task waited for a CPU. */
static long long read_psi_some(void)
{
	char line[256];
	const char *t;
	if (sysfile_line("/proc/pressure/cpu", line, sizeof(line)) < 0 ||
	    strncmp(line, "some", 4) || !(t = strstr(line, "total=")))
		return -1;
	return atoll(t + 6);
}

void machine_sample(struct machine_sample *s)
{
	double la[1];
	memset(s, 0, sizeof(*s));
	read_proc_stat(s);
	s->psi_some_us = read_psi_some();
	s->load1 = getloadavg(la, 1) == 1 ? la[0] : NAN;
	getrusage(RUSAGE_SELF, &s->self);
	getrusage(RUSAGE_CHILDREN, &s->children);
	s->t_ns = now_ns();
}

static double tv_s(struct timeval tv)
{
	return (double)tv.tv_sec + (double)tv.tv_usec / 1e6;
}

static double cpu_s(const struct rusage *r)
{
	return tv_s(r->ru_utime) + tv_s(r->ru_stime);
}

/* The settings whose value is not the one at the run's start: {name: now}; {} when none. */
static json_t *settings_changed(json_t *at_start)
{
	json_t *now = machine_settings(), *changed = json_object(), *v;
	const char *k;
	json_object_foreach(now, k, v)
		if (!json_equal(v, json_object_get(at_start, k)))
			json_object_set(changed, k, v);
	json_decref(now);
	return changed;
}

/* A share of the machine's CPU time over the case (wall x CPUs), or null when unknown.
 * ticks are /proc/stat's USER_HZ ticks; their 1/USER_HZ grain is what margin_s reports. */
static json_t *share(double seconds, double capacity_s)
{
	return isfinite(seconds) && capacity_s > 0 ? json_real(seconds / capacity_s) : json_null();
}

/* The CPU seconds over the case of everything but the runner and the case's processes:
 * all CPUs' busy time less ours; NAN when /proc/stat is not there. */
static double foreign_cpu_s(const struct machine_sample *b, const struct machine_sample *a,
			    double tick_s)
{
	if (b->busy < 0 || a->busy < 0)
		return NAN;
	double ours = cpu_s(&a->self) - cpu_s(&b->self) + cpu_s(&a->children) -
		      cpu_s(&b->children);
	return (double)(a->busy - b->busy) * tick_s - ours;
}

/* The verdict: disturbed when someone else's CPU time or the hypervisor's steal passes its
 * threshold by more than the ticks' grain (two ticks per CPU: one at each end). */
static int judge_disturbed(double foreign_s, double steal_s, double capacity_s, double grain_s,
			   char *why, size_t len)
{
	why[0] = '\0';
	if (capacity_s <= 0)
		return 0;
	if (isfinite(steal_s) && steal_s - grain_s > MACHINE_STEAL_MAX * capacity_s)
		snprintf(why, len, "the hypervisor stole %.0f%% of the CPU time during the case "
			 "(threshold %.0f%%)", 100 * steal_s / capacity_s, 100 * MACHINE_STEAL_MAX);
	else if (isfinite(foreign_s) && foreign_s - grain_s > MACHINE_FOREIGN_MAX * capacity_s)
		snprintf(why, len, "other processes used %.0f%% of the CPU time during the case "
			 "(threshold %.0f%%)", 100 * foreign_s / capacity_s,
			 100 * MACHINE_FOREIGN_MAX);
	return why[0] != '\0';
}

static json_t *num_or_null(double v)
{
	return isfinite(v) ? json_real(v) : json_null();
}

static json_t *count_or_null(long long v)
{
	return v >= 0 ? json_integer(v) : json_null();
}

json_t *machine_case(const struct machine_sample *b, const struct machine_sample *a,
		     json_t *settings_at_start, int64_t clock_read_ns, int *disturbed, char *why,
		     size_t len)
{
	long hz = sysconf(_SC_CLK_TCK), cpus = sysconf(_SC_NPROCESSORS_ONLN);
	double tick_s = hz > 0 ? 1.0 / (double)hz : 0.01;
	double wall_s = (double)(a->t_ns - b->t_ns) / 1e9;
	double capacity_s = wall_s * (double)(cpus > 0 ? cpus : 1);
	double grain_s = 2 * tick_s * (double)(cpus > 0 ? cpus : 1);
	double foreign_s = foreign_cpu_s(b, a, tick_s);
	double steal_s = b->steal >= 0 && a->steal >= 0 ? (double)(a->steal - b->steal) * tick_s :
							  NAN;
	*disturbed = judge_disturbed(foreign_s, steal_s, capacity_s, grain_s, why, len);
	return json_pack("{s:I, s:f, s:o, s:o, s:f, s:o, s:{s:I, s:I}, s:[o, o], s:[o, o], s:b, "
			 "s:o, s:o}",
			 "clock_read_ns", (json_int_t)clock_read_ns, "wall_s", wall_s,
			 "foreign_cpu_share", share(foreign_s, capacity_s), "steal_share",
			 share(steal_s, capacity_s), "foreign_resolution_share",
			 capacity_s > 0 ? grain_s / capacity_s : 0.0, "cpu_wait_s",
			 b->psi_some_us >= 0 && a->psi_some_us >= 0 ?
				 json_real((double)(a->psi_some_us - b->psi_some_us) / 1e6) :
				 json_null(),
			 "case_context_switches", "voluntary",
			 (json_int_t)(a->children.ru_nvcsw - b->children.ru_nvcsw), "involuntary",
			 (json_int_t)(a->children.ru_nivcsw - b->children.ru_nivcsw), "load1_before_after",
			 num_or_null(b->load1), num_or_null(a->load1), "runnable_before_after",
			 count_or_null(b->procs_running), count_or_null(a->procs_running),
			 "disturbed", *disturbed, "disturbed_why", *disturbed ? json_string(why) :
										json_null(),
			 "settings_changed", settings_changed(settings_at_start));
}
