/* sentinel.c - see sentinel.h. */
#include "run/sentinel.h"

#include <errno.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "affinity.h"
#include "have.h"
#include "stats.h"
#include "timing.h"

#ifdef HAVE_SCHED_SETAFFINITY
#include <sched.h>
#endif

#define WARMUP 5

#ifdef HAVE_SCHED_SETAFFINITY	/* without a placement there is nothing to time */
/* The child: pinned to cpu, it echoes every byte read on in to out until in ends. */
static void echo_child(int in, int out, int cpu)
{
	char b, err[128];
	signal(SIGINT, SIG_DFL);
	signal(SIGTERM, SIG_DFL);
	aff_pin(cpu, err, sizeof(err));
	while (read(in, &b, 1) == 1 && write(out, &b, 1) == 1)
		;
	_exit(0);
}

/* n timed round trips of one byte over to/from, after WARMUP untimed: the median, or NAN
 * when one failed. */
static double time_round_trips(int to, int from)
{
	int64_t t[SENTINEL_ROUND_TRIPS];
	char c = 's';
	for (int i = 0; i < WARMUP + SENTINEL_ROUND_TRIPS; i++) {
		int64_t t0 = now_ns();
		if (write(to, &c, 1) != 1 || read(from, &c, 1) != 1)
			return NAN;
		int64_t t1 = now_ns();
		if (i >= WARMUP)
			t[i - WARMUP] = t1 - t0;
	}
	struct stats s;
	stats_compute(t, SENTINEL_ROUND_TRIPS, &s);
	return s.p50;
}

/* The median 1-byte pipe round trip between this process (already placed) and a child on
 * cpu; NAN if it cannot be had. */
static double pipe_rtt(int cpu)
{
	int a[2], b[2];
	double m = NAN;
	if (pipe(a) < 0)
		return NAN;
	if (pipe(b) < 0) {
		close(a[0]), close(a[1]);
		return NAN;
	}
	pid_t pid = fork();
	if (pid == 0) {
		close(a[1]), close(b[0]);
		echo_child(a[0], b[1], cpu);
	}
	close(a[0]), close(b[1]);
	if (pid > 0)
		m = time_round_trips(a[1], b[0]);
	close(a[1]), close(b[0]);	/* the child reads the end and exits */
	while (pid > 0 && waitpid(pid, NULL, 0) < 0 && errno == EINTR)
		;
	return m;
}

/* The round trip with this process on cpus[0] and the child on cpus[1], the process's own
 * CPU mask given back after; NAN when the placement cannot be had. */
static double placed_rtt(const char *placement)
{
	int cpus[2];
	char why[160];
	cpu_set_t saved;
	if (aff_choose(placement, cpus, why, sizeof(why)) < 0 ||
	    sched_getaffinity(0, sizeof(saved), &saved) < 0)
		return NAN;
	double m = NAN;
	if (aff_pin(cpus[0], why, sizeof(why)) == 0)
		m = pipe_rtt(cpus[1]);
	sched_setaffinity(0, sizeof(saved), &saved);
	return m;
}
#else
static double placed_rtt(const char *placement)
{
	(void)placement;
	return NAN;
}
#endif

static json_t *num_or_null(double v)
{
	return isfinite(v) ? json_real(v) : json_null();
}

json_t *sentinel_measure(void)
{
	double same = placed_rtt("same_core"), cross = placed_rtt("cross_core");
	return json_pack("{s:o, s:o, s:i}", "same_cpu_rtt_ns", num_or_null(same),
			 "cross_cpu_rtt_ns", num_or_null(cross), "round_trips",
			 SENTINEL_ROUND_TRIPS);
}

static const char *const readings[] = { "same_cpu_rtt_ns", "cross_cpu_rtt_ns" };

static json_t *reading_of(json_t *entry, const char *key)
{
	return json_object_get(json_object_get(json_object_get(entry, "machine"), "sentinel"),
			       key);
}

/* The median of reading key over the entries that have one; NAN when none. */
static double run_median(json_t *cases, const char *key)
{
	size_t n = 0, i;
	json_t *e;
	int64_t *v = calloc(json_array_size(cases) + 1, sizeof(*v));
	if (!v)
		abort();
	json_array_foreach(cases, i, e)
		if (json_is_number(reading_of(e, key)))
			v[n++] = (int64_t)json_number_value(reading_of(e, key));
	struct stats s = { .p50 = NAN };
	if (n)
		stats_compute(v, n, &s);
	free(v);
	return s.p50;
}

/* Mark entry disturbed for reading key, x times the run's median m; append to its why. */
static void mark(json_t *entry, const char *key, double v, double m)
{
	char why[256];
	json_t *machine = json_object_get(entry, "machine");
	const char *old = json_string_value(json_object_get(machine, "disturbed_why"));
	snprintf(why, sizeof(why), "%s%ssentinel %s %.0f ns, %.2fx the run's median %.0f ns "
		 "(threshold %gx either way)", old ? old : "", old ? "; " : "", key, v, v / m, m,
		 SENTINEL_FACTOR);
	json_object_set_new(machine, "disturbed", json_true());
	json_object_set_new(machine, "disturbed_why", json_string(why));
	json_object_set_new(entry, "disturbed", json_true());
}

json_t *sentinel_judge(json_t *cases)
{
	json_t *out = json_pack("{s:f, s:i}", "factor", SENTINEL_FACTOR, "round_trips",
				SENTINEL_ROUND_TRIPS), *e;
	json_int_t marked = 0;
	size_t i;
	for (size_t k = 0; k < sizeof(readings) / sizeof(readings[0]); k++) {
		double m = run_median(cases, readings[k]);
		char name[64];
		snprintf(name, sizeof(name), "median_%s", readings[k]);
		json_object_set_new(out, name, num_or_null(m));
		if (!(m > 0))
			continue;
		json_array_foreach(cases, i, e) {
			json_t *r = reading_of(e, readings[k]);
			double v = json_number_value(r);
			if (!json_is_number(r) || (v <= m * SENTINEL_FACTOR && v >= m / SENTINEL_FACTOR))
				continue;
			marked += !json_is_true(json_object_get(e, "disturbed"));
			mark(e, readings[k], v, m);
		}
	}
	json_object_set_new(out, "marked", json_integer(marked));
	return out;
}
