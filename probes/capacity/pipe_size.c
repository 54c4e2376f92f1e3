/* pipe_size.c - what F_SETPIPE_SZ makes of a request: the largest size it grants
 * (max_granted), and how it rounds a few requests, between page sizes and powers of two and
 * past pipe-max-size, as an unprivileged process or a privileged one (setpipe_rounding). */
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cases.h"
#include "have.h"
#include "names.h"
#include "privilege.h"
#include "probe.h"
#include "sysinfo.h"
#include "transport.h"

/* ---- max_granted ------------------------------------------------------------------------- */

/* F_SETPIPE_SZ allocates only the pipe's slot array, not its pages, so asking for a large
 * size is cheap: nothing here is ever filled. */
int run_max_granted(struct probe_ctx *ctx)
{
	const struct transport *tr = probe_transport(ctx);
	long long limit = param_int(ctx, "limit");
	long long max_size = sysctl_read("/proc/sys/fs/pipe-max-size");
	long long granted = -1, refused_at = -1, want;
	int refused_errno = 0;
	char err[512] = "";
	struct tr_pair p;
	if (tr_open(tr, &p, err, sizeof(err)) < 0)
		return probe_failed(ctx, "%s", err);
	for (want = max_size > 0 ? max_size : 65536; want <= limit; want *= 2) {
		long long g = tr->setcap(&p, want, err, sizeof(err));
		if (g < 0) {
			refused_errno = errno;
			refused_at = want;
			break;
		}
		granted = g;
	}
	tr_close(&p);
	if (granted < 0 && strstr(err, "not available"))
		return probe_unsupported(ctx, "%s", err);
	if (granted < 0)
		return probe_failed(ctx, "the first request was refused: %s", err);
	struct rec *r = rec_new(ctx, "max_granted");
	rec_value(r, (double)granted);
	rec_fact(r, "refused_at", refused_at >= 0 ? json_integer(refused_at) : json_null());
	rec_fact(r, "refused_errno",
		 refused_at >= 0 ? json_string(errno_name(refused_errno)) : json_null());
	rec_fact(r, "refused_reason", refused_at >= 0 ? json_string(err) : json_null());
	rec_fact(r, "bounded_by_limit", json_boolean(refused_at < 0));
	rec_fact(r, "euid", json_integer(geteuid()));
	rec_fact(r, "pipe_max_size", max_size >= 0 ? json_integer(max_size) : json_null());
	long long soft = sysctl_read("/proc/sys/fs/pipe-user-pages-soft");
	rec_fact(r, "pipe_user_pages_soft", soft >= 0 ? json_integer(soft) : json_null());
	rec_emit(r);
	return PROBE_OK;
}

const struct metric_desc cap_m_max[] = {
	{ "max_granted", "bytes", "none",
	  "the largest pipe size F_SETPIPE_SZ granted, doubling from pipe-max-size until refused "
	  "or the limit (root may exceed pipe-max-size)" },
	{ NULL },
};

const struct param_desc cap_p_max[] = {
	{ "limit", PT_SIZE, "1GiB", "64KiB", "16GiB", NULL, "stop asking beyond this size" },
	{ NULL },
};

/* ---- setpipe_rounding -------------------------------------------------------------------- */

#ifdef HAVE_F_SETPIPE_SZ	/* the transports' setcap is F_SETPIPE_SZ (Linux) */
#define ROUND_MAX 12

/* The requests and what became of each, filled in where they are made (maybe a child). */
struct rounding {
	const struct transport *tr;
	int n;
	long long requested[ROUND_MAX];
	long long granted[ROUND_MAX];	/* -1: refused with err */
	int err[ROUND_MAX];
	char open_err[256];		/* the pair could not be opened: nothing else was tried */
};

static int cmp_ll(const void *a, const void *b)
{
	long long x = *(const long long *)a, y = *(const long long *)b;
	return (x > y) - (x < y);
}

/* The requests, ascending, each once: 1 byte, either side of a page, a size between pages,
 * three pages, one byte past the default 16 pages, two sizes between powers of two, 1 MiB,
 * and pipe-max-size and one byte past it (when it can be read); none past what the fcntl's
 * int argument holds. */
static void round_requests(struct rounding *o, long long page, long long max_size)
{
	long long want[] = { 1, page - 1, page + 1, 5000, 3 * page, 16 * page + 1, 100000,
			     1LL << 20, max_size, max_size + 1 };
	int n = 0;
	for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++)
		if (want[i] >= 1 && want[i] <= INT_MAX && (i < 8 || max_size > 0))
			o->requested[n++] = want[i];
	qsort(o->requested, (size_t)n, sizeof(o->requested[0]), cmp_ll);
	o->n = 0;
	for (int i = 0; i < n; i++)
		if (o->n == 0 || o->requested[o->n - 1] != o->requested[i])
			o->requested[o->n++] = o->requested[i];
}

