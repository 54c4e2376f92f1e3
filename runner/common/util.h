/* util.h - files written whole or not at all, directories, and small helpers the runner's
 * commands share. */
#ifndef IPCPROBE_UTIL_H
#define IPCPROBE_UTIL_H

#include <fcntl.h>
#include <jansson.h>
#include <stddef.h>
#include <sys/types.h>

/* A directory held open, to address its files by descriptor: nothing done to a path above it
 * (a parent renamed, a component swapped for a link) can send a file elsewhere once it is
 * open.  path is for messages only.  DIR_CWD: names relative to the working directory, or
 * absolute. */
struct dirref {
	int fd;
	const char *path;
};
#define DIR_CWD ((struct dirref){ AT_FDCWD, NULL })

/* write() all of data, across short writes and EINTR.  0, or -1 with errno. */
int write_all(int fd, const void *data, size_t len);

/* Write data to path through a temporary file beside it (an unpredictable name, created
 * exclusively: never a planted link or file), fsync, rename over path (which replaces a link
 * there instead of following it).  Returns 0, or -1 with "path: call: strerror" in err. */
int write_file_atomic(const char *path, const void *data, size_t len, char *err, size_t errlen);
/* The same for name in the directory d. */
int write_file_at(struct dirref d, const char *name, const void *data, size_t len, char *err,
		  size_t errlen);
/* The same for a JSON value, pretty-printed (indent 2) with a final newline. */
int write_json_atomic(const char *path, json_t *v, char *err, size_t errlen);
int write_json_at(struct dirref d, const char *name, json_t *v, char *err, size_t errlen);

/* Read a whole regular file; the caller frees.  NULL with err on failure.  *len may be NULL.
 * A FIFO, device, socket or directory is refused before anything is read (a FIFO cannot hang
 * the open), and so is a file over max bytes.  RF_NOFOLLOW refuses a symbolic link: files
 * read from a run directory, which may come from someone else, are opened that way. */
enum { RF_NOFOLLOW = 1 };
char *read_file_max(const char *path, size_t max, int flags, size_t *len, char *err,
		    size_t errlen);
char *read_file(const char *path, size_t *len, char *err, size_t errlen);
char *read_file_at(struct dirref d, const char *name, size_t max, int flags, size_t *len,
		   char *err, size_t errlen);

/* run.json and other JSON read from a run directory: a regular file of at most this size,
 * duplicate keys refused.  NULL with "PATH:LINE:COL: what" in err. */
#define MAX_META_BYTES (64 << 20)
json_t *read_json_file(const char *path, int flags, char *err, size_t errlen);
json_t *read_json_at(struct dirref d, const char *name, int flags, char *err, size_t errlen);

/* Make the directory path (its parent must exist), or accept it if it is already a real
 * directory; a symbolic link or anything else there is refused (-1, errno ELOOP or
 * ENOTDIR): files are never written through a link planted in a run directory. */
int subdir_here(const char *path);
/* A run directory named by the user, opened to read and write in it by descriptor (a
 * struct dirref): its descriptor, or -1 with "dir: cannot open: why" in err. */
int dir_open(const char *dir, char *err, size_t errlen);
/* The same for name in d, opened: its descriptor (never through a link), or -1 with errno. */
int subdir_at(struct dirref d, const char *name);
/* A new private directory (0700) in d named prefix + 12 unpredictable hex digits, into name:
 * 0, or -1 with errno (mkdtemp(3) for a directory held open). */
int mkdir_temp_at(struct dirref d, const char *prefix, char *name, size_t len);

/* mkdir -p. */
int mkdir_p(const char *path, mode_t mode);

/* The directory holding the running executable (for build/probes next to build/ipcprobe);
 * argv0 may be NULL after the first call (the answer is kept). */
const char *self_dir(const char *argv0);

/* The numbers of a JSON array, in order, as a malloc'd array (never NULL; other elements
 * are skipped); their count in *n. */
double *json_numbers(json_t *array, size_t *n);

/* s as a JSON string, each byte that is not part of a UTF-8 character replaced by U+FFFD: a
 * path or an argument is bytes, and run.json must still be written (NULL: JSON null). */
json_t *json_string_lossy(const char *s);

/* snprintf into a malloc'd string; aborts on allocation failure. */
char *xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
char *xstrdup(const char *s);
/* A copy of s (a reason or status read from a run) fit to print in a terminal and a table
 * cell: each control character a space, each '|' a '/'. */
char *xstrdup_printable(const char *s);

/* Now, UTC, as ISO 8601 (iso: "2026-11-28T01:43:00Z") or as a directory stamp. */
void utc_now(char *buf, size_t len, int iso);

/* Is stdout a terminal that understands \r (TERM not "dumb")?  The progress line needs it. */
int tty_fancy(void);
/* ... and colour too: tty_fancy() and no NO_COLOR. */
int tty_colour(void);

#endif
