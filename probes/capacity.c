/* capacity.c - how much a pipe, FIFO or socketpair holds before the writer blocks, measured by
 * filling it, and set beside what the OS says bounds it (F_GETPIPE_SZ; the sending socket's
 * SO_SNDBUF).  How a pipe is sized (F_SETPIPE_SZ, a user's pipe pages) is in its parts,
 * probes/capacity/. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "alloc.h"
#include "batch.h"
#include "capacity/cases.h"
#include "child.h"
#include "names.h"
#include "probe.h"
#include "sysinfo.h"
#include "timing.h"
#include "transport.h"

/* ---- helpers ----------------------------------------------------------------------------- */

struct fill {
	long long bytes;	/* accepted by the chunk-sized writes: the capacity */
	long long topped_up;	/* then by single-byte writes (a byte stream only; else -1) */
	long long chunk_writes;	/* chunk-sized writes that went in, whole or short */
	long long short_writes;	/* of them, those that went in short (a stream's last) */
	long long short_bytes;	/* the bytes those took */
	long long writes;	/* every successful write call, chunk-sized and single-byte */
	int ended_by;		/* errno of the refused chunk-sized write */
};

/* Write chunk-byte messages into fd (non-blocking) until the kernel refuses one: what those
 * got in is the capacity a writer of that size sees.  On a byte stream go on with 1-byte
 * writes, which may still fit where a whole chunk did not (the rest of a pipe's last page):
 * a figure of its own, topped_up.  Stops with ended_by = 0 past limit bytes. */
static void fill(int fd, size_t chunk, int stream, long long limit, struct fill *f)
{
	static char buf[1 << 20];
	ssize_t n;
	memset(f, 0, sizeof(*f));
	f->topped_up = stream ? 0 : -1;
	while (f->bytes <= limit) {
		n = write(fd, buf, chunk);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			f->ended_by = errno;
			break;
		}
		f->bytes += n;
		f->chunk_writes++;
		if ((size_t)n < chunk) {
			f->short_writes++;
			f->short_bytes += n;
		}
	}
	f->writes = f->chunk_writes;
	if (!stream || chunk == 1 || f->ended_by == 0)
		return;
	while (f->bytes + f->topped_up <= limit && (n = write(fd, buf, 1)) == 1) {
		f->topped_up++;
		f->writes++;
	}
}

/* The bytes fd holds in all: the chunk-sized writes' and the single bytes after them. */
static long long fill_total(const struct fill *f)
{
	return f->bytes + (f->topped_up > 0 ? f->topped_up : 0);
}

/* Open a pair with side 0's write end non-blocking; PROBE_OK or the record already emitted. */
static int open_nonblocking(struct probe_ctx *ctx, struct tr_pair *p)
{
	char err[512];
	if (tr_open(probe_transport(ctx), p, err, sizeof(err)) < 0)
		return probe_failed(ctx, "%s", err);
	if (tr_set_nonblock(p->end[0].wfd, 1) < 0) {
		int e = errno;
		tr_close(p);
		return probe_failed(ctx, "fcntl(O_NONBLOCK): %s (%d)", strerror(e), e);
	}
	return PROBE_OK;
}

/* A socket's buffers beside its capacity: the sender's SO_SNDBUF (the OS figure) bounds it,
 * the receiver's SO_RCVBUF is only shown.  What the writes got in (all of them, single bytes
 * too) falls short of SO_SNDBUF by what the kernel charged for each queued buffer beyond its
 * data: said per write. */
static void sockbuf_facts(struct rec *r, const struct tr_oscap *os, const struct fill *f)
{
	rec_fact(r, "so_sndbuf", json_integer(os->sndbuf));
	rec_fact(r, "so_rcvbuf_receiver", json_integer(os->rcvbuf));
	long long in = fill_total(f);
	if (os->value <= in || f->writes == 0)
		return;
	json_t *gap = json_pack("{s:I, s:f}", "bytes", (json_int_t)(os->value - in),
				"per_write", (double)(os->value - in) / (double)f->writes);
#ifdef __linux__	/* how Linux accounts AF_UNIX data; other kernels are not described here */
	json_object_set_new(gap, "why", json_string(
		"each queued write is charged to the sender's SO_SNDBUF at its allocated size (the "
		"data, rounded up, plus the kernel's per-packet bookkeeping), not at its length"));
#endif
	rec_fact(r, "sndbuf_not_filled", gap);
}

