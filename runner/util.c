/* util.c - see util.h. */
#include "util.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

int write_all(int fd, const void *data, size_t len)
{
	const char *p = data;
	while (len) {
		ssize_t n = write(fd, p, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			if (n == 0)
				errno = EIO;
			return -1;
		}
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

int write_file_atomic(const char *path, const void *data, size_t len, char *err, size_t errlen)
{
	char tmp[PATH_MAX];
	snprintf(tmp, sizeof(tmp), "%s.tmp-%ld", path, (long)getpid());
	int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0) {
		snprintf(err, errlen, "%s: open: %s", tmp, strerror(errno));
		return -1;
	}
	if (write_all(fd, data, len) < 0) {
		snprintf(err, errlen, "%s: write: %s", tmp, strerror(errno));
		goto remove_tmp;
	}
	if (fsync(fd) < 0 && errno != EINVAL) {
		snprintf(err, errlen, "%s: fsync: %s", tmp, strerror(errno));
		goto remove_tmp;
	}
	if (close(fd) < 0) {
		fd = -1;
		snprintf(err, errlen, "%s: close: %s", tmp, strerror(errno));
		goto remove_tmp;
	}
	if (rename(tmp, path) < 0) {
		fd = -1;
		snprintf(err, errlen, "%s: rename: %s", path, strerror(errno));
		goto remove_tmp;
	}
	return 0;
remove_tmp:
	if (fd >= 0)
		close(fd);
	unlink(tmp);
	return -1;
}

int write_json_atomic(const char *path, json_t *v, char *err, size_t errlen)
{
	char *s = json_dumps(v, JSON_INDENT(2) | JSON_REAL_PRECISION(17));
	if (!s) {
		snprintf(err, errlen, "%s: cannot encode JSON", path);
		return -1;
	}
	size_t n = strlen(s);
	char *t = realloc(s, n + 2);
	if (!t) {
		free(s);
		snprintf(err, errlen, "%s: out of memory", path);
		return -1;
	}
	t[n] = '\n';
	t[n + 1] = '\0';
	int rc = write_file_atomic(path, t, n + 1, err, errlen);
	free(t);
	return rc;
}

char *read_file(const char *path, size_t *len, char *err, size_t errlen)
{
	FILE *f = fopen(path, "rb");
	if (!f) {
		snprintf(err, errlen, "%s: cannot open: %s", path, strerror(errno));
		return NULL;
	}
	struct stat st;
	if (fstat(fileno(f), &st) == 0 && S_ISDIR(st.st_mode)) {
		snprintf(err, errlen, "%s: is a directory, not a file", path);
		fclose(f);
		return NULL;
	}
	size_t cap = 4096, n = 0;
	char *buf = malloc(cap);
	for (;;) {
		if (!buf)
			break;
		if (n + 1 >= cap) {
			char *nb = realloc(buf, cap * 2);
			if (!nb) {
				free(buf);
				buf = NULL;
				break;
			}
			buf = nb;
			cap *= 2;
		}
		size_t r = fread(buf + n, 1, cap - n - 1, f);
		n += r;
		if (r == 0)
			break;
	}
	if (!buf || ferror(f)) {
		snprintf(err, errlen, "%s: cannot read: %s", path, buf ? strerror(errno) : "out of memory");
		free(buf);
		fclose(f);
		return NULL;
	}
	fclose(f);
	buf[n] = '\0';
	if (len)
		*len = n;
	return buf;
}

int mkdir_p(const char *path, mode_t mode)
{
	char tmp[PATH_MAX];
	if (snprintf(tmp, sizeof(tmp), "%s", path) >= (int)sizeof(tmp)) {
		errno = ENAMETOOLONG;
		return -1;
	}
	for (char *p = tmp + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(tmp, mode) < 0 && errno != EEXIST)
			return -1;
		*p = '/';
	}
	if (mkdir(tmp, mode) < 0 && errno != EEXIST)
		return -1;
	return 0;
}

const char *self_dir(const char *argv0)
{
	static char dir[PATH_MAX];
	char path[PATH_MAX];
	if (!argv0 && dir[0])
		return dir;
	if (!argv0)
		argv0 = ".";
	/* A path in argv[0] names where we were started from (the tests rely on it); a bare
	 * name was found on PATH, so ask the kernel. */
	ssize_t n = -1;
	if (strchr(argv0, '/') && realpath(argv0, path))
		n = (ssize_t)strlen(path);
	else if ((n = readlink("/proc/self/exe", path, sizeof(path) - 1)) > 0)
		path[n] = '\0';
	if (n <= 0)
		snprintf(path, sizeof(path), "%s", argv0);
	char *slash = strrchr(path, '/');
	if (slash)
		*slash = '\0';
	else
		snprintf(path, sizeof(path), ".");
	snprintf(dir, sizeof(dir), "%s", path);
	return dir;
}

char *xasprintf(const char *fmt, ...)
{
	va_list ap;
	char *s = NULL;
	va_start(ap, fmt);
	int n = vasprintf(&s, fmt, ap);
	va_end(ap);
	if (n < 0)
		abort();
	return s;
}

char *xstrdup(const char *s)
{
	char *d = strdup(s ? s : "");
	if (!d)
		abort();
	return d;
}

int tty_fancy(void)
{
	const char *term = getenv("TERM");
	return isatty(STDOUT_FILENO) && term && strcmp(term, "dumb") != 0 && !getenv("NO_COLOR");
}

char *command_first_line(char *const argv[], int with_stderr)
{
	int fds[2];
	char buf[256];
	if (pipe(fds) < 0)
		return NULL;
	fflush(NULL);	/* the child must not print our buffered output again */
	pid_t pid = fork();
	if (pid == 0) {
		int null = open("/dev/null", O_WRONLY);
		dup2(fds[1], 1);
		dup2(with_stderr ? fds[1] : null, 2);
		close(fds[0]);
		execvp(argv[0], argv);
		_exit(127);
	}
	close(fds[1]);
	ssize_t n = pid > 0 ? read(fds[0], buf, sizeof(buf) - 1) : -1;
	close(fds[0]);
	int st = 1;
	if (pid > 0)
		waitpid(pid, &st, 0);
	if (n <= 0 || !WIFEXITED(st) || WEXITSTATUS(st) != 0)
		return NULL;
	buf[n] = '\0';
	buf[strcspn(buf, "\n")] = '\0';
	return xstrdup(buf);
}
