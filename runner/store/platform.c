/* platform.c - see platform.h.  Each fact is read, never guessed: null when unreadable. */
#include "store/platform.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/statvfs.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <unistd.h>

#include "have.h"
#include "sysinfo.h"
#include "common/util.h"
#include "exec/exec.h"
#include "store/virt.h"
#ifdef HAVE_SCHED_SETAFFINITY
#include <sched.h>
#endif
#ifdef __GLIBC__
#include <gnu/libc-version.h>
#endif

/* A number from /proc or /sys, read by the probes' one reader (probes/lib/sysinfo.h); null
 * when absent. */
static json_t *sysctl_num(const char *path)
{
	long long v;
	return sysfile_numbers(path, &v, 1) == 1 ? json_integer(v) : json_null();
}

/* A file's first line (a governor's name); null when absent. */
static json_t *sysctl_str(const char *path)
{
	char buf[256];
	return sysfile_line(path, buf, sizeof(buf)) == 0 ? json_string(buf) : json_null();
}

/* The value after "key" and a separator in a "key: value" / key=value file, or null. */
static json_t *file_field(const char *path, const char *key, const char *seps)
{
	FILE *f = fopen(path, "r");
	char line[512];
	json_t *r = json_null();
	size_t kl = strlen(key);
	while (f && fgets(line, sizeof(line), f)) {
		if (strncmp(line, key, kl) != 0 || !strchr(seps, line[kl]) ||
		    (line[kl] == ' ' && !strchr(line, ':')))
			continue;
		char *v = line + kl;
		while (*v && (strchr(seps, *v) || *v == '"'))
			v++;
		v[strcspn(v, "\"\n")] = '\0';
		r = json_string(v);
		break;
	}
	if (f)
		fclose(f);
	return r;
}

/* A version command that hangs (a broken interpreter, a stuck NFS mount) costs at most this. */
#define FACT_COMMAND_DEADLINE_NS (10 * 1000000000LL)

/* The first line a command prints (stdout or stderr), as JSON; null when it fails. */
static json_t *command_line(char *const argv[])
{
	char *line = exec_first_line(argv, 1, FACT_COMMAND_DEADLINE_NS);
	json_t *v = line ? json_string(line) : json_null();
	free(line);
	return v;
}

json_t *platform_facts(void)
{
	struct utsname u;
	char host[256] = "";
	json_t *f = json_object();
	if (uname(&u) == 0) {
		json_object_set_new(f, "os", json_string(u.sysname));
		json_object_set_new(f, "kernel", json_string(u.release));
		json_object_set_new(f, "kernel_version", json_string(u.version));
		json_object_set_new(f, "arch", json_string(u.machine));
	}
	gethostname(host, sizeof(host) - 1);
	json_object_set_new(f, "hostname", json_string(host));
	json_object_set_new(f, "os_release", file_field("/etc/os-release", "PRETTY_NAME", "="));
	json_object_set_new(f, "cpu_model", file_field("/proc/cpuinfo", "model name", " \t:"));
	json_object_set_new(f, "cpu_count", json_integer(sysconf(_SC_NPROCESSORS_ONLN)));
#ifdef HAVE_SCHED_SETAFFINITY
	cpu_set_t set;
	if (sched_getaffinity(0, sizeof(set), &set) == 0)
		json_object_set_new(f, "cpus_allowed", json_integer(CPU_COUNT(&set)));
#endif
	json_object_set_new(f, "page_size", json_integer(sysconf(_SC_PAGESIZE)));
	long pages = sysconf(_SC_PHYS_PAGES);
	json_object_set_new(f, "mem_total_bytes",
			    pages > 0 ? json_integer((json_int_t)pages * sysconf(_SC_PAGESIZE)) :
					json_null());
#ifdef __GLIBC__
	json_object_set_new(f, "libc", json_sprintf("glibc %s", gnu_get_libc_version()));
#else
	json_object_set_new(f, "libc", json_string("unknown (not glibc)"));
#endif
	json_object_set_new(f, "compiler", json_string(__VERSION__));
	char *py[] = { "python3", "--version", NULL };
	json_object_set_new(f, "python", command_line(py));
	json_object_set_new(f, "cpufreq_governor",
			    sysctl_str("/sys/devices/system/cpu/cpu0/cpufreq/scaling_governor"));
	virt_add_facts(f); /* a VM's timings are the VM's: say whether this is one */
	return f;
}