/* How the fill went: the writes, and on a byte stream the single bytes that still went in
 * after a chunk was refused (not part of the capacity: no writer of chunk bytes gets them). */
static void fill_facts(struct rec *r, const struct fill *f)
{
	rec_fact(r, "chunk_writes", json_integer(f->chunk_writes));
	rec_fact(r, "short_writes", json_pack("{s:I, s:I}", "count", (json_int_t)f->short_writes,
					      "bytes", (json_int_t)f->short_bytes));
	rec_fact(r, "ended_by", json_string(errno_name(f->ended_by)));
	rec_fact(r, "topped_up_bytes", f->topped_up >= 0 ? json_integer(f->topped_up) :
							   json_null());
	rec_fact(r, "total_bytes", json_integer(fill_total(f)));
	rec_fact(r, "writes", json_integer(f->writes));
}

/* Fill p from side 0 and emit the capacity record (and, for datagrams, the messages record),
 * with what the OS reports beside it.  extra (may be NULL) is merged into the facts. */
static int fill_and_report(struct probe_ctx *ctx, struct tr_pair *p, json_t *extra)
{
	const struct transport *tr = p->tr;
	size_t chunk = (size_t)param_int(ctx, "chunk");
	long long limit = param_int(ctx, "limit");
	int stream = (tr->caps & TR_STREAM) != 0;
	struct tr_oscap os = { 0 };
	char oserr[256] = "";
	int have_os = tr->oscap && tr->oscap(p, &os, oserr, sizeof(oserr)) == 0;
	if (!tr->oscap)
		snprintf(oserr, sizeof(oserr), "%s reports no capacity", tr->name);

	struct fill f;
	fill(p->end[0].wfd, chunk, stream, limit, &f);
	if (f.ended_by == 0) {
		json_decref(extra);
		return probe_failed(ctx, "accepted %lld bytes without refusing a write; stopped at "
					 "the limit (raise the limit parameter to go on)", f.bytes);
	}
	if (f.ended_by != EAGAIN && f.ended_by != EWOULDBLOCK && f.ended_by != ENOBUFS) {
		json_decref(extra);
		return probe_failed(ctx, "write(%zu bytes) after %lld bytes: %s (%d), not EAGAIN",
				    chunk, f.bytes, strerror(f.ended_by), f.ended_by);
	}
	struct rec *r = rec_new(ctx, "capacity");
	rec_value(r, (double)f.bytes);
	if (have_os)
		rec_os_reported(r, os.source, (double)os.value);
	else
		rec_fact(r, "os_reported_unavailable", json_string(oserr));
	fill_facts(r, &f);
	if (have_os && os.sndbuf >= 0)
		sockbuf_facts(r, &os, &f);
	const char *key;
	json_t *v;
	json_object_foreach(extra, key, v)
		rec_fact(r, key, json_incref(v));
	rec_emit(r);
	if (!stream) {
		r = rec_new(ctx, "messages");
		rec_value(r, (double)f.chunk_writes);
		rec_fact(r, "message_size", json_integer((json_int_t)chunk));
		rec_emit(r);
	}
	json_decref(extra);
	return PROBE_OK;
}

/* ---- cases ------------------------------------------------------------------------------- */

static int run_fill_nonblocking(struct probe_ctx *ctx)
{
	struct tr_pair p;
	int rc = open_nonblocking(ctx, &p);
	if (rc != PROBE_OK)
		return rc;
	rc = fill_and_report(ctx, &p, NULL);
	tr_close(&p);
	return rc;
}

