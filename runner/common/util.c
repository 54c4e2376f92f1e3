/* util.c - see util.h. */
#include "common/util.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
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

/* The temporary file beside path: an unpredictable name created with O_EXCL (mkstemp), so
 * that nothing planted in the directory (a link, a file of the same name) is followed or
 * reused.  rename() then replaces whatever path was, a link included, without following it. */
static int open_temp_beside(const char *path, char *tmp, size_t tmplen)
{
	const char *slash = strrchr(path, '/');
	int dirlen = slash ? (int)(slash - path + 1) : 0;
	if (snprintf(tmp, tmplen, "%.*s.%s.XXXXXX", dirlen, path, slash ? slash + 1 : path) >=
	    (int)tmplen) {
		errno = ENAMETOOLONG;
		return -1;
	}
	int fd = mkstemp(tmp);
	if (fd < 0)
		return -1;
	mode_t mask = umask(022);	/* mkstemp makes 0600; the result is 0644 less the umask */
	umask(mask);
	if (fchmod(fd, 0644 & ~mask) < 0 || fcntl(fd, F_SETFD, FD_CLOEXEC) < 0) {
		int e = errno;
		close(fd);
		unlink(tmp);
		errno = e;
		return -1;
	}
	return fd;
}

int write_file_atomic(const char *path, const void *data, size_t len, char *err, size_t errlen)
{
	char tmp[PATH_MAX];
	int fd = open_temp_beside(path, tmp, sizeof(tmp));
	if (fd < 0) {
		snprintf(err, errlen, "%s: cannot create a temporary file beside it: %s", path,
			 strerror(errno));
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
	fd = -1;
	if (rename(tmp, path) < 0) {
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

static const char *file_kind(mode_t m)
{
	return S_ISDIR(m) ? "a directory" : S_ISFIFO(m) ? "a FIFO" : S_ISCHR(m) ? "a character device" :
	       S_ISBLK(m) ? "a block device" : S_ISSOCK(m) ? "a socket" : "not a regular file";
}

/* Open path for reading only if it is a regular file: O_NONBLOCK so that a FIFO cannot hang
 * the open, fstat before any read so that a device (/dev/zero) is never read. */
static int open_regular(const char *path, int flags, char *err, size_t errlen)
{
	int fd = open(path, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC |
				    (flags & RF_NOFOLLOW ? O_NOFOLLOW : 0));
	if (fd < 0) {
		if (errno == ELOOP && (flags & RF_NOFOLLOW))
			snprintf(err, errlen, "%s: is a symbolic link; a run directory's files are "
					      "never links, so it is not followed (was this "
					      "directory made by ipcprobe?)", path);
		else
			snprintf(err, errlen, "%s: cannot open: %s", path, strerror(errno));
		return -1;
	}
	struct stat st = { 0 };
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
		snprintf(err, errlen, "%s: is %s, not a regular file; give a file", path,
			 file_kind(st.st_mode));
		close(fd);
		return -1;
	}
	fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK);
	return fd;
}

char *read_file_max(const char *path, size_t max, int flags, size_t *len, char *err,
		    size_t errlen)
{
	int fd = open_regular(path, flags, err, errlen);
	if (fd < 0)
		return NULL;
	struct stat st;
	size_t cap = fstat(fd, &st) == 0 && st.st_size > 0 ? (size_t)st.st_size + 1 : 4096, n = 0;
	if (cap - 1 > max) {
		snprintf(err, errlen, "%s: %lld bytes; at most %zu are read (is this the right "
				      "file?)", path, (long long)st.st_size, max);
		close(fd);
		return NULL;
	}
	char *buf = malloc(cap);
	int e = 0;
	while (buf) {
		if (n + 1 >= cap) {	/* the file grew while we read it */
			char *nb = n >= max ? NULL : realloc(buf, cap * 2);
			if (!nb) {
				e = n >= max ? EFBIG : ENOMEM;
				break;
			}
			buf = nb;
			cap *= 2;
		}
		ssize_t r = read(fd, buf + n, cap - n - 1);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0) {
			e = r < 0 ? errno : 0;
			break;
		}
		n += (size_t)r;
	}
	close(fd);
	if (!buf || e) {
		snprintf(err, errlen, "%s: cannot read: %s", path,
			 !buf ? "out of memory" : e == EFBIG ? "it grew past the limit" :
							    strerror(e));
		free(buf);
		return NULL;
	}
	buf[n] = '\0';
	if (len)
		*len = n;
	return buf;
}

