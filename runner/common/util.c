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

/* "dir/name" for messages: the name alone when d is the working directory. */
static const char *shown(struct dirref d, const char *name, char *buf, size_t len)
{
	if (!d.path)
		return name;
	snprintf(buf, len, "%s/%s", d.path, name);
	return buf;
}

/* A fresh name for a temporary entry in a directory: the process, the clock and a counter,
 * mixed.  It need not be secret: the entry is always created exclusively and never through
 * a link, so a name someone planted first only costs a retry. */
static void temp_name(char *buf, size_t len, const char *prefix)
{
	static unsigned long n;
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	uint64_t x = (uint64_t)getpid() * 0x9e3779b97f4a7c15ull ^ (uint64_t)ts.tv_nsec << 20 ^
		     (uint64_t)ts.tv_sec ^ (uint64_t)++n * 0xbf58476d1ce4e5b9ull;
	x ^= x >> 31;
	x *= 0x94d049bb133111ebull;
	x ^= x >> 29;
	snprintf(buf, len, "%s%012llx", prefix, (unsigned long long)(x & 0xffffffffffffull));
}

/* The temporary file beside name in d: a new entry created exclusively and never through a
 * link (O_EXCL), so that nothing planted in the directory is followed or reused; renameat()
 * then replaces whatever name was, a link included, without following it. */
static int open_temp_beside(struct dirref d, const char *name, char *tmp, size_t tmplen)
{
	const char *slash = strrchr(name, '/');
	int dirlen = slash ? (int)(slash - name + 1) : 0;
	char prefix[PATH_MAX];
	if (snprintf(prefix, sizeof(prefix), "%.*s.%s.", dirlen, name, slash ? slash + 1 : name) >=
	    (int)sizeof(prefix) - 16) {
		errno = ENAMETOOLONG;
		return -1;
	}
	for (int tries = 0; tries < 100; tries++) {
		temp_name(tmp, tmplen, prefix);
		int fd = openat(d.fd, tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644);
		if (fd >= 0 || errno != EEXIST)
			return fd;
	}
	return -1;
}

int write_file_at(struct dirref d, const char *name, const void *data, size_t len, char *err,
		  size_t errlen)
{
	char tmp[PATH_MAX], p[PATH_MAX + 64];
	const char *path = shown(d, name, p, sizeof(p));
	int fd = open_temp_beside(d, name, tmp, sizeof(tmp));
	if (fd < 0) {
		snprintf(err, errlen, "%s: cannot create a temporary file beside it: %s", path,
			 strerror(errno));
		return -1;
	}
	if (write_all(fd, data, len) < 0) {
		snprintf(err, errlen, "%s: write: %s", path, strerror(errno));
		goto remove_tmp;
	}
	if (fsync(fd) < 0 && errno != EINVAL) {
		snprintf(err, errlen, "%s: fsync: %s", path, strerror(errno));
		goto remove_tmp;
	}
	if (close(fd) < 0) {
		fd = -1;
		snprintf(err, errlen, "%s: close: %s", path, strerror(errno));
		goto remove_tmp;
	}
	fd = -1;
	if (renameat(d.fd, tmp, d.fd, name) < 0) {
		snprintf(err, errlen, "%s: rename: %s", path, strerror(errno));
		goto remove_tmp;
	}
	return 0;
remove_tmp:
	if (fd >= 0)
		close(fd);
	unlinkat(d.fd, tmp, 0);
	return -1;
}

int write_file_atomic(const char *path, const void *data, size_t len, char *err, size_t errlen)
{
	return write_file_at(DIR_CWD, path, data, len, err, errlen);
}

int write_json_at(struct dirref d, const char *name, json_t *v, char *err, size_t errlen)
{
	char p[PATH_MAX + 64];
	char *s = json_dumps(v, JSON_INDENT(2) | JSON_REAL_PRECISION(17));
	if (!s) {
		snprintf(err, errlen, "%s: cannot encode JSON", shown(d, name, p, sizeof(p)));
		return -1;
	}
	size_t n = strlen(s);
	char *t = realloc(s, n + 2);
	if (!t) {
		free(s);
		snprintf(err, errlen, "%s: out of memory", shown(d, name, p, sizeof(p)));
		return -1;
	}
	t[n] = '\n';
	t[n + 1] = '\0';
	int rc = write_file_at(d, name, t, n + 1, err, errlen);
	free(t);
	return rc;
}

