/* affinity.c - see affinity.h. */
#include "affinity.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "have.h"
#include "sysinfo.h"

const char *const aff_placements[] = { "same_core", "cross_core", "unpinned", NULL };

#ifdef HAVE_SCHED_SETAFFINITY
#include <sched.h>

/* Parse a sysfs CPU list ("0-3,8") into set; 0, or -1 if it cannot be read. */
static int read_cpu_list(const char *path, cpu_set_t *set)
{
	char line[1024], *p = line, *end;
	CPU_ZERO(set);
	if (sysfile_line(path, line, sizeof(line)) < 0)
		return -1;
	for (;;) {
		long a = strtol(p, &end, 10), b = a;
		if (end == p || a < 0)
			break;
		if (*end == '-') {
			p = end + 1;
			b = strtol(p, &end, 10);
			if (end == p)
				break;
		}
		for (long c = a; c <= b && c < CPU_SETSIZE; c++)
			CPU_SET((int)c, set);
		if (*end != ',')
			break;
		p = end + 1;
	}
	return 0;
}

int aff_choose(const char *placement, int cpus[2], char *why, size_t whylen)
{
	cpu_set_t allowed, siblings;
	char path[128];
	int first = -1, other = -1, sibling = -1;

	cpus[0] = cpus[1] = -1;
	if (strcmp(placement, "unpinned") == 0)
		return 0;
	if (sched_getaffinity(0, sizeof(allowed), &allowed) < 0) {
		snprintf(why, whylen, "sched_getaffinity(): %s (%d)", strerror(errno), errno);
		return -1;
	}
	for (int c = 0; c < CPU_SETSIZE; c++) {
		if (!CPU_ISSET(c, &allowed))
			continue;
		if (first < 0) {
			first = c;
			snprintf(path, sizeof(path),
				 "/sys/devices/system/cpu/cpu%d/topology/thread_siblings_list", c);
			if (read_cpu_list(path, &siblings) < 0)
				CPU_ZERO(&siblings);
		} else if (CPU_ISSET(c, &siblings)) {
			if (sibling < 0)
				sibling = c;
		} else if (other < 0) {
			other = c;
		}
	}
	if (strcmp(placement, "same_core") == 0) {
		cpus[0] = cpus[1] = first;
		return 0;
	}
	if (other < 0)
		other = sibling;	/* only SMT siblings left: still two CPUs */
	if (other < 0) {
		snprintf(why, whylen, "cross_core needs two CPUs, and this process may run on "
				      "only CPU %d (its affinity mask or the machine)", first);
		return -1;
	}
	cpus[0] = first;
	cpus[1] = other;
	return 0;
}

int aff_pin(int cpu, char *err, size_t errlen)
{
	cpu_set_t set;
	if (cpu < 0)
		return 0;
	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	if (sched_setaffinity(0, sizeof(set), &set) < 0) {
		snprintf(err, errlen, "sched_setaffinity(CPU %d): %s (%d)", cpu, strerror(errno),
			 errno);
		return -1;
	}
	return 0;
}

#else /* !HAVE_SCHED_SETAFFINITY */

int aff_choose(const char *placement, int cpus[2], char *why, size_t whylen)
{
	cpus[0] = cpus[1] = -1;
	if (strcmp(placement, "unpinned") == 0)
		return 0;
	snprintf(why, whylen, "%s needs sched_setaffinity(), which this platform lacks; use "
			      "placement unpinned", placement);
	return -1;
}

int aff_pin(int cpu, char *err, size_t errlen)
{
	if (cpu < 0)
		return 0;
	snprintf(err, errlen, "sched_setaffinity(): not available on this platform");
	return -1;
}
#endif
