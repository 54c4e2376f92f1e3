/* user_pages.c - what happens to a user's pipes once they hold more pipe pages than
 * /proc/sys/fs/pipe-user-pages-soft allows (pipe_user_pages): in a child without privilege
 * (privilege.h), pipes are opened one by one, each one's size read, until a new one comes
 * smaller than the first; then a few more, what F_SETPIPE_SZ does to them, what the older
 * pipes keep, and whether closing some gives a new pipe its full size again.  Everything is
 * closed before the child reports, and what it opens is bounded by RLIMIT_NOFILE. */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#include "cases.h"
#include "have.h"
#include "names.h"
#include "privilege.h"
#include "probe.h"
#include "sysinfo.h"

#ifdef HAVE_F_SETPIPE_SZ	/* F_GETPIPE_SZ: a pipe's size can be read (Linux) */
#define UP_LATER_MAX 16

enum up_status { UP_MEASURED, UP_BOUNDED, UP_PIPE_FAILED, UP_NO_MEMORY, UP_GETSZ_FAILED };

/* What the child was asked (the first four) and what it saw.  A size is F_GETPIPE_SZ's; an
 * errno 0 beside a size means the call succeeded. */
struct user_pages {
	long long max_pipes, later, page;
	long long default_size;		/* a fresh pipe's, as the probe's own user got it */
	int status, err;		/* enum up_status, and the errno that ended it */
	long long nofile, bound;	/* RLIMIT_NOFILE (soft, raised to hard) and the pipes it
					 * leaves room for */
	long long fds_before, fds_after;
	long long full_pipes;		/* pipes held at default_size when one came smaller */
	long long full_pages;		/* the pages they held */
	long long reduced_size;		/* what that pipe got */
	int nlater;
	long long later_sizes[UP_LATER_MAX];	/* the pipes opened after it */
	long long grow_refused_at;	/* pipes held when growing one by default_size was first
					 * refused (-1: never) */
	int grow_err;
	long long raise_granted;	/* a smaller pipe asked for default_size (-1: refused) */
	int raise_err;
	long long shrink_granted;	/* another asked for one page (-1: refused; -2: none) */
	int shrink_err;
	long long reduced_accepts;	/* bytes one non-blocking write got into a smaller pipe */
	long long first_size_after;	/* the first pipe, at the end (-1: none was full) */
	long long after_close_size;	/* a new pipe once the smaller ones and one full one closed
					 * (-1: not tried, as none was full) */
};

/* F_SETPIPE_SZ on fd: the size granted, or -1 with *err. */
static long long set_size(int fd, long long want, int *err)
{
	int n = fcntl(fd, F_SETPIPE_SZ, (int)want);
	*err = n < 0 ? errno : 0;
	return n;
}

static void close_pipes(int *fds, long long from, long long to)
{
	for (long long i = from; i < to; i++) {
		close(fds[2 * i]);
		close(fds[2 * i + 1]);
	}
}

/* Growing pipe i by one default size is refused once the user is at the soft limit: tried
 * (and undone) while none was refused yet. */
static void try_grow(struct user_pages *u, int wfd, long long held)
{
	int e;
	if (u->grow_refused_at >= 0)
		return;
	if (set_size(wfd, 2 * u->default_size, &e) < 0) {
		u->grow_refused_at = held;
		u->grow_err = e;
	} else {
		set_size(wfd, u->default_size, &e);
	}
}

/* Open pipes until one comes smaller than the first: returns how many are open. */
static long long open_until_smaller(struct user_pages *u, int *fds)
{
	long long n = 0;
	u->status = UP_BOUNDED;
	while (n < u->bound) {
		if (pipe(fds + 2 * n) < 0) {
			u->status = UP_PIPE_FAILED, u->err = errno;
			return n;
		}
		long long size = fcntl(fds[2 * n + 1], F_GETPIPE_SZ);
		if (size < 0) {
			u->status = UP_GETSZ_FAILED, u->err = errno;
			return n + 1;
		}
		if (size < u->default_size) {
			u->full_pipes = n, u->reduced_size = size, u->status = UP_MEASURED;
			return n + 1;
		}
		u->full_pages += size / u->page;
		n++;
		try_grow(u, fds[2 * n - 1], n);
	}
	return n;
}

/* The pipes after the first smaller one, and what F_SETPIPE_SZ and a writer do with them. */
static long long past_the_limit(struct user_pages *u, int *fds, long long n)
{
	long long first = u->full_pipes;
	while (u->nlater < u->later && n < u->bound && pipe(fds + 2 * n) == 0)
		u->later_sizes[u->nlater++] = fcntl(fds[2 * n++ + 1], F_GETPIPE_SZ);
	int wfd = fds[2 * first + 1];
	/* what a writer gets into the first smaller pipe: one non-blocking write of default_size
	 * (the pipe takes what fits, as many pages as it has); then asked for its full size */
	char *buf = calloc(1, (size_t)u->default_size);
	fcntl(wfd, F_SETFL, fcntl(wfd, F_GETFL) | O_NONBLOCK);
	u->reduced_accepts = buf ? write(wfd, buf, (size_t)u->default_size) : -1;
	free(buf);
	u->raise_granted = set_size(wfd, u->default_size, &u->raise_err);
	u->shrink_granted = -2;
	if (u->nlater > 0)
		u->shrink_granted = set_size(fds[2 * (first + 1) + 1], u->page, &u->shrink_err);
	u->first_size_after = u->full_pipes > 0 ? fcntl(fds[1], F_GETPIPE_SZ) : -1;
	return n;
}