/* The most an unprivileged process may ask for, and where that limit comes from. */
static long long unprivileged_max(const struct transport *tr, const char **source)
{
	if (tr->caps & TR_PIPESZ) {
		*source = "/proc/sys/fs/pipe-max-size";
		return sysctl_read(*source);
	}
	*source = "/proc/sys/net/core/wmem_max";
	long long w = sysctl_read(*source);
	long long r = sysctl_read("/proc/sys/net/core/rmem_max");
	if (w >= 0 && r >= 0 && r < w) {
		*source = "/proc/sys/net/core/rmem_max";
		return r;
	}
	return w;
}

static int run_fill_raised(struct probe_ctx *ctx)
{
	const struct transport *tr = probe_transport(ctx);
	const char *source;
	char err[512];
	if (!tr->setcap)
		return probe_unsupported(ctx, "%s: its capacity cannot be changed", tr->name);
	long long want = unprivileged_max(tr, &source);
	if (want < 0)
		return probe_unsupported(ctx, "%s: cannot read %s, so the unprivileged maximum is "
					      "unknown here", tr->name, source);
	struct tr_pair p;
	int rc = open_nonblocking(ctx, &p);
	if (rc != PROBE_OK)
		return rc;
	long long granted = tr->setcap(&p, want, err, sizeof(err));
	if (granted < 0) {
		tr_close(&p);
		return errno == ENOSYS || strstr(err, "not available") ?
			       probe_unsupported(ctx, "%s", err) :
			       probe_failed(ctx, "%s", err);
	}
	/* requested and granted are one and the same buffer: what was asked for it, what the
	 * OS reports back for it (Linux doubles a socket buffer's request) */
	rc = fill_and_report(ctx, &p,
			     json_pack("{s:I, s:s, s:I, s:f, s:s, s:I}", "requested", (json_int_t)want,
				       "requested_as", tr->caps & TR_SOCKBUF ?
				       "setsockopt(SO_SNDBUF) on the sender and setsockopt(SO_RCVBUF) "
				       "on the receiver, each this value" : "fcntl(F_SETPIPE_SZ)",
				       "granted", (json_int_t)granted, "granted_over_requested",
				       (double)granted / (double)want, "limit_source", source,
				       "limit_value", (json_int_t)want));
	tr_close(&p);
	return rc;
}

static int run_pipe_buf(struct probe_ctx *ctx)
{
	struct tr_pair p;
	char err[512];
	if (tr_open(probe_transport(ctx), &p, err, sizeof(err)) < 0)
		return probe_failed(ctx, "%s", err);
	errno = 0;
	long v = fpathconf(p.end[0].wfd, _PC_PIPE_BUF);
	int e = errno;
	tr_close(&p);
	if (v < 0)
		return e ? probe_failed(ctx, "fpathconf(_PC_PIPE_BUF): %s (%d)", strerror(e), e) :
			   probe_unsupported(ctx, "fpathconf(_PC_PIPE_BUF): no limit reported");
	struct rec *r = rec_new(ctx, "pipe_buf");
	rec_value(r, (double)v);
	rec_os_reported(r, "PIPE_BUF (limits.h)", (double)PIPE_BUF);
	rec_fact(r, "source", json_string("fpathconf(_PC_PIPE_BUF)"));
	rec_emit(r);
	return PROBE_OK;
}

static long long queued(int fd)
{
	int n = 0;
	return ioctl(fd, FIONREAD, &n) < 0 ? -1 : n;
}

/* The writer: one blocking write of size bytes; then it reports, through the status pipe,
 * what write() returned and when (CLOCK_MONOTONIC, comparable with the parent's clock). */
static void blocking_writer(struct tr_pair *p, int status_fd, size_t size)
{
	char *buf = probe_alloc(size, "the writer's buffer (the size parameter)");
	memset(buf, 'w', size);
	p->tr->keep(p, 0);
	size_t done = 0;
	while (done < size) {
		ssize_t n = write(p->end[0].wfd, buf + done, size - done);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		done += (size_t)n;
	}
	int64_t report[2] = { (int64_t)done, now_ns() };
	if (write(status_fd, report, sizeof(report)) != (ssize_t)sizeof(report))
		_exit(3);
	_exit(done == size ? 0 : 1);
}

