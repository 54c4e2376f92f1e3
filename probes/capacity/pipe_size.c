/* pipe_size.c - what F_SETPIPE_SZ makes of a request: the largest size it grants
 * (max_granted). */
#include <errno.h>
#include <string.h>
#include <unistd.h>

#include "cases.h"
#include "names.h"
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
