/* sweep.c - see sweep.h. */
#include "exec/sweep.h"

#include <dirent.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cleanup.h"
#include "have.h"
#include "timing.h"

#ifdef HAVE_MQUEUE_H
#include <mqueue.h>
#endif
#ifdef HAVE_SHM_OPEN
#include <sys/mman.h>
#endif
#include <sys/ipc.h>
#ifdef HAVE_SYSV_SHM
#include <sys/shm.h>
#endif
#ifdef HAVE_SYSV_MSG
#include <sys/msg.h>
#endif
#include <sys/sem.h>

static void note(json_t *removed, const char *what, const char *name)
{
	if (removed)
		json_array_append_new(removed, json_pack("{s:s, s:s}", "kind", what, "name", name));
}

/* Remove entries of dir whose name starts with prefix and that belong to us (the owner is
 * our effective uid: an object of another user with a look-alike name is never touched), by
 * unlinker(name as it must be given). */
static int sweep_dir(const char *dir, const char *prefix, const char *kind, int slash_name,
		     int (*unlinker)(const char *), json_t *removed)
{
	DIR *d = opendir(dir);
	if (!d)
		return 0;
	int n = 0;
	struct dirent *e;
	while ((e = readdir(d))) {
		if (strncmp(e->d_name, prefix, strlen(prefix)) != 0)
			continue;
		char name[1024], path[1024];
		struct stat st;
		snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
		if (lstat(path, &st) < 0 || st.st_uid != geteuid())
			continue;
		if (slash_name)
			snprintf(name, sizeof(name), "/%s", e->d_name);
		else
			snprintf(name, sizeof(name), "%s", path);
		if (unlinker(name) == 0) {
			note(removed, kind, name);
			n++;
		}
	}
	closedir(d);
	return n;
}

#ifdef HAVE_SHM_OPEN
static int unlink_shm(const char *name)
{
	return shm_unlink(name);
}
#endif

#ifdef HAVE_MQUEUE_H
static int unlink_mq(const char *name)
{
	return mq_unlink(name);
}
#endif

/* The columns of a /proc/sysvipc table we judge by, found by their names in its header. */
struct sysv_cols {
	int key, id, cuid, cpid;	/* indexes, -1 when the table has no such column */
};

static void find_columns(char *header, struct sysv_cols *c)
{
	*c = (struct sysv_cols){ -1, -1, -1, -1 };
	int i = 0;
	for (char *save, *w = strtok_r(header, " \t\n", &save); w; w = strtok_r(NULL, " \t\n", &save), i++) {
		if (!strcmp(w, "key"))
			c->key = i;
		else if (!strcmp(w, "shmid") || !strcmp(w, "msqid") || !strcmp(w, "semid"))
			c->id = i;
		else if (!strcmp(w, "cuid"))
			c->cuid = i;
		else if (!strcmp(w, "cpid"))
			c->cpid = i;
	}
}

/* Is the object on this line ours: a key made under our secret by this process group,
 * created by our uid, and (where the table names the creator) not created by a live process
 * outside the group? */
static int sysv_line_is_ours(char *line, const struct sysv_cols *c, uint64_t secret,
			     pid_t pgid, long *key, int *id)
{
	long v[32];
	int n = 0;
	for (char *save, *w = strtok_r(line, " \t\n", &save); w && n < 32; w = strtok_r(NULL, " \t\n", &save))
		v[n++] = strtol(w, NULL, 10);
	if (c->key < 0 || c->id < 0 || c->cuid < 0 || c->key >= n || c->id >= n || c->cuid >= n)
		return 0;
	*key = v[c->key];
	*id = (int)v[c->id];
	if (!ipc_key_is((int)*key, secret, (long)pgid) || v[c->cuid] != (long)geteuid())
		return 0;
	if (c->cpid >= 0 && c->cpid < n && v[c->cpid] > 0) {
		pid_t g = getpgid((pid_t)v[c->cpid]);
		if (g >= 0 && g != pgid)
			return 0;	/* its creator lives, in another group: not ours */
	}
	return 1;
}