/* Wait until the bytes queued at fd stop growing for settle ns; returns them (or -1). */
static long long wait_until_blocked(int fd, int64_t settle)
{
	long long last = -1;
	int64_t since = now_ns();
	for (;;) {
		long long q = queued(fd);
		if (q < 0)
			return -1;
		if (q != last) {
			last = q;
			since = now_ns();
		} else if (now_ns() - since >= settle) {
			return q;
		}
		sleep_ns(1000000);
	}
}

/* Read up to size bytes from fd, until its end; how many came. */
static size_t read_up_to(int fd, size_t size)
{
	static char buf[1 << 16];
	size_t got = 0;
	while (got < size) {
		ssize_t n = read(fd, buf, sizeof(buf));
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		got += (size_t)n;
	}
	return got;
}

/* The two records: bytes queued when the writer blocked (beside what the OS reports, os may
 * be NULL) and the time from the first read until the writer's write() returned. */
static void emit_blocking(struct probe_ctx *ctx, long long before, const struct tr_oscap *os,
			  int64_t settle, size_t size, int64_t drain_ns)
{
	struct rec *r = rec_new(ctx, "bytes_before_block");
	rec_value(r, (double)before);
	if (os)
		rec_os_reported(r, os->source, (double)os->value);
#ifdef __linux__	/* how Linux admits a blocking socket writer's buffers */
	if (os && os->sndbuf >= 0 && before > os->value)
		rec_fact(r, "above_sndbuf", json_pack(
			"{s:I, s:s}", "bytes", (json_int_t)(before - os->value), "why",
			"a blocking writer gets its next buffer while what is charged to SO_SNDBUF is "
			"still below it, so the last buffer may go past SO_SNDBUF"));
#endif
	rec_fact(r, "settle_ns", json_integer(settle));
	rec_emit(r);
	r = rec_new(ctx, "drain_time");
	rec_value(r, (double)drain_ns);
	rec_fact(r, "bytes_after_block", json_integer((json_int_t)(size - (size_t)before)));
	/* one span: the first read to the writer's return (the clock's cost measured now, after
	 * it, so that nothing of it is in the span) */
	batch_interval_facts(r, 1, timer_overhead_ns());
	rec_emit(r);
}

static int run_blocking_writer(struct probe_ctx *ctx)
{
	size_t size = (size_t)param_int(ctx, "size");
	int64_t settle = param_int(ctx, "settle");
	struct tr_pair p;
	char err[512], what[64];
	int status[2], rc = PROBE_OK;
	if (tr_open(probe_transport(ctx), &p, err, sizeof(err)) < 0)
		return probe_failed(ctx, "%s", err);
	struct tr_oscap os = { 0 };
	int have_os = p.tr->oscap && p.tr->oscap(&p, &os, err, sizeof(err)) == 0;
	if (pipe(status) < 0) {
		rc = probe_failed(ctx, "pipe(): %s (%d)", strerror(errno), errno);
		goto close_pair;
	}
	pid_t pid = child_fork();
	if (pid < 0) {
		rc = probe_failed(ctx, "fork: %s (%d)", strerror(errno), errno);
		goto close_status;
	}
	if (pid == 0) {
		close(status[0]);
		blocking_writer(&p, status[1], size);
	}
	close(status[1]);
	status[1] = -1;
	p.tr->keep(&p, 1);

	long long before = wait_until_blocked(p.end[1].rfd, settle);
	if (before < 0) {
		rc = probe_failed(ctx, "ioctl(FIONREAD): %s (%d)", strerror(errno), errno);
		child_reap(pid, 0, NULL);
		goto close_status;
	}
	/* Now read everything; the writer's write() returns once the rest has gone in. */
	int64_t t0 = now_ns();
	size_t got = read_up_to(p.end[1].rfd, size);
	int64_t report[2] = { -1, 0 };
	ssize_t rn = read(status[0], report, sizeof(report));
	int st = child_reap(pid, 10LL * 1000000000, NULL);
	if (got != size || rn != (ssize_t)sizeof(report) || report[0] != (int64_t)size) {
		rc = probe_failed(ctx, "the reader got %zu of %zu bytes; the writer wrote %lld (%s)",
				  got, size, (long long)report[0],
				  child_status_str(st, what, sizeof(what)));
		goto close_status;
	}
	emit_blocking(ctx, before, have_os ? &os : NULL, settle, size, report[1] - t0);
close_status:
	close(status[0]);
	if (status[1] >= 0)
		close(status[1]);
close_pair:
	tr_close(&p);
	return rc;
}