/* Each request on a pipe of its own, fresh from the kernel: what F_SETPIPE_SZ granted. */
static void round_fn(void *arg, void *out, size_t outlen)
{
	struct rounding *o = out;
	char err[256];
	(void)arg, (void)outlen;
	for (int i = 0; i < o->n; i++) {
		struct tr_pair p;
		if (tr_open(o->tr, &p, o->open_err, sizeof(o->open_err)) < 0)
			return;
		o->granted[i] = o->tr->setcap(&p, o->requested[i], err, sizeof(err));
		o->err[i] = o->granted[i] < 0 ? errno : 0;
		tr_close(&p);
	}
}

static json_t *grants_json(const struct rounding *o, long long page)
{
	json_t *a = json_array();
	for (int i = 0; i < o->n; i++)
		json_array_append_new(a, o->granted[i] >= 0 ?
			json_pack("{s:I, s:I, s:I}", "requested", (json_int_t)o->requested[i],
				  "granted", (json_int_t)o->granted[i], "pages",
				  (json_int_t)(o->granted[i] / page)) :
			json_pack("{s:I, s:o}", "requested", (json_int_t)o->requested[i],
				  "refused", errno_json(o->err[i])));
	return a;
}

static int rounding_emit(struct probe_ctx *ctx, const struct rounding *o, long long page,
			 long long max_size, const char *who, const char *how, long long uid)
{
	if (o->open_err[0])
		return probe_failed(ctx, "%s", o->open_err);
	if (o->n == 0 || o->requested[0] != 1 || o->granted[0] < 0)
		return probe_failed(ctx, "F_SETPIPE_SZ refused a request of 1 byte: %s (%s)",
				    o->n ? strerror(o->err[0]) : "not asked",
				    o->n ? errno_name(o->err[0]) : "-");
	struct rec *r = rec_new(ctx, "smallest_size");
	rec_value(r, (double)o->granted[0]);
	rec_fact(r, "requests", grants_json(o, page));
	rec_fact(r, "page_size", json_integer(page));
	rec_fact(r, "pipe_max_size", max_size >= 0 ? json_integer(max_size) : json_null());
	rec_fact(r, "process", json_string(who));
	rec_fact(r, "privilege_in_force", json_string(how));
	rec_fact(r, "uid", json_integer(uid));
	rec_emit(r);
	return PROBE_OK;
}

int run_setpipe_rounding(struct probe_ctx *ctx)
{
	long long page = sysconf(_SC_PAGESIZE);
	long long max_size = sysctl_read("/proc/sys/fs/pipe-max-size");
	struct rounding *o = calloc(1, sizeof(*o));
	char how[256];
	int rc;
	if (!o)
		return probe_failed(ctx, "out of memory for %zu bytes", sizeof(*o));
	o->tr = probe_transport(ctx);
	round_requests(o, page, max_size);
	if (!strcmp(param_str(ctx, "privilege"), "privileged")) {
		if (!priv_in_force(PRIV_CAP_SYS_RESOURCE, how, sizeof(how))) {
			free(o);
			return probe_unsupported(ctx, "privileged: this process lacks the privilege "
						 "that lifts pipe-max-size: %s", how);
		}
		round_fn(NULL, o, sizeof(*o));
		rc = rounding_emit(ctx, o, page, max_size, "privileged", how, (long long)getuid());
		free(o);
		return rc;
	}
	struct priv_child c = { .caps = PRIV_CAP_SYS_RESOURCE | PRIV_CAP_SYS_ADMIN,
				.uid = PRIV_NOBODY, .timeout_ns = 30LL * 1000000000 };
	rc = priv_run(&c, round_fn, NULL, o, sizeof(*o));
	rc = rc < 0 ? probe_failed(ctx, "%s", c.err) :
	     rc > 0 ? probe_unsupported(ctx, "unprivileged: the child could not give up the "
					"privilege (%s)", c.how) :
		      rounding_emit(ctx, o, page, max_size, "unprivileged", c.how, c.uid_in_child);
	free(o);
	return rc;
}
#else
int run_setpipe_rounding(struct probe_ctx *ctx)
{
	return probe_unsupported(ctx, "F_SETPIPE_SZ: not available on this platform (no such "
				      "fcntl): a pipe's size is the kernel's alone");
}
#endif

const struct metric_desc cap_m_rounding[] = {
	{ "smallest_size", "bytes", "none",
	  "what F_SETPIPE_SZ grants a request of 1 byte, the smallest pipe it makes; "
	  "facts.requests has what it granted (or refused, with the errno) for a few requests "
	  "between page sizes and powers of two and past /proc/sys/fs/pipe-max-size, each on a "
	  "fresh pipe" },
	{ NULL },
};

static const char *const privileges[] = { "unprivileged", "privileged", NULL };

const struct param_desc cap_p_rounding[] = {
	{ "privilege", PT_ENUM, "unprivileged", NULL, NULL, privileges,
	  "unprivileged: in a child without CAP_SYS_RESOURCE and CAP_SYS_ADMIN (root drops to "
	  "uid 65534); privileged: in the probe itself, unsupported unless it holds "
	  "CAP_SYS_RESOURCE, which lifts pipe-max-size" },
	{ NULL },
};
