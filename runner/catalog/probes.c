/* probes.c - the registry of probes this runner was built with; see probes.h. */
#include "catalog/probes.h"
#include "common/suggest.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "exec/exec.h"
#include "param.h"
#include "common/util.h"

#ifndef IPCPROBE_PROBES
#define IPCPROBE_PROBES ""
#endif

#define MAX_PROBES 64
#define LIST_TIMEOUT_NS (20LL * 1000000000)

static struct probe_info registry[MAX_PROBES];
static const char *names[MAX_PROBES + 1];
static int nprobes;

static void add(const char *name, const char *dir)
{
	if (nprobes >= MAX_PROBES)
		return;
	for (int i = 0; i < nprobes; i++)
		if (strcmp(registry[i].name, name) == 0)
			return;
	registry[nprobes].name = xstrdup(name);
	registry[nprobes].path = xasprintf("%s/%s", dir, name);
	names[nprobes] = registry[nprobes].name;
	nprobes++;
	names[nprobes] = NULL;
}

void probes_init(const char *argv0)
{
	char dir[4096];
	snprintf(dir, sizeof(dir), "%s/probes", self_dir(argv0));
	char *list = xstrdup(IPCPROBE_PROBES);
	for (char *save, *tok = strtok_r(list, " ", &save); tok; tok = strtok_r(NULL, " ", &save))
		add(tok, dir);
	free(list);
	/* The runner's own tests add a directory of test probes (an environment variable, never a
	 * config key: a config names probes, not programs). */
	const char *extra = getenv("IPCPROBE_PROBE_DIR");
	DIR *d = extra ? opendir(extra) : NULL;
	struct dirent *e;
	while (d && (e = readdir(d))) {
		char path[4096];
		struct stat st;
		snprintf(path, sizeof(path), "%s/%s", extra, e->d_name);
		if (e->d_name[0] != '.' && stat(path, &st) == 0 && S_ISREG(st.st_mode) &&
		    access(path, X_OK) == 0)
			add(e->d_name, extra);
	}
	if (d)
		closedir(d);
}

const char *const *probes_names(void)
{
	return names;
}

struct list_buf {
	char *text;
	size_t len;
};

static int collect_line(void *arg, const char *line, size_t len)
{
	struct list_buf *b = arg;
	char *t = realloc(b->text, b->len + len + 2);
	if (!t)
		return 1;
	memcpy(t + b->len, line, len);
	t[b->len + len] = '\n';
	b->len += len + 1;
	t[b->len] = '\0';
	b->text = t;
	return 0;
}

/* Check the shape of a --list description, enough that later look-ups cannot trip. */
static int check_list(json_t *l, const char *name, char *err, size_t errlen)
{
	json_t *cases = json_object_get(l, "cases"), *c;
	size_t i;
	if (!json_is_object(l) || json_integer_value(json_object_get(l, "schema")) != 1 ||
	    !json_is_string(json_object_get(l, "probe")) ||
	    strcmp(json_string_value(json_object_get(l, "probe")), name) != 0 ||
	    !json_is_array(cases) || json_array_size(cases) == 0) {
		snprintf(err, errlen, "probe %s: --list is not a probe description (schema 1, "
				      "its name, a cases array)", name);
		return -1;
	}
	json_array_foreach(cases, i, c) {
		json_t *m = json_object_get(c, "metrics");
		if (!json_is_string(json_object_get(c, "name")) || !json_is_array(m) ||
		    json_array_size(m) == 0 || !json_is_array(json_object_get(c, "params")) ||
		    !json_is_array(json_object_get(c, "transports"))) {
			snprintf(err, errlen, "probe %s: case %zu of --list lacks name, metrics, "
					      "params or transports", name, i);
			return -1;
		}
	}
	return 0;
}

static int env_failure;

int probes_env_failure(void)
{
	return env_failure;
}

static int load_list(struct probe_info *p, char *err, size_t errlen)
{
	if (access(p->path, X_OK) != 0) {
		snprintf(err, errlen, "probe %s: %s is not there or not executable; run make",
			 p->name, p->path);
		return -1;
	}
	char *argv[] = { p->path, "--list", NULL };
	struct list_buf b = { NULL, 0 };
	struct exec_spec spec = { .argv = argv, .timeout_ns = LIST_TIMEOUT_NS,
				  .max_line = 1 << 20, .on_line = collect_line, .arg = &b };
	struct exec_outcome out;
	char e[256];
	env_failure = 0;
	if (exec_run(&spec, &out, e, sizeof(e)) < 0) {
		env_failure = 1;
		snprintf(err, errlen, "cannot start probe %s (%s --list): %s; is the limit on "
				      "processes (ulimit -u) or open files (ulimit -n) too low?",
			 p->name, p->path, e);
		free(b.text);
		return -1;
	}
	/* 126: the child could not set up its descriptors (exec_child). */
	if (!out.timed_out && WIFEXITED(out.status) && WEXITSTATUS(out.status) == 126) {
		env_failure = 1;
		snprintf(err, errlen, "cannot start probe %s (%s --list): the child could not open "
				      "its descriptors; is the limit on open files (ulimit -n) too "
				      "low?", p->name, p->path);
		free(b.text);
		return -1;
	}
	if (out.timed_out || !WIFEXITED(out.status) || WEXITSTATUS(out.status) != 0) {
		snprintf(err, errlen, "probe %s: %s --list %s", p->name, p->path,
			 out.timed_out ? "did not answer in time" : "failed");
		free(b.text);
		return -1;
	}
	json_error_t je;
	p->list = b.text ? json_loads(b.text, 0, &je) : NULL;
	free(b.text);
	if (!p->list) {
		snprintf(err, errlen, "probe %s: --list printed no JSON description", p->name);
		return -1;
	}
	if (check_list(p->list, p->name, err, errlen) < 0) {
		json_decref(p->list);
		p->list = NULL;
		return -1;
	}
	return 0;
}

struct probe_info *probes_get(const char *name, char *err, size_t errlen)
{
	for (int i = 0; i < nprobes; i++) {
		if (strcmp(registry[i].name, name) != 0)
			continue;
		if (!registry[i].list && load_list(&registry[i], err, errlen) < 0)
			return NULL;
		return &registry[i];
	}
	char known[512], dym[128];
	snprintf(err, errlen, "unknown probe \"%s\"%s (probes: %s)", name,
		 did_you_mean(name, names, dym, sizeof(dym)), join_names(names, known, sizeof(known)));
	return NULL;
}

static json_t *find_named(json_t *array, const char *name)
{
	size_t i;
	json_t *v;
	json_array_foreach(array, i, v) {
		const char *n = json_string_value(json_object_get(v, "name"));
		if (n && strcmp(n, name) == 0)
			return v;
	}
	return NULL;
}

json_t *probe_find_case(const struct probe_info *p, const char *cas)
{
	return find_named(json_object_get(p->list, "cases"), cas);
}

json_t *case_find_param(json_t *cas, const char *param)
{
	return find_named(json_object_get(cas, "params"), param);
}

void probes_free(void)
{
	for (int i = 0; i < nprobes; i++) {
		free(registry[i].name);
		free(registry[i].path);
		json_decref(registry[i].list);
	}
	nprobes = 0;
	names[0] = NULL;
}