/* ---- the tables -------------------------------------------------------------------------- */

static const struct metric_desc m_fill[] = {
	{ "capacity", "bytes", "none",
	  "bytes a non-blocking writer of chunk-byte writes got in before the kernel refused one "
	  "(EAGAIN), with nobody reading (a stream's last write may go in short: counted, "
	  "facts.short_writes); on a byte stream the single bytes that still fit after that are "
	  "facts.topped_up_bytes, not part of it (facts.total_bytes is both); beside it what "
	  "bounds it (F_GETPIPE_SZ; the sending socket's SO_SNDBUF)" },
	{ "messages", "count", "none", "datagrams of chunk bytes accepted before EAGAIN" },
	{ NULL },
};

static const struct param_desc p_fill[] = {
	{ "chunk", PT_SIZE, "4KiB", "1", "1MiB", NULL,
	  "bytes per write; on datagram transports the message size" },
	{ "limit", PT_SIZE, "256MiB", "4KiB", "4GiB", NULL,
	  "give up (failed) when this much went in without a refusal" },
	{ NULL },
};

static const struct metric_desc m_pipe_buf[] = {
	{ "pipe_buf", "bytes", "none",
	  "PIPE_BUF as fpathconf reports it for this pipe (writes up to it are atomic); the "
	  "limits.h constant beside it" },
	{ NULL },
};

static const struct param_desc p_none[] = { { NULL } };

static const struct metric_desc m_blocking[] = {
	{ "bytes_before_block", "bytes", "none",
	  "bytes queued when a single blocking write of size bytes, with no reader, stopped "
	  "making progress for settle" },
	{ "drain_time", "ns", "lower",
	  "from the reader's start until the writer's write() returned" },
	{ NULL },
};

static const struct param_desc p_blocking[] = {
	{ "size", PT_SIZE, "2MiB", "1", "1GiB", NULL, "bytes in the writer's one write()" },
	{ "settle", PT_DURATION, "100ms", "1ms", "10s", NULL,
	  "how long the queue must stay still to count the writer as blocked" },
	{ NULL },
};

static const struct case_desc cases[] = {
	{ "fill_nonblocking", "bytes (and datagrams) accepted before EAGAIN, at the default size",
	  m_fill, p_fill, TR_FILL, run_fill_nonblocking },
	{ "fill_raised", "the same, raised first as far as an unprivileged process may "
			 "(pipe-max-size; net.core.wmem_max/rmem_max)",
	  m_fill, p_fill, TR_FILL, run_fill_raised },
	{ "max_granted", "the largest size F_SETPIPE_SZ grants", cap_m_max, cap_p_max, TR_PIPESZ,
	  run_max_granted },
	{ "setpipe_rounding", "what F_SETPIPE_SZ grants for a few requests (rounding, and past "
			      "pipe-max-size), unprivileged or privileged", cap_m_rounding,
	  cap_p_rounding, TR_PIPESZ, run_setpipe_rounding },
	{ "pipe_user_pages", "what happens to an unprivileged user's pipes past "
			     "pipe-user-pages-soft", cap_m_user_pages, cap_p_user_pages, 0,
	  run_pipe_user_pages },
	{ "pipe_buf", "PIPE_BUF for this pipe", m_pipe_buf, p_none, TR_PIPESZ, run_pipe_buf },
	{ "blocking_writer", "what a blocking writer with no reader lives through", m_blocking,
	  p_blocking, TR_STREAM | TR_INQ, run_blocking_writer },
	{ NULL },
};

static const struct probe_desc capacity = {
	.name = "capacity",
	.help = "how much each transport holds before the writer blocks, measured and reported",
	.cases = cases,
};

int main(int argc, char **argv)
{
	return probe_main(argc, argv, &capacity);
}