static void user_pages_fn(void *arg, void *out, size_t outlen)
{
	struct user_pages *u = out;
	struct rlimit rl;
	(void)arg, (void)outlen;
	if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < rl.rlim_max) {
		rl.rlim_cur = rl.rlim_max;
		setrlimit(RLIMIT_NOFILE, &rl);
	}
	getrlimit(RLIMIT_NOFILE, &rl);
	u->nofile = rl.rlim_cur == RLIM_INFINITY ? -1 : (long long)rl.rlim_cur;
	u->fds_before = fds_open();
	long long room = ((u->nofile < 0 ? 1LL << 20 : u->nofile) - u->fds_before - 4) / 2;
	u->bound = room < u->max_pipes ? room : u->max_pipes;
	u->grow_refused_at = -1;
	int *fds = u->bound > 0 ? malloc((size_t)u->bound * 2 * sizeof(int)) : NULL;
	if (!fds) {
		u->status = UP_NO_MEMORY;
		return;
	}
	long long n = open_until_smaller(u, fds);
	u->after_close_size = -1;
	if (u->status == UP_MEASURED)
		n = past_the_limit(u, fds, n);
	if (u->status == UP_MEASURED && u->full_pipes > 0) {
		/* the smaller pipes and one full one closed: a new pipe's size */
		close_pipes(fds, u->full_pipes - 1, n);
		n = u->full_pipes - 1;
		if (pipe(fds + 2 * n) == 0)
			u->after_close_size = fcntl(fds[2 * n++ + 1], F_GETPIPE_SZ);
	}
	close_pipes(fds, 0, n);
	free(fds);
	u->fds_after = fds_open();
}

/* A size, or the errno that refused it, as a fact. */
static json_t *size_or_errno(long long size, int err)
{
	return size >= 0 ? json_pack("{s:I}", "granted", (json_int_t)size) :
			   json_pack("{s:o}", "refused", errno_json(err));
}

static json_t *later_json(const struct user_pages *u)
{
	json_t *a = json_array();
	for (int i = 0; i < u->nlater; i++)
		json_array_append_new(a, json_integer(u->later_sizes[i]));
	return a;
}

/* The record of what the child saw: soft is the limit it was measured against. */
static void user_pages_emit(struct probe_ctx *ctx, const struct user_pages *u,
			    const struct priv_child *c, long long soft)
{
	long long dp = u->default_size / u->page, hard;
	struct rec *r = rec_new(ctx, "pipes_at_full_size");
	rec_value(r, (double)u->full_pipes);
	rec_os_reported(r, "/proc/sys/fs/pipe-user-pages-soft / the pages of a default pipe",
			(double)(soft / dp));
	rec_fact(r, "pipe_user_pages_soft", json_integer(soft));
	hard = sysctl_read("/proc/sys/fs/pipe-user-pages-hard");
	rec_fact(r, "pipe_user_pages_hard", hard >= 0 ? json_integer(hard) : json_null());
	rec_fact(r, "page_size", json_integer(u->page));
	rec_fact(r, "default_size", json_integer(u->default_size));
	rec_fact(r, "pages_held", json_integer(u->full_pages));
	/* the new pipe came smaller when the user's pages with its own passed the soft limit
	 * (Linux: more than pipe-user-pages-soft), the one before not: what the uid's other
	 * processes held meanwhile is between these */
	long long least = soft - u->full_pages - dp + 1;
	rec_fact(r, "pages_of_others", json_pack("{s:I, s:o}", "at_least",
		(json_int_t)(least > 0 ? least : 0), "at_most", u->full_pipes > 0 ?
		json_integer(soft - u->full_pages) : json_null()));
	rec_fact(r, "reduced_size", json_integer(u->reduced_size));
	rec_fact(r, "later_sizes", later_json(u));
	rec_fact(r, "grow_refused", u->grow_refused_at < 0 ? json_null() :
		 json_pack("{s:I, s:I, s:o}", "pipes_held", (json_int_t)u->grow_refused_at,
			   "requested", (json_int_t)(2 * u->default_size), "error",
			   errno_json(u->grow_err)));
	rec_fact(r, "reduced_raised_to_default", size_or_errno(u->raise_granted, u->raise_err));
	rec_fact(r, "reduced_shrunk_to_page", u->shrink_granted == -2 ? json_null() :
		 size_or_errno(u->shrink_granted, u->shrink_err));
	rec_fact(r, "reduced_accepts", u->reduced_accepts >= 0 ?
		 json_integer(u->reduced_accepts) : json_null());
	rec_fact(r, "first_pipe_size_after", u->first_size_after >= 0 ?
		 json_integer(u->first_size_after) : json_null());
	rec_fact(r, "new_pipe_after_closing", u->after_close_size >= 0 ?
		 json_integer(u->after_close_size) : json_null());
	rec_fact(r, "uid", json_integer(c->uid_in_child));
	rec_fact(r, "privilege_in_force", json_string(c->how));
	rec_fact(r, "rlimit_nofile", u->nofile >= 0 ? json_integer(u->nofile) : json_null());
	rec_fact(r, "fds_open", json_pack("{s:I, s:I}", "before", (json_int_t)u->fds_before,
					  "after", (json_int_t)u->fds_after));
	rec_emit(r);
}