int write_json_atomic(const char *path, json_t *v, char *err, size_t errlen)
{
	return write_json_at(DIR_CWD, path, v, err, errlen);
}

static const char *file_kind(mode_t m)
{
	return S_ISDIR(m) ? "a directory" : S_ISFIFO(m) ? "a FIFO" : S_ISCHR(m) ? "a character device" :
	       S_ISBLK(m) ? "a block device" : S_ISSOCK(m) ? "a socket" : "not a regular file";
}

/* Open name in d for reading only if it is a regular file: O_NONBLOCK so that a FIFO cannot
 * hang the open, fstat before any read so that a device (/dev/zero) is never read. */
static int open_regular(struct dirref d, const char *name, int flags, char *err, size_t errlen)
{
	char p[PATH_MAX + 64];
	const char *path = shown(d, name, p, sizeof(p));
	int fd = openat(d.fd, name, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC |
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

char *read_file_at(struct dirref d, const char *name, size_t max, int flags, size_t *len,
		   char *err, size_t errlen)
{
	char p[PATH_MAX + 64];
	const char *path = shown(d, name, p, sizeof(p));
	int fd = open_regular(d, name, flags, err, errlen);
	if (fd < 0)
		return NULL;
	struct stat st;
	/* Room for the file, its NUL and one byte more: a file of exactly max bytes reads its
	 * end-of-file in the buffer instead of looking as if it grew. */
	size_t cap = fstat(fd, &st) == 0 && st.st_size > 0 ? (size_t)st.st_size + 2 : 4096, n = 0;
	if (cap - 2 > max) {
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

char *read_file_max(const char *path, size_t max, int flags, size_t *len, char *err,
		    size_t errlen)
{
	return read_file_at(DIR_CWD, path, max, flags, len, err, errlen);
}

char *read_file(const char *path, size_t *len, char *err, size_t errlen)
{
	return read_file_max(path, SIZE_MAX / 2, 0, len, err, errlen);
}

json_t *read_json_at(struct dirref d, const char *name, int flags, char *err, size_t errlen)
{
	char p[PATH_MAX + 64];
	size_t len;
	char *text = read_file_at(d, name, MAX_META_BYTES, flags, &len, err, errlen);
	if (!text)
		return NULL;
	json_error_t je;
	json_t *v = json_loadb(text, len, JSON_REJECT_DUPLICATES, &je);
	free(text);
	if (!v)
		snprintf(err, errlen, "%s:%d:%d: %s", shown(d, name, p, sizeof(p)), je.line,
			 je.column, je.text);
	return v;
}

json_t *read_json_file(const char *path, int flags, char *err, size_t errlen)
{
	return read_json_at(DIR_CWD, path, flags, err, errlen);
}

int dir_open(const char *dir, char *err, size_t errlen)
{
	int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		snprintf(err, errlen, "%s: cannot open: %s%s", dir, strerror(errno),
			 errno == ENOTDIR ? " (give a run directory)" : "");
	return fd;
}

int subdir_at(struct dirref d, const char *name)
{
	struct stat st;
	if (mkdirat(d.fd, name, 0755) < 0 && errno != EEXIST)
		return -1;
	int fd = openat(d.fd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd >= 0)
		return fd;
	int e = errno;
	if (fstatat(d.fd, name, &st, AT_SYMLINK_NOFOLLOW) == 0)
		e = S_ISLNK(st.st_mode) ? ELOOP : S_ISDIR(st.st_mode) ? e : ENOTDIR;
	errno = e;
	return -1;
}

int subdir_here(const char *path)
{
	int fd = subdir_at(DIR_CWD, path);
	if (fd < 0)
		return -1;
	close(fd);
	return 0;
}

int mkdir_temp_at(struct dirref d, const char *prefix, char *name, size_t len)
{
	for (int tries = 0; tries < 100; tries++) {
		temp_name(name, len, prefix);
		if (mkdirat(d.fd, name, 0700) == 0)
			return 0;
		if (errno != EEXIST)
			return -1;
	}
	return -1;
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

char *xstrdup_printable(const char *s)
{
	char *t = xstrdup(s);
	for (unsigned char *p = (unsigned char *)t; *p; p++)
		if (*p < 0x20 || *p == 0x7f)
			*p = ' ';
		else if (*p == '|')
			*p = '/';
	return t;
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
