/* rundir.c - the run directory (rundir.h): claimed whole, written so that every file is
 * complete or absent. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common/util.h"
#include "exec/guard.h"
#include "store/records.h"
#include "store/rundir.h"

#define RESERVE_BYTES (256 * 1024)

/* Keep RESERVE_BYTES of the file system for the run's last words: if the disk fills up
 * during the run, this file is removed so run.json can still say what happened.  A file
 * system without even that much is refused at the start, and what we made removed.  The
 * file is created with O_EXCL, and that is also how a run claims its directory: of two runs
 * given the same empty directory, only one can create it. */
static int reserve_space(struct rundir *D, int made_dir)
{
	static char zeros[64 * 1024];
	snprintf(D->reserve, sizeof(D->reserve), "%s/%s", D->dir, RUN_SPACE_RESERVE);
	int fd = open(D->reserve, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
	if (fd < 0 && errno == EEXIST) {
		fprintf(stderr, "ipcprobe run: %s is being used by another run; choose another -o "
				"DIR\n", D->dir);
		return -1;
	}
	int rc = fd < 0 ? -1 : 0;
	for (int i = 0; rc == 0 && i < RESERVE_BYTES / (int)sizeof(zeros); i++)
		rc = write_all(fd, zeros, sizeof(zeros));
	if (rc == 0)
		rc = fsync(fd) < 0 && errno != EINVAL ? -1 : 0;
	int e = errno;
	if (fd >= 0)
		close(fd);
	if (rc == 0)
		return 0;
	fprintf(stderr, "ipcprobe run: cannot write in %s: %s; free some space there or choose "
			"another -o DIR\n", D->dir, strerror(e));
	if (fd >= 0)
		unlink(D->reserve);
	if (made_dir)
		rmdir(D->dir);
	return -1;
}

/* Does dir hold nothing at all? */
static int dir_is_empty(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	int empty = d != NULL;
	while (d && empty && (e = readdir(d)))
		empty = !strcmp(e->d_name, ".") || !strcmp(e->d_name, "..");
	if (d)
		closedir(d);
	return empty;
}

/* -o DIR: it must not exist, or be an empty directory (results are never written over). */
static int make_given_dir(struct rundir *D, const char *opt_dir, int *made)
{
	struct stat st;
	snprintf(D->dir, sizeof(D->dir), "%s", opt_dir);
	int existed = lstat(D->dir, &st) == 0;
	if (existed && !S_ISDIR(st.st_mode)) {
		fprintf(stderr, "ipcprobe run: %s exists and is not a directory; choose another -o "
				"DIR\n", D->dir);
		return -1;
	}
	if (mkdir_p(D->dir, 0755) < 0) {
		fprintf(stderr, "ipcprobe run: cannot create %s: %s\n", D->dir, strerror(errno));
		return -1;
	}
	*made = !existed;
	if (!dir_is_empty(D->dir)) {
		fprintf(stderr, "ipcprobe run: %s: not empty; results are never written over: "
				"choose a new -o DIR\n", D->dir);
		return -1;
	}
	return 0;
}

/* The default: OUTPUT/<UTC time>-<host>, made with one mkdir() so that it is this run's
 * alone; -2, -3, ... when another run started in the same second took the name. */
static int make_default_dir(struct rundir *D, const char *output_root)
{
	char stamp[64], host[128] = "host";
	utc_now(stamp, sizeof(stamp), 0);
	gethostname(host, sizeof(host) - 1);
	host[strcspn(host, ".")] = '\0';
	if (mkdir_p(output_root, 0755) < 0) {
		fprintf(stderr, "ipcprobe run: cannot create %s: %s\n", output_root,
			strerror(errno));
		return -1;
	}
	for (int k = 1; k <= 1000; k++) {
		if (k == 1)
			snprintf(D->dir, sizeof(D->dir), "%s/%s-%s", output_root, stamp, host);
		else
			snprintf(D->dir, sizeof(D->dir), "%s/%s-%s-%d", output_root, stamp, host, k);
		if (mkdir(D->dir, 0755) == 0)
			return 0;
		if (errno != EEXIST)
			break;
	}
	fprintf(stderr, "ipcprobe run: cannot create %s: %s\n", D->dir, strerror(errno));
	return -1;
}

/* Choose and claim the run directory, then make its logs/ and the records file: all new,
 * all this run's. */
int rundir_create(struct rundir *D, const char *opt_dir, const char *output_root)
{
	int made = 1;
	if ((opt_dir ? make_given_dir(D, opt_dir, &made) : make_default_dir(D, output_root)) < 0)
		return -1;
	if (reserve_space(D, made) < 0)
		return -1;
	char logs[PATH_MAX + 8];
	snprintf(logs, sizeof(logs), "%s/logs", D->dir);
	if (mkdir(logs, 0755) < 0) {
		fprintf(stderr, "ipcprobe run: cannot create %s: %s\n", logs, strerror(errno));
		return -1;
	}
	snprintf(D->partial, sizeof(D->partial), "%s/records.jsonl.partial", D->dir);
	D->records = open(D->partial, O_WRONLY | O_CREAT | O_EXCL | O_APPEND | O_CLOEXEC, 0644);
	if (D->records < 0) {
		fprintf(stderr, "ipcprobe run: cannot create %s: %s\n", D->partial, strerror(errno));
		return -1;
	}
	return 0;
}

/* One write() per record, newline included, so that a runner killed at any moment leaves
 * whole lines (and at most the last one cut, which the readers of .partial files drop). */
void rundir_append(struct rundir *D, json_t *r)
{
	char *line = D->write_errno ? NULL : json_dumps(r, JSON_COMPACT | JSON_REAL_PRECISION(17));
	if (!line)
		return;
	size_t len = strlen(line);
	line[len] = '\n';	/* over the NUL: written by length */
	if (write_all(D->records, line, len + 1) == 0) {
		D->records_len += (off_t)len + 1;
	} else {
		/* A full disk: take back the cut line and stop the run (the run loop looks at write_errno). */
		D->write_errno = errno;
		if (ftruncate(D->records, D->records_len) < 0)
			fprintf(stderr, "ipcprobe run: ftruncate %s: %s\n", D->partial,
				strerror(errno));
		fprintf(stderr, "ipcprobe run: writing %s: %s; stopping the run\n", D->partial,
			strerror(D->write_errno));
	}
	free(line);
}

int rundir_write_json(const struct rundir *D, const char *name, json_t *v)
{
	char path[PATH_MAX + 64], err[512];
	snprintf(path, sizeof(path), "%s/%s", D->dir, name);
	if (write_json_atomic(path, v, err, sizeof(err)) < 0) {
		fprintf(stderr, "ipcprobe run: %s\n", err);
		return -1;
	}
	return 0;
}

int rundir_close_records(struct rundir *D)
{
	char path[PATH_MAX + 16];
	unlink(D->reserve);
	fsync(D->records);
	close(D->records);
	D->records = -1;
	snprintf(path, sizeof(path), "%s/records.jsonl", D->dir);
	if (rename(D->partial, path) < 0) {
		fprintf(stderr, "ipcprobe run: rename %s: %s\n", D->partial, strerror(errno));
		return -1;
	}
	return 0;
}