json_t *platform_limits(void)
{
	static const struct {
		const char *key, *path;
	} files[] = {
		{ "pipe_max_size", "/proc/sys/fs/pipe-max-size" },
		{ "pipe_user_pages_soft", "/proc/sys/fs/pipe-user-pages-soft" },
		{ "pipe_user_pages_hard", "/proc/sys/fs/pipe-user-pages-hard" },
		{ "mqueue_msg_max", "/proc/sys/fs/mqueue/msg_max" },
		{ "mqueue_msgsize_max", "/proc/sys/fs/mqueue/msgsize_max" },
		{ "mqueue_queues_max", "/proc/sys/fs/mqueue/queues_max" },
		{ "net_core_wmem_default", "/proc/sys/net/core/wmem_default" },
		{ "net_core_wmem_max", "/proc/sys/net/core/wmem_max" },
		{ "net_core_rmem_default", "/proc/sys/net/core/rmem_default" },
		{ "net_core_rmem_max", "/proc/sys/net/core/rmem_max" },
		{ "net_unix_max_dgram_qlen", "/proc/sys/net/unix/max_dgram_qlen" },
		{ "sysv_msgmax", "/proc/sys/kernel/msgmax" },
		{ "sysv_msgmnb", "/proc/sys/kernel/msgmnb" },
		{ "sysv_msgmni", "/proc/sys/kernel/msgmni" },
		{ "sysv_shmmax", "/proc/sys/kernel/shmmax" },
		{ "sysv_shmall", "/proc/sys/kernel/shmall" },
		{ "file_max", "/proc/sys/fs/file-max" },
		{ "nr_hugepages", "/proc/sys/vm/nr_hugepages" },
	};
	json_t *l = json_object();
	for (unsigned i = 0; i < sizeof(files) / sizeof(files[0]); i++)
		json_object_set_new(l, files[i].key, sysctl_num(files[i].path));
	struct statvfs sv;
	if (statvfs("/dev/shm", &sv) == 0) {
		json_object_set_new(l, "dev_shm_size_bytes",
				    json_integer((json_int_t)(sv.f_blocks * sv.f_frsize)));
		json_object_set_new(l, "dev_shm_free_bytes",
				    json_integer((json_int_t)(sv.f_bavail * sv.f_frsize)));
	} else {
		json_object_set_new(l, "dev_shm_size_bytes", json_null());
		json_object_set_new(l, "dev_shm_free_bytes", json_null());
	}
	struct rlimit rl;
	if (getrlimit(RLIMIT_NOFILE, &rl) == 0) {
		json_object_set_new(l, "rlimit_nofile_soft", json_integer((json_int_t)rl.rlim_cur));
		json_object_set_new(l, "rlimit_nofile_hard", json_integer((json_int_t)rl.rlim_max));
	}
	if (getrlimit(RLIMIT_MEMLOCK, &rl) == 0)
		json_object_set_new(l, "rlimit_memlock_soft",
				    rl.rlim_cur == RLIM_INFINITY ? json_null() :
								   json_integer((json_int_t)rl.rlim_cur));
	return l;
}

json_t *platform_warnings(void)
{
	json_t *w = json_array();
	long cpus = sysconf(_SC_NPROCESSORS_ONLN);
	if (cpus < 2)
		json_array_append_new(w, json_sprintf("only %ld CPU online: cross-core placements "
						      "cannot run and every peer shares one core",
						      cpus));
	json_t *gov = sysctl_str("/sys/devices/system/cpu/cpu0/cpufreq/scaling_governor");
	if (json_is_string(gov) && strcmp(json_string_value(gov), "performance") != 0)
		json_array_append_new(w, json_sprintf("CPU frequency governor is \"%s\", not "
						      "performance: timings vary with clock speed",
						      json_string_value(gov)));
	json_decref(gov);
#if defined(__SANITIZE_ADDRESS__)
	json_array_append_new(w, json_string("built with AddressSanitizer: timings are slower "
					     "than a normal build"));
#endif
#ifndef __OPTIMIZE__
	json_array_append_new(w, json_string("built without optimisation: timings of the harness "
					     "itself are inflated"));
#endif
	return w;
}
