/* sweep.c - see sweep.h. */
#include "sweep.h"

#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cleanup.h"
#include "have.h"

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

/* Remove entries of dir whose name starts with prefix, by unlinker(name as it must be given). */
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
		char name[1024];
		if (slash_name)
			snprintf(name, sizeof(name), "/%s", e->d_name);
		else
			snprintf(name, sizeof(name), "%s/%s", dir, e->d_name);
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

/* Linux lists SysV objects in /proc/sysvipc/{shm,msg,sem}: "key id ..." after a header. */
static int sweep_sysv(const char *table, pid_t pgid, int (*rm)(int id), json_t *removed)
{
	char path[64];
	snprintf(path, sizeof(path), "/proc/sysvipc/%s", table);
	FILE *f = fopen(path, "r");
	if (!f)
		return 0;
	char line[512];
	int n = 0;
	if (!fgets(line, sizeof(line), f)) {
		fclose(f);
		return 0;
	}
	while (fgets(line, sizeof(line), f)) {
		long key;
		int id;
		if (sscanf(line, "%ld %d", &key, &id) != 2)
			continue;
		if (ipc_key_pgid((int)key) != (long)pgid)
			continue;
		if (rm(id) == 0) {
			char name[64];
			snprintf(name, sizeof(name), "key 0x%08lx id %d", key & 0xffffffffL, id);
			note(removed, table, name);
			n++;
		}
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

int sweep_group(pid_t pgid, json_t *removed)
{
	char prefix[64];
	int n = 0;
	snprintf(prefix, sizeof(prefix), "ipcprobe-%ld-", (long)pgid);
	const char *tmp = getenv("TMPDIR");
	n += sweep_dir(tmp && *tmp ? tmp : "/tmp", prefix, "file", 0, unlink, removed);
#ifdef HAVE_SHM_OPEN
	n += sweep_dir("/dev/shm", prefix, "shm", 1, unlink_shm, removed);
#endif
#ifdef HAVE_MQUEUE_H
	n += sweep_dir("/dev/mqueue", prefix, "mq", 1, unlink_mq, removed);
#endif
#ifdef HAVE_SYSV_SHM
	n += sweep_sysv("shm", pgid, rm_shm, removed);
#endif
#ifdef HAVE_SYSV_MSG
	n += sweep_sysv("msg", pgid, rm_msg, removed);
#endif
	n += sweep_sysv("sem", pgid, rm_sem, removed);
	return n;
}
