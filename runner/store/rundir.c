/* rundir.c - the run directory (rundir.h): claimed whole, held open, written so that every
 * file is complete or absent. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pwd.h>
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
#define PARTIAL "records.jsonl.partial"

/* Keep RESERVE_BYTES of the file system for the run's last words: if the disk fills up
 * during the run, this file is removed so run.json can still say what happened.  A file
 * system without even that much is refused at the start.  The file is created with O_EXCL,
 * and that is also how a run claims its directory: of two runs given the same empty
 * directory, only one can create it. */
static int reserve_space(struct rundir *D)
{
	static char zeros[64 * 1024];
	int fd = openat(D->fd, RUN_SPACE_RESERVE,
			O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
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
	if (e == EFBIG)
		fprintf(stderr, "ipcprobe run: cannot write in %s: %s: the file size limit (ulimit "
				"-f) is below the %d KiB the run sets aside; raise it\n", D->dir,
			strerror(e), RESERVE_BYTES / 1024);
	else
		fprintf(stderr, "ipcprobe run: cannot write in %s: %s; free some space there or "
				"choose another -o DIR\n", D->dir, strerror(e));
	if (fd >= 0)
		unlinkat(D->fd, RUN_SPACE_RESERVE, 0);
	return -1;
}

/* Does the directory open as fd hold nothing at all? */
static int dir_is_empty(int fd)
{
	int copy = dup(fd);
	DIR *d = copy < 0 ? NULL : fdopendir(copy);
	struct dirent *e;
	int empty = d != NULL;
	while (d && empty && (e = readdir(d)))
		empty = !strcmp(e->d_name, ".") || !strcmp(e->d_name, "..");
	if (d)
		closedir(d);
	else if (copy >= 0)
		close(copy);
	return empty;
}

static const char *user_name(uid_t uid, char *buf, size_t len)
{
	struct passwd *pw = getpwuid(uid);
	if (pw)
		snprintf(buf, len, "%s (uid %ld)", pw->pw_name, (long)uid);
	else
		snprintf(buf, len, "uid %ld", (long)uid);
	return buf;
}

/* A run directory is this user's alone: owned by us, and writable by nobody else (its group
 * only when that group is ours).  Someone who may write in it could swap logs/ or a file
 * for a link while the run writes there, and so send the runner's files (and what it reads
 * back into the report) wherever they like. */
static int check_ours(const struct rundir *D)
{
	struct stat st;
	char who[128];
	if (fstat(D->fd, &st) < 0) {
		fprintf(stderr, "ipcprobe run: %s: %s\n", D->dir, strerror(errno));
		return -1;
	}
	if (st.st_uid != geteuid()) {
		fprintf(stderr, "ipcprobe run: %s belongs to %s, not to you: a run writes only into a "
				"directory of its own, which nobody else can change under it; choose "
				"another -o DIR (one that does not exist yet is made for you)\n",
			D->dir, user_name(st.st_uid, who, sizeof(who)));
		return -1;
	}
	if ((st.st_mode & S_IWOTH) || ((st.st_mode & S_IWGRP) && st.st_gid != getegid())) {
		fprintf(stderr, "ipcprobe run: %s is writable by %s (mode %04o): they could change "
				"what the run writes there; `chmod go-w` it, or choose another -o "
				"DIR\n", D->dir, st.st_mode & S_IWOTH ? "everyone" : "its group",
			(unsigned)(st.st_mode & 07777));
		return -1;
	}
	return 0;
}

/* Hold the run directory open: every later file is made relative to this descriptor. */
static int open_run_dir(struct rundir *D, int at, const char *name)
{
	D->fd = openat(at, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (D->fd < 0) {
		fprintf(stderr, "ipcprobe run: cannot open %s: %s\n", D->dir,
			errno == ELOOP ? "it is a symbolic link; give the directory itself" :
			strerror(errno));
		return -1;
	}
	return check_ours(D);
}

/* -o DIR: it must not exist, or be an empty directory of ours (results are never written
 * over, nor into a directory someone else can change). */
static int make_given_dir(struct rundir *D, const char *opt_dir, int *made)
{
	struct stat st;
	if (snprintf(D->dir, sizeof(D->dir), "%s", opt_dir) >= (int)sizeof(D->dir)) {
		fprintf(stderr, "ipcprobe run: -o %.80s...: longer than %d bytes\n", opt_dir,
			PATH_MAX - 1);
		return -1;
	}
	int existed = lstat(D->dir, &st) == 0;
	if (existed && !S_ISDIR(st.st_mode)) {
		fprintf(stderr, "ipcprobe run: %s exists and is not a directory%s; choose another "
				"-o DIR\n", D->dir, S_ISLNK(st.st_mode) ? " (a symbolic link)" : "");
		return -1;
	}
	if (mkdir_p(D->dir, 0755) < 0) {
		fprintf(stderr, "ipcprobe run: cannot create %s: %s\n", D->dir, strerror(errno));
		return -1;
	}
	*made = !existed;
	if (open_run_dir(D, AT_FDCWD, D->dir) < 0)
		return -1;
	if (!dir_is_empty(D->fd)) {
		fprintf(stderr, "ipcprobe run: %s: not empty; results are never written over: "
				"choose a new -o DIR\n", D->dir);
		return -1;
	}
	return 0;
}

/* The default: OUTPUT/<UTC time>-<host>, made with one mkdirat() in OUTPUT held open, so
 * that it is this run's alone; -2, -3, ... when another run started in the same second took
 * the name. */
static int make_default_dir(struct rundir *D, const char *output_root)
{
	char stamp[64], host[128] = "host", name[256];
	utc_now(stamp, sizeof(stamp), 0);
	gethostname(host, sizeof(host) - 1);
	host[strcspn(host, ".")] = '\0';
	int root = mkdir_p(output_root, 0755) < 0 ? -1 :
		   open(output_root, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (root < 0) {
		fprintf(stderr, "ipcprobe run: cannot create %s: %s\n", output_root,
			strerror(errno));
		return -1;
	}
	int rc = -1;
	for (int k = 1; k <= 1000; k++) {
		if (k == 1)
			snprintf(name, sizeof(name), "%s-%s", stamp, host);
		else
			snprintf(name, sizeof(name), "%s-%s-%d", stamp, host, k);
		snprintf(D->dir, sizeof(D->dir), "%s/%s", output_root, name);
		if (mkdirat(root, name, 0755) == 0) {
			rc = open_run_dir(D, root, name);
			break;
		}
		if (errno != EEXIST) {
			fprintf(stderr, "ipcprobe run: cannot create %s: %s\n", D->dir,
				strerror(errno));
			break;
		}
	}
	close(root);
	return rc;
}

/* Choose and claim the run directory, then make its logs/ and the records file: all new,
 * all this run's. */
int rundir_create(struct rundir *D, const char *opt_dir, const char *output_root)
{
	int made = 1;
	D->fd = D->logs = D->records = D->cases = -1;
	int rc = opt_dir ? make_given_dir(D, opt_dir, &made) : make_default_dir(D, output_root);
	if (rc == 0)
		rc = reserve_space(D);
	if (rc < 0) {
		if (made && D->fd >= 0)
			rmdir(D->dir);	/* only ever removes an empty directory */
		if (D->fd >= 0)
			close(D->fd);
		D->fd = -1;
		return -1;
	}
	if (mkdirat(D->fd, "logs", 0755) < 0 ||
	    (D->logs = openat(D->fd, "logs", O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)) < 0) {
		fprintf(stderr, "ipcprobe run: cannot create %s/logs: %s\n", D->dir, strerror(errno));
		return -1;
	}
	D->cases = openat(D->fd, RUN_CASES_PARTIAL,
			  O_WRONLY | O_CREAT | O_EXCL | O_APPEND | O_NOFOLLOW | O_CLOEXEC, 0644);
	D->records = openat(D->fd, PARTIAL,
			    O_WRONLY | O_CREAT | O_EXCL | O_APPEND | O_NOFOLLOW | O_CLOEXEC, 0644);
	if (D->records < 0) {
		fprintf(stderr, "ipcprobe run: cannot create %s/%s: %s\n", D->dir, PARTIAL,
			strerror(errno));
		return -1;
	}
	return 0;
}

struct dirref rundir_ref(const struct rundir *D)
{
	return (struct dirref){ D->fd, D->dir };
}

int rundir_open_log(const struct rundir *D, const char *name)
{
	int fd = openat(D->logs, name, O_RDWR | O_CREAT | O_APPEND | O_NOFOLLOW | O_CLOEXEC, 0644);
	if (fd < 0)
		fprintf(stderr, "ipcprobe run: cannot create %s/logs/%s: %s\n", D->dir, name,
			strerror(errno));
	return fd;
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
			fprintf(stderr, "ipcprobe run: ftruncate %s/%s: %s\n", D->dir, PARTIAL,
				strerror(errno));
		fprintf(stderr, "ipcprobe run: writing %s/%s: %s; stopping the run\n", D->dir,
			PARTIAL, strerror(D->write_errno));
	}
	free(line);
}

void rundir_append_case(struct rundir *D, json_t *entry)
{
	char *line = D->cases >= 0 ? json_dumps(entry, JSON_COMPACT | JSON_REAL_PRECISION(17)) :
				     NULL;
	if (!line)
		return;
	size_t len = strlen(line);
	line[len] = '\n';
	if (write_all(D->cases, line, len + 1) < 0) {
		fprintf(stderr, "ipcprobe run: writing %s/%s: %s; a killed run's run.json would "
				"lack its cases\n", D->dir, RUN_CASES_PARTIAL, strerror(errno));
		close(D->cases);
		D->cases = -1;
	}
	free(line);
}

void rundir_drop_cases(struct rundir *D)
{
	if (D->cases >= 0)
		close(D->cases);
	D->cases = -1;
	unlinkat(D->fd, RUN_CASES_PARTIAL, 0);
}

int rundir_write_json(const struct rundir *D, const char *name, json_t *v)
{
	char err[PATH_MAX + 512];
	if (write_json_at(rundir_ref(D), name, v, err, sizeof(err)) < 0) {
		fprintf(stderr, "ipcprobe run: %s\n", err);
		return -1;
	}
	return 0;
}

int rundir_close_records(struct rundir *D)
{
	unlinkat(D->fd, RUN_SPACE_RESERVE, 0);
	fsync(D->records);
	close(D->records);
	D->records = -1;
	if (renameat(D->fd, PARTIAL, D->fd, "records.jsonl") < 0) {
		fprintf(stderr, "ipcprobe run: rename %s/%s: %s\n", D->dir, PARTIAL,
			strerror(errno));
		return -1;
	}
	return 0;
}