/* The child's outcome, when it did not measure: the record that says why. */
static int user_pages_not_measured(struct probe_ctx *ctx, const struct user_pages *u,
				   long long soft)
{
	switch (u->status) {
	case UP_BOUNDED:
		return probe_unsupported(ctx, "pipe-user-pages-soft (%lld pages) not reached within "
					 "the pipes this process may open: %lld pipes of %lld bytes "
					 "held %lld pages (RLIMIT_NOFILE %lld; max_pipes %lld)", soft,
					 u->bound, u->default_size, u->full_pages, u->nofile,
					 u->max_pipes);
	case UP_NO_MEMORY:
		return probe_failed(ctx, "out of memory for %lld descriptors", 2 * u->bound);
	case UP_GETSZ_FAILED:
		return probe_failed(ctx, "fcntl(F_GETPIPE_SZ): %s (%s)", strerror(u->err),
				    errno_name(u->err));
	default:
		return probe_failed(ctx, "pipe() failed with %lld pipes held, before one came smaller: "
				    "%s (%s)", u->full_pipes, strerror(u->err), errno_name(u->err));
	}
}

/* The size a fresh pipe gets, as this process's user: what "smaller" is measured against. */
static long long fresh_pipe_size(void)
{
	int p[2];
	if (pipe(p) < 0)
		return -1;
	long long n = fcntl(p[1], F_GETPIPE_SZ);
	close(p[0]);
	close(p[1]);
	return n;
}

int run_pipe_user_pages(struct probe_ctx *ctx)
{
	const char *path = "/proc/sys/fs/pipe-user-pages-soft";
	long long soft = sysctl_read(path);
	if (soft < 0)
		return probe_unsupported(ctx, "%s cannot be read: no per-user limit of pipe pages "
					 "known here", path);
	if (soft == 0)
		return probe_unsupported(ctx, "%s is 0: a user's pipe pages have no soft limit", path);
	struct user_pages u = { .max_pipes = param_int(ctx, "max_pipes"),
				.later = param_int(ctx, "later"), .page = sysconf(_SC_PAGESIZE),
				.default_size = fresh_pipe_size() };
	if (u.default_size <= 0)
		return probe_failed(ctx, "a fresh pipe's size: pipe() or F_GETPIPE_SZ: %s",
				    strerror(errno));
	struct priv_child c = { .caps = PRIV_CAP_SYS_RESOURCE | PRIV_CAP_SYS_ADMIN,
				.uid = param_int(ctx, "uid"), .timeout_ns = 60LL * 1000000000 };
	int rc = priv_run(&c, user_pages_fn, NULL, &u, sizeof(u));
	if (rc < 0)
		return probe_failed(ctx, "%s", c.err);
	if (rc > 0)
		return probe_unsupported(ctx, "the child could not give up the privilege that "
					 "exempts a user from pipe-user-pages-soft: %s", c.how);
	if (u.status != UP_MEASURED)
		return user_pages_not_measured(ctx, &u, soft);
	user_pages_emit(ctx, &u, &c, soft);
	return PROBE_OK;
}
#else
int run_pipe_user_pages(struct probe_ctx *ctx)
{
	return probe_unsupported(ctx, "F_GETPIPE_SZ: not available on this platform (no such "
				      "fcntl), so a pipe's size cannot be read");
}
#endif

const struct metric_desc cap_m_user_pages[] = {
	{ "pipes_at_full_size", "count", "none",
	  "pipes an unprivileged user held at the default size when its next new pipe came "
	  "smaller, its pipe pages past /proc/sys/fs/pipe-user-pages-soft; beside it what that "
	  "allows (the soft limit over a default pipe's pages); facts: what the smaller pipes "
	  "get and hold, when F_SETPIPE_SZ is refused, what the older pipes keep" },
	{ NULL },
};

const struct param_desc cap_p_user_pages[] = {
	{ "uid", PT_INT, "65534", "1", "4294967294", NULL,
	  "the uid (and gid) root becomes; its pipes count against that user's soft limit, with "
	  "any other process's of that uid: one no other process uses counts the probe's alone" },
	{ "later", PT_INT, "8", "1", "16", NULL, "pipes opened after the first smaller one" },
	{ "max_pipes", PT_INT, "65536", "16", "1048576", NULL,
	  "open at most this many (RLIMIT_NOFILE, raised to its hard limit, bounds them too)" },
	{ NULL },
};