/* Linux lists SysV objects in /proc/sysvipc/{shm,msg,sem}, one per line after a header. */
static int sweep_sysv(const char *table, pid_t pgid, uint64_t secret, int (*rm)(int id),
		      json_t *removed)
{
	char path[64], line[1024];
	struct sysv_cols cols;
	snprintf(path, sizeof(path), "/proc/sysvipc/%s", table);
	FILE *f = fopen(path, "r");
	if (!f)
		return 0;
	int n = 0;
	if (!fgets(line, sizeof(line), f)) {
		fclose(f);
		return 0;
	}
	find_columns(line, &cols);
	while (fgets(line, sizeof(line), f)) {
		long key;
		int id;
		if (!sysv_line_is_ours(line, &cols, secret, pgid, &key, &id) || rm(id) != 0)
			continue;
		char name[64];
		snprintf(name, sizeof(name), "key 0x%08lx id %d", key & 0xffffffffL, id);
		note(removed, table, name);
		n++;
	}
	fclose(f);
	return n;
}

#ifdef HAVE_SYSV_SHM
static int rm_shm(int id)
{
	return shmctl(id, IPC_RMID, NULL);
}
#endif
#ifdef HAVE_SYSV_MSG
static int rm_msg(int id)
{
	return msgctl(id, IPC_RMID, NULL);
}
#endif
static int rm_sem(int id)
{
	return semctl(id, 0, IPC_RMID);
}

int sweep_group(pid_t pgid, const char *token, uint64_t secret, json_t *removed)
{
	char prefix[80];
	if (!token || !strcmp(token, "0"))
		return 0;	/* no run token: nothing can be told apart as ours */
	int n = 0;
	snprintf(prefix, sizeof(prefix), "ipcprobe-%s-%ld-", token, (long)pgid);
	const char *tmp = getenv("TMPDIR");
	n += sweep_dir(tmp && *tmp ? tmp : "/tmp", prefix, "file", 0, unlink, removed);
#ifdef HAVE_SHM_OPEN
	n += sweep_dir("/dev/shm", prefix, "shm", 1, unlink_shm, removed);
#endif
#ifdef HAVE_MQUEUE_H
	n += sweep_dir("/dev/mqueue", prefix, "mq", 1, unlink_mq, removed);
#endif
#ifdef HAVE_SYSV_SHM
	n += sweep_sysv("shm", pgid, secret, rm_shm, removed);
#endif
#ifdef HAVE_SYSV_MSG
	n += sweep_sysv("msg", pgid, secret, rm_msg, removed);
#endif
	n += sweep_sysv("sem", pgid, secret, rm_sem, removed);
	return n;
}

/* 64 bits from /dev/urandom; 0 when it cannot be read. */
static int random64(uint64_t *v)
{
	int fd = open("/dev/urandom", O_RDONLY | O_CLOEXEC);
	int ok = fd >= 0 && read(fd, v, sizeof(*v)) == (ssize_t)sizeof(*v);
	if (fd >= 0)
		close(fd);
	return ok;
}

/* The run's token: 64 random bits in IPCPROBE_RUN_TOKEN, which every probe puts into the IPC
 * names it makes (probes/lib/cleanup.c), so that the sweep after a killed probe removes this
 * run's objects and never another run's whose process group has the same number (another PID
 * namespace, a container, a concurrent CI job).  It is public: the names are listed to every
 * user.  Whatever the environment held is replaced. */
void sweep_new_run_token(void)
{
	uint64_t t = 0;
	if (!random64(&t))
		t = (uint64_t)now_ns() * 0x9e3779b97f4a7c15ull ^ (uint64_t)getpid() << 32;
	char hex[17];
	snprintf(hex, sizeof(hex), "%016llx", (unsigned long long)t);
	setenv("IPCPROBE_RUN_TOKEN", hex, 1);
}

/* The run's secret: 64 random bits in IPCPROBE_RUN_SECRET, which the probes' SysV key tags
 * come from (a key is listed to every user but names no secret).  Only the environment the
 * probes inherit carries it: no name, file, record or log.  Without /dev/urandom it would be
 * guessable, so the run goes on and says that its keys can be predicted. */
void sweep_new_run_secret(void)
{
	uint64_t s = 0;
	if (!random64(&s)) {
		fprintf(stderr, "ipcprobe run: warning: /dev/urandom cannot be read: another user "
				"can predict this run's SysV keys and take them first\n");
		s = (uint64_t)now_ns() * 0xbf58476d1ce4e5b9ull ^ (uint64_t)getpid();
	}
	char hex[17];
	snprintf(hex, sizeof(hex), "%016llx", (unsigned long long)s);
	setenv("IPCPROBE_RUN_SECRET", hex, 1);
}