char *read_file(const char *path, size_t *len, char *err, size_t errlen)
{
	return read_file_max(path, SIZE_MAX / 2, 0, len, err, errlen);
}

json_t *read_json_file(const char *path, int flags, char *err, size_t errlen)
{
	size_t len;
	char *text = read_file_max(path, MAX_META_BYTES, flags, &len, err, errlen);
	if (!text)
		return NULL;
	json_error_t je;
	json_t *v = json_loadb(text, len, JSON_REJECT_DUPLICATES, &je);
	free(text);
	if (!v)
		snprintf(err, errlen, "%s:%d:%d: %s", path, je.line, je.column, je.text);
	return v;
}

int subdir_here(const char *path)
{
	struct stat st;
	if (mkdir(path, 0755) == 0)
		return 0;
	if (errno != EEXIST)
		return -1;
	if (lstat(path, &st) < 0)
		return -1;
	if (S_ISLNK(st.st_mode) || !S_ISDIR(st.st_mode)) {
		errno = S_ISLNK(st.st_mode) ? ELOOP : ENOTDIR;
		return -1;
	}
	return 0;
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
	return isatty(STDOUT_FILENO) && term && strcmp(term, "dumb") != 0;
}

int tty_colour(void)
{
	/* https://no-color.org: NO_COLOR set and not empty removes colour, nothing else. */
	const char *no = getenv("NO_COLOR");
	return tty_fancy() && !(no && *no);
}

/* Now, UTC, as ISO 8601 (iso) or as a directory stamp. */
void utc_now(char *buf, size_t len, int iso)
{
	time_t t = time(NULL);
	struct tm tm;
	gmtime_r(&t, &tm);
	if (iso)
		strftime(buf, len, "%Y-%m-%dT%H:%M:%SZ", &tm);
	else
		strftime(buf, len, "%Y%m%dT%H%M%SZ", &tm);
}

double *json_numbers(json_t *array, size_t *n)
{
	double *d = malloc((json_array_size(array) + 1) * sizeof(*d));
	json_t *v;
	size_t i;
	if (!d)
		abort();
	*n = 0;
	json_array_foreach(array, i, v)
		if (json_is_number(v))
			d[(*n)++] = json_number_value(v);
	return d;
}

/* The length of the UTF-8 character at s (at most left bytes), or 0 when the bytes there are
 * not one: jansson's own check decides, so what passes here it also writes. */
static size_t utf8_char_len(const char *s, size_t left)
{
	for (size_t n = 1; n <= 4 && n <= left; n++) {
		json_t *t = json_stringn(s, n);
		if (t) {
			json_decref(t);
			return n;
		}
	}
	return 0;
}

json_t *json_string_lossy(const char *s)
{
	if (!s)
		return json_null();
	json_t *j = json_string(s);
	if (j)
		return j;
	size_t len = strlen(s), o = 0;
	char *out = malloc(len * 3 + 1);
	if (!out)
		abort();
	for (size_t i = 0; i < len;) {
		size_t n = utf8_char_len(s + i, len - i);
		if (n == 0) {
			memcpy(out + o, "\xef\xbf\xbd", 3);	/* U+FFFD */
			o += 3;
			i++;
			continue;
		}
		memcpy(out + o, s + i, n);
		o += n;
		i += n;
	}
	out[o] = '\0';
	j = json_string(out);
	free(out);
	return j ? j : json_null();
}
