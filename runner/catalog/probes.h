/* probes.h - the probes this runner was built with, found next to the ipcprobe executable
 * (build/probes/<name>), and their --list self-descriptions.  The runner runs nothing else:
 * a config names a probe, never a program.  For the runner's own tests, IPCPROBE_PROBE_DIR
 * (an environment variable, never a config key) adds one directory of extra probes. */
#ifndef IPCPROBE_PROBES_H
#define IPCPROBE_PROBES_H

#include <jansson.h>
#include <stddef.h>

struct probe_info {
	char *name;
	char *path;	/* absolute path of the executable */
	json_t *list;	/* its --list JSON, loaded on first use */
};

/* Find the probe directory from argv[0]; call once before anything else here. */
void probes_init(const char *argv0);

/* NULL-terminated names of every known probe (built-in first). */
const char *const *probes_names(void);

/* The probe called name, with its --list loaded (cached).  NULL with err when unknown, or
 * when the probe cannot describe itself (err names the probe and what went wrong). */
struct probe_info *probes_get(const char *name, char *err, size_t errlen);
/* After probes_get() failed: 1 when the cause is this machine's state (no process or
 * descriptor could be had: ulimit -u, ulimit -n), not the config or the probe. */
int probes_env_failure(void);

/* Look-ups in a --list description; NULL when absent. */
json_t *probe_find_case(const struct probe_info *p, const char *cas);
json_t *case_find_param(json_t *cas, const char *param);

void probes_free(void);

#endif
