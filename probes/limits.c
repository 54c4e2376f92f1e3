/* limits.c - how large one message may be on each transport, found by trying, and what
 * happens just past the limit, beside every limit the OS reports.  Every search is bounded
 * in memory and says so when it stopped at its bound rather than at a limit. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ipc.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <stdint.h>
#include <unistd.h>

#include "alloc.h"
#include "child.h"
#include "cleanup.h"
#include "have.h"
#include "names.h"
#include "privilege.h"
#include "probe.h"
#include "sysinfo.h"
#include "timing.h"
#include "transport.h"

#ifdef HAVE_MQUEUE_H
#include <mqueue.h>
#endif
#ifdef HAVE_SYSV_MSG
#include <sys/msg.h>
#endif

/* ---- a bounded search -------------------------------------------------------------------- */

/* try(size, arg) returns 0 when size works, else an errno (or -1 for "did not arrive whole"). */
typedef int (*try_fn)(long long size, void *arg);

struct search {
	long long best;		/* largest size that worked, or 0 */
	long long first_bad;	/* smallest size that failed, or -1 */
	int bad_err;		/* what try() returned for first_bad */
	int steps;
	int bounded;		/* the bound was reached without a failure */
};

/* Double from lo until a size fails or bound is passed, then bisect between the last success
 * and the first failure. */
static void search(try_fn try, void *arg, long long lo, long long bound, struct search *s)
{
	memset(s, 0, sizeof(*s));
	s->first_bad = -1;
	long long good = 0, bad = -1;
	int bad_err = 0;
	for (long long n = lo; ; n = n * 2 > bound && n < bound ? bound : n * 2) {
		int e = try(n, arg);
		s->steps++;
		if (e) {
			bad = n;
			bad_err = e;
			break;
		}
		good = n;
		if (n >= bound)
			break;
	}
	while (bad > 0 && bad - good > 1) {
		long long mid = good + (bad - good) / 2;
		int e = try(mid, arg);
		s->steps++;
		if (e) {
			bad = mid;
			bad_err = e;
		} else {
			good = mid;
		}
	}
	s->best = good;
	s->first_bad = bad;
	s->bad_err = bad_err;
	s->bounded = bad < 0;
}

static void search_facts(struct rec *r, const struct search *s, long long bound)
{
	rec_fact(r, "search", json_pack("{s:I, s:o, s:i, s:I, s:b}", "largest_ok", s->best,
					"first_failing",
					s->first_bad >= 0 ? json_integer(s->first_bad) : json_null(),
					"steps", s->steps, "bound", bound, "bounded", s->bounded));
	if (s->bounded)
		rec_fact(r, "past_limit", json_pack("{s:s}", "behaviour",
						    "not reached: the search stopped at its bound"));
	else if (s->bad_err > 0)
		rec_fact(r, "past_limit", errno_json(s->bad_err));
	else
		rec_fact(r, "past_limit", json_pack("{s:s}", "behaviour",
						    "did not arrive whole (truncated or split)"));
}

/* ---- pipe_atomic ------------------------------------------------------------------------- */

/* Every byte a writer writes says whose it is: the writer's number in its low 6 bits, and
 * in its top 2 bits a pattern of the record's sequence number and the byte's offset.  The
 * reader follows each writer's bytes in order (a pipe keeps one writer's bytes in order), so
 * it knows the record and offset of every byte it reads, catches one lost or out of place,
 * and sees exactly which records had another writer's bytes inside them. */
#define MAX_WRITERS 64

static unsigned char tagged_byte(int w, long seq, size_t off)
{
	unsigned long mix = (unsigned long)seq * 2654435761u + (unsigned long)off * 40503u;
	return (unsigned char)((unsigned)w | (unsigned)((mix >> 13) & 3) << 6);
}

/* Writer w writes n records of size bytes, each in one write() call when the kernel takes it
 * whole; the loop finishes a write the kernel cut short. */
static void atomic_writer(int fd, int w, size_t size, long n)
{
	unsigned char *buf = probe_alloc(size, "a writer's record (the sizes parameter)");
	for (long i = 0; i < n; i++) {
		for (size_t b = 0; b < size; b++)
			buf[b] = tagged_byte(w, i, b);
		size_t done = 0;
		while (done < size) {
			ssize_t k = write(fd, buf + done, size - done);
			if (k < 0 && errno == EINTR)
				continue;
			if (k <= 0)
				_exit(3);
			done += (size_t)k;
		}
	}
	_exit(0);
}

/* What the reader found in one trial. */
struct tear_count {
	long records;		/* complete records read */
	long torn;		/* records with another writer's bytes between their first and last */
	long bad_bytes;		/* bytes that are not what their writer wrote at that place */
	long reads;		/* read() calls */
	size_t read_min, read_max;	/* the sizes asked of read() */
};

/* Where each writer's next byte belongs: its record, the offset in it, whether it tore. */
struct writer_pos {
	long seq;
	size_t off;
	int torn;
};

/* Account for n bytes read; prev is the writer of the byte read before buf[0] (-1: none). */
static void tear_scan(const unsigned char *buf, size_t n, size_t size, int writers,
		      struct writer_pos *pos, int *prev, struct tear_count *c)
{
	for (size_t i = 0; i < n; i++) {
		int w = buf[i] & 63;
		if (w >= writers) {
			c->bad_bytes++;
			*prev = -1;
			continue;
		}
		struct writer_pos *p = &pos[w];
		if (buf[i] != tagged_byte(w, p->seq, p->off))
			c->bad_bytes++;
		if (p->off > 0 && *prev != w)
			p->torn = 1;	/* someone else's bytes came inside this record */
		*prev = w;
		if (++p->off == size) {
			c->records++;
			c->torn += p->torn;
			p->torn = 0;
			p->off = 0;
			p->seq++;
		}
	}
}

/* Read fd to its end in varied amounts (1 byte to twice the record size, at most 64 KiB,
 * from a fixed pseudo-random sequence), so that room frees up in the pipe at any offset and
 * a writer blocked in the middle of a write can be overtaken. */
static void tear_read(int fd, size_t size, int writers, struct tear_count *c)
{
	static unsigned char buf[1 << 16];
	struct writer_pos pos[MAX_WRITERS] = { { 0 } };
	int prev = -1;
	size_t most = 2 * size < sizeof(buf) ? 2 * size : sizeof(buf);
	uint32_t x = 2463534242u;
	memset(c, 0, sizeof(*c));
	c->read_min = SIZE_MAX;
	for (;;) {
		x ^= x << 13, x ^= x >> 17, x ^= x << 5;	/* xorshift32 */
		size_t want = 1 + x % most;
		ssize_t k = read(fd, buf, want);
		if (k < 0 && errno == EINTR)
			continue;
		if (k <= 0)
			break;
		c->reads++;
		c->read_min = want < c->read_min ? want : c->read_min;
		c->read_max = want > c->read_max ? want : c->read_max;
		tear_scan(buf, (size_t)k, size, writers, pos, &prev, c);
	}
}

/* Run writers concurrently into one pipe of tr and read what they wrote. */
static int interleavings(const struct transport *tr, size_t size, int writers, long n,
			 struct tear_count *c, char *err, size_t el)
{
	struct tr_pair p;
	pid_t pids[MAX_WRITERS];
	if (tr_open(tr, &p, err, el) < 0)
		return -1;
	for (int w = 0; w < writers; w++) {
		pids[w] = child_fork();
		if (pids[w] == 0) {
			close(p.end[1].rfd);
			atomic_writer(p.end[0].wfd, w, size, n);
		}
	}
	close(p.end[0].wfd);
	p.end[0].wfd = -1;
	tear_read(p.end[1].rfd, size, writers, c);
	int failed = 0;
	for (int w = 0; w < writers; w++)
		failed |= pids[w] < 0 || child_reap(pids[w], 10LL * 1000000000, NULL) != 0;
	tr_close(&p);
	if (failed || c->records != (long)writers * n) {
		snprintf(err, el, "%zu-byte records: read %ld of %ld whole%s", size, c->records,
			 (long)writers * n, failed ? "; a writer failed" : "");
		return -1;
	}
	return 0;
}

static int cmp_size(const void *a, const void *b)
{
	size_t x = *(const size_t *)a, y = *(const size_t *)b;
	return (x > y) - (x < y);
}

/* The sizes to try, ascending: the sizes parameter ("4KiB,4097,8KiB"), or with "auto"
 * PIPE_BUF/2, PIPE_BUF, PIPE_BUF+1, 2 and 16 times PIPE_BUF.  Returns the count, or -1. */
static int atomic_sizes(const char *text, long pipe_buf, size_t *out, int max, char *err,
			size_t el)
{
	int n = 0;
	if (!strcmp(text, "auto")) {
		size_t pb = (size_t)pipe_buf;
		size_t def[] = { pb / 2, pb, pb + 1, 2 * pb, 16 * pb };
		for (n = 0; n < 5; n++)
			out[n] = def[n];
		return n;
	}
	char copy[512];
	snprintf(copy, sizeof(copy), "%s", text);
	for (char *save = NULL, *t = strtok_r(copy, ",", &save); t; t = strtok_r(NULL, ",", &save)) {
		int64_t v;
		char e[128];
		if (n == max || parse_size(t, &v, e, sizeof(e)) < 0 || v < 1 || v > (16 << 20)) {
			snprintf(err, el, "sizes: \"%s\": %s", t, n == max ? "too many sizes" :
				 "expected sizes from 1 B to 16 MiB, comma-separated, or auto");
			return -1;
		}
		out[n++] = (size_t)v;
	}
	if (n == 0)
		snprintf(err, el, "sizes: no size in \"%s\"", text);
	qsort(out, (size_t)n, sizeof(*out), cmp_size);
	return n ? n : -1;
}

static json_t *trial_json(size_t size, const struct tear_count *c)
{
	return json_pack("{s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I}", "size", (json_int_t)size,
			 "records", (json_int_t)c->records, "torn", (json_int_t)c->torn, "intact",
			 (json_int_t)(c->records - c->torn), "bad_bytes", (json_int_t)c->bad_bytes,
			 "reads", (json_int_t)c->reads, "read_min", (json_int_t)c->read_min,
			 "read_max", (json_int_t)c->read_max);
}

static int run_pipe_atomic(struct probe_ctx *ctx)
{
	const struct transport *tr = probe_transport(ctx);
	int writers = (int)param_int(ctx, "writers");
	long n = (long)param_int(ctx, "records");
	struct tr_pair p;
	char err[512];
	size_t sizes[16];
	if (tr_open(tr, &p, err, sizeof(err)) < 0)
		return probe_failed(ctx, "%s", err);
	long pipe_buf = fpathconf(p.end[0].wfd, _PC_PIPE_BUF);
	tr_close(&p);
	if (pipe_buf <= 0)
		return probe_unsupported(ctx, "fpathconf(_PC_PIPE_BUF) gives no limit here");
	int nsizes = atomic_sizes(param_str(ctx, "sizes"), pipe_buf, sizes, 16, err, sizeof(err));
	if (nsizes < 0)
		return probe_failed(ctx, "%s", err);
	json_t *trials = json_array();
	long long largest = 0, first_torn = -1;
	for (int i = 0; i < nsizes; i++) {
		struct tear_count c;
		if (interleavings(tr, sizes[i], writers, n, &c, err, sizeof(err)) < 0) {
			json_decref(trials);
			return probe_failed(ctx, "%s", err);
		}
		if (c.bad_bytes) {
			json_decref(trials);
			return probe_failed(ctx, "%zu-byte records: %ld bytes were not what their "
					    "writer wrote there (lost or reordered)", sizes[i],
					    c.bad_bytes);
		}
		json_array_append_new(trials, trial_json(sizes[i], &c));
		if (c.torn && first_torn < 0)
			first_torn = (long long)sizes[i];
		if (!c.torn && first_torn < 0)
			largest = (long long)sizes[i];
	}
	struct rec *r = rec_new(ctx, "atomic_write_max");
	rec_value(r, (double)largest);
	rec_os_reported(r, "fpathconf(_PC_PIPE_BUF)", (double)pipe_buf);
	rec_fact(r, "pipe_buf_constant", json_integer(PIPE_BUF));
	rec_fact(r, "first_size_torn", first_torn >= 0 ? json_integer(first_torn) : json_null());
	rec_fact(r, "trials", trials);
	rec_fact(r, "past_limit",
		 first_torn >= 0 ?
			 json_pack("{s:s}", "behaviour", "writes split, with other writers' bytes "
							 "inside a record") :
			 json_pack("{s:s}", "behaviour", "no record torn in these trials "
							 "(evidence, not proof)"));
	rec_emit(r);
	return PROBE_OK;
}

/* ---- max_datagram ------------------------------------------------------------------------ */

struct dgram_try {
	struct tr_pair *p;
	char *out, *in;
};

/* Send one message of size bytes from side 0 and receive it on side 1, whole. */
static int try_dgram(long long size, void *arg)
{
	struct dgram_try *d = arg;
	size_t n = (size_t)size;
	for (size_t i = 0; i < n; i += 4093)
		d->out[i] = (char)(i / 4093 + size);
	ssize_t k = d->p->tr->send(&d->p->end[0], d->out, n);
	if (k < 0)
		return errno == EAGAIN ? EAGAIN : errno;
	if ((size_t)k != n)
		return -1;
	ssize_t got = d->p->tr->recv(&d->p->end[1], d->in, n + 1);
	if (got != k || memcmp(d->in, d->out, n) != 0)
		return -1;
	return 0;
}

/* What bounds the largest datagram, set beside it: for an IPv4 datagram, the packet; when
 * the send was refused as too long (EMSGSIZE), the sending socket's SO_SNDBUF, with the
 * bytes of it a datagram cannot use; when the kernel could not allocate the buffer for one
 * datagram (ENOBUFS), that allocation, which no setting reports: SO_SNDBUF is then only a
 * fact beside it, never the OS figure. */
static void dgram_bound(struct rec *r, const struct transport *tr, const struct search *s,
			const struct tr_oscap *os)
{
	char why[512];
	if (tr->caps & TR_IPV4DGRAM) {
		rec_os_reported(r, "IPv4 packet: 65535 less the IP (20) and UDP (8) headers",
				(double)tr_max_msg(tr, why, sizeof(why)));
	} else if (os && !s->bounded && s->bad_err == EMSGSIZE) {
		rec_os_reported(r, "SO_SNDBUF of the sending socket", (double)os->sndbuf);
		rec_fact(r, "sndbuf_unusable", json_pack(
			"{s:I, s:s}", "bytes", (json_int_t)(os->sndbuf - s->best), "why",
			"SO_SNDBUF less the largest datagram: what the kernel keeps back of the "
			"sender's buffer for the datagram's own bookkeeping"));
	} else if (os && !s->bounded && s->bad_err == ENOBUFS) {
		rec_fact(r, "limit_set_by", json_string(
			"the largest buffer the kernel allocates for one datagram: the send past it "
			"failed with ENOBUFS (no buffer space), not EMSGSIZE (too long for "
			"SO_SNDBUF); no setting reports this bound"));
	}
	if (os) {
		rec_fact(r, "so_sndbuf", json_integer(os->sndbuf));
		rec_fact(r, "so_rcvbuf", json_integer(os->rcvbuf));
	}
}

/* Raise the pair's buffers to net.core.wmem_max; the request and what getsockopt() reports
 * back for the same buffer go into facts (Linux reports twice the request). */
static int dgram_raise(struct probe_ctx *ctx, struct tr_pair *p, json_t **facts)
{
	const struct transport *tr = p->tr;
	char err[512];
	long long wmem_max = sysctl_read("/proc/sys/net/core/wmem_max");
	if (!tr->setcap || wmem_max < 0)
		return probe_unsupported(ctx, "%s: its buffers cannot be raised here%s", tr->name,
					 wmem_max < 0 ? " (no net.core.wmem_max)" : "");
	long long granted = tr->setcap(p, wmem_max, err, sizeof(err));
	if (granted < 0)
		return probe_failed(ctx, "%s", err);
	*facts = json_pack("{s:I, s:s, s:I, s:f}", "requested", (json_int_t)wmem_max,
			   "requested_as", "setsockopt(SO_SNDBUF) and setsockopt(SO_RCVBUF), each "
			   "this value (net.core.wmem_max)", "granted_so_sndbuf", (json_int_t)granted,
			   "granted_over_requested", (double)granted / (double)wmem_max);
	return PROBE_OK;
}

static int run_max_datagram(struct probe_ctx *ctx)
{
	const struct transport *tr = probe_transport(ctx);
	long long bound = param_int(ctx, "limit");
	struct tr_pair p;
	json_t *raised = NULL;
	char err[512];
	if (tr_open(tr, &p, err, sizeof(err)) < 0)
		return probe_failed(ctx, "%s", err);
	tr_set_nonblock(p.end[0].wfd, 1);	/* a send that would block is an answer, not a hang */
	tr_set_nonblock(p.end[1].rfd, 1);
	int rc = param_int(ctx, "raise") ? dgram_raise(ctx, &p, &raised) : PROBE_OK;
	if (rc != PROBE_OK) {
		tr_close(&p);
		return rc;
	}
	struct tr_oscap os = { 0 };
	int have_os = tr->oscap && tr->oscap(&p, &os, err, sizeof(err)) == 0 && os.sndbuf >= 0;
	const char *what = "a datagram buffer (the limit parameter: lower it)";
	struct dgram_try d = { .p = &p, .out = probe_alloc((size_t)bound + 1, what),
			       .in = probe_alloc((size_t)bound + 2, what) };
	struct search s;
	search(try_dgram, &d, 1, bound, &s);
	free(d.out);
	free(d.in);
	tr_close(&p);
	struct rec *r = rec_new(ctx, "max_datagram");
	rec_value(r, (double)s.best);
	dgram_bound(r, tr, &s, have_os ? &os : NULL);
	const char *key;
	json_t *v;
	json_object_foreach(raised, key, v)
		rec_fact(r, key, json_incref(v));
	json_decref(raised);
	search_facts(r, &s, bound);
	rec_emit(r);
	return PROBE_OK;
}

/* ---- posix_mq ---------------------------------------------------------------------------- */

#ifdef HAVE_MQUEUE_H
struct mq_try {
	int field;	/* 0: msgsize with maxmsg 1; 1: maxmsg with msgsize 1 */
};

static int try_mq(long long v, void *arg)
{
	struct mq_try *t = arg;
	struct mq_attr a = { .mq_maxmsg = t->field ? (long)v : 1, .mq_msgsize = t->field ? 1 : (long)v };
	char name[96];
	mqd_t q = mq_open(ipc_name(name, sizeof(name)), O_RDWR | O_CREAT | O_EXCL, 0600, &a);
	if (q == (mqd_t)-1)
		return errno;
	mq_unlink(name);
	mq_close(q);
	return 0;
}

/* Search both limits in this process: the two sizes, their errnos, and whether each search
 * stopped at its bound, into out[0..5]. */
static void mq_limits(long long bound_size, long long bound_count, long long out[6])
{
	struct search s;
	struct mq_try t = { 0 };
	search(try_mq, &t, 1, bound_size, &s);
	out[0] = s.best, out[1] = s.bounded ? 0 : s.bad_err, out[4] = s.bounded;
	t.field = 1;
	search(try_mq, &t, 1, bound_count, &s);
	out[2] = s.best, out[3] = s.bounded ? 0 : s.bad_err, out[5] = s.bounded;
}

/* Whether the privilege that lifts mq_open's limits is in force: CAP_SYS_RESOURCE, which
 * exempts a process from the mqueue sysctls and lets it raise RLIMIT_MSGQUEUE. */
static int mq_privileged(char *how, size_t hl)
{
	return priv_in_force(PRIV_CAP_SYS_RESOURCE, how, hl);
}

struct mq_bounds {
	long long size, count;
};

static void mq_limits_fn(void *arg, void *out, size_t outlen)
{
	const struct mq_bounds *b = arg;
	(void)outlen;
	mq_limits(b->size, b->count, out);
}

/* The same in a child without the privilege (root drops to uid/gid 65534, which clears its
 * capabilities: privilege.h).  1 when it still had the privilege, -1 when it did not report;
 * how says what was in force there. */
static int mq_limits_unprivileged(long long bs, long long bc, long long out[6], char *how,
				  size_t hl)
{
	struct mq_bounds b = { bs, bc };
	struct priv_child c = { .caps = PRIV_CAP_SYS_RESOURCE, .uid = PRIV_NOBODY,
				.timeout_ns = 30LL * 1000000000 };
	int rc = priv_run(&c, mq_limits_fn, &b, out, 6 * sizeof(long long));
	snprintf(how, hl, "%s", rc < 0 ? c.err : c.how);
	return rc;
}

static void mq_emit(struct probe_ctx *ctx, const char *metric, long long v, long long err,
		    long long bounded, const char *sysctl, const char *who, const char *how,
		    int lifted, long long bound)
{
	struct rec *r = rec_new(ctx, metric);
	long long os = sysctl_read(sysctl);
	rec_value(r, (double)v);
	if (os >= 0)
		rec_os_reported(r, sysctl, (double)os);
	rec_fact(r, "process", json_string(who));
	rec_fact(r, "privilege_in_force", json_string(how));
	if (lifted >= 0)
		rec_fact(r, "rlimit_msgqueue_lifted", json_boolean(lifted));
	rec_fact(r, "bound", json_integer(bound));
	rec_fact(r, "past_limit", bounded ? json_pack("{s:s}", "behaviour", "not reached: the "
						      "search stopped at its bound") :
					    errno_json((int)err));
	rec_emit(r);
}

/* When not even a queue of one 1-byte message can be made, there is no limit to measure: a
 * 0 would read as "the limit is 0 bytes".  Say why instead: a resource or permission that this
 * system withholds is `unsupported` here, anything else `failed`. */
static int mq_none_created(struct probe_ctx *ctx, const char *who, long long err)
{
	int e = (int)err;
	const char *meaning = e == ENOSPC ? ": the system allows no more queues "
					    "(/proc/sys/fs/mqueue/queues_max reached; 0 allows none)" :
			      e == EMFILE ? ": this process may open no more queues or descriptors" :
			      e == ENOMEM ? ": RLIMIT_MSGQUEUE or memory exhausted" :
			      e == ENOSYS ? ": POSIX message queues are not in this kernel" :
			      e == EACCES || e == EPERM ? ": not permitted here" : "";
	if (e == ENOSPC || e == EMFILE || e == ENOMEM || e == ENOSYS || e == EACCES || e == EPERM)
		return probe_unsupported(ctx, "%s: mq_open cannot create even a queue of one 1-byte "
					 "message: %s (%s)%s", who, strerror(e), errno_name(e),
					 meaning);
	return probe_failed(ctx, "%s: mq_open cannot create even a queue of one 1-byte message: "
			    "%s (%d)", who, strerror(e), e);
}

/* Root is exempt from the sysctls only with CAP_SYS_RESOURCE, which also lets it lift
 * RLIMIT_MSGQUEUE: lifted first, so the figure is the kernel's hard bound. */
static int mq_privileged_pass(struct probe_ctx *ctx, long long bs, long long bc)
{
	char how[256];
	long long p[6];
	if (!mq_privileged(how, sizeof(how)))
		return probe_unsupported(ctx, "privileged: this process lacks the privilege that "
				       "lifts mq_open's limits: %s, so it would measure the "
				       "unprivileged limits again", how);
	int lifted = 0;
#ifdef RLIMIT_MSGQUEUE	/* Linux only */
	struct rlimit rl = { RLIM_INFINITY, RLIM_INFINITY };
	lifted = setrlimit(RLIMIT_MSGQUEUE, &rl) == 0;
#endif
	mq_limits(bs, bc, p);
	if (p[0] == 0 || p[2] == 0)
		return mq_none_created(ctx, "privileged", p[0] == 0 ? p[1] : p[3]);
	mq_emit(ctx, "msgsize_max", p[0], p[1], p[4], "/proc/sys/fs/mqueue/msgsize_max",
		"privileged", how, lifted, bs);
	mq_emit(ctx, "maxmsg_max", p[2], p[3], p[5], "/proc/sys/fs/mqueue/msg_max",
		"privileged", how, lifted, bc);
	return PROBE_OK;
}
#endif

static int run_posix_mq(struct probe_ctx *ctx)
{
#ifdef HAVE_MQUEUE_H
	long long bs = param_int(ctx, "limit"), bc = param_int(ctx, "max_count");
	if (!strcmp(param_str(ctx, "privilege"), "privileged"))
		return mq_privileged_pass(ctx, bs, bc);
	long long u[6];
	char how[256];
	int rc = mq_limits_unprivileged(bs, bc, u, how, sizeof(how));
	if (rc < 0)
		return probe_failed(ctx, "the unprivileged child could not measure: %s", how);
	if (rc > 0)
		return probe_failed(ctx, "unprivileged: the child still holds the privilege after "
					 "dropping root (%s)", how);
	if (u[0] == 0 || u[2] == 0)
		return mq_none_created(ctx, "unprivileged", u[0] == 0 ? u[1] : u[3]);
	mq_emit(ctx, "msgsize_max", u[0], u[1], u[4], "/proc/sys/fs/mqueue/msgsize_max",
		"unprivileged", how, -1, bs);
	mq_emit(ctx, "maxmsg_max", u[2], u[3], u[5], "/proc/sys/fs/mqueue/msg_max",
		"unprivileged", how, -1, bc);
	return PROBE_OK;
#else
	return probe_unsupported(ctx, "POSIX message queues: <mqueue.h> does not exist on this "
				      "platform");
#endif
}

/* ---- sysv_msg ---------------------------------------------------------------------------- */

#ifdef HAVE_SYSV_MSG
struct msgbuf_any {
	long mtype;
	char mtext[];
};

static int new_queue(int key, void *arg)
{
	(void)arg;
	return msgget(key, IPC_CREAT | IPC_EXCL | 0600);
}

/* A queue of ours, or -1 with err said. */
static int sysv_queue(int *handle, char *err, size_t errlen)
{
	int id = ipc_key_create(new_queue, NULL, "sysv_msg", err, errlen);
	if (id >= 0)
		*handle = cleanup_add_id(CL_SYSV_MSG, id);
	else if (errno != EEXIST)
		snprintf(err, errlen, "msgget(IPC_CREAT): %s (%d)", strerror(errno), errno);
	return id;
}

struct sysv_try {
	int id;
	struct msgbuf_any *m;
};

static int try_sysv(long long size, void *arg)
{
	struct sysv_try *t = arg;
	t->m->mtype = 1;
	if (msgsnd(t->id, t->m, (size_t)size, IPC_NOWAIT) < 0)
		return errno;
	if (msgrcv(t->id, t->m, (size_t)size, 0, IPC_NOWAIT) != (ssize_t)size)
		return -1;
	return 0;
}
#endif

static int run_sysv_msg(struct probe_ctx *ctx)
{
#ifdef HAVE_SYSV_MSG
	long long bound = param_int(ctx, "limit");
	int h = -1;
	char err[256];
	int id = sysv_queue(&h, err, sizeof(err));
	if (id < 0)
		return probe_failed(ctx, "%s", err);
	struct sysv_try t = { .id = id, .m = probe_alloc(sizeof(long) + (size_t)bound,
							   "the message (the limit parameter: lower it)") };
	struct search s;
	search(try_sysv, &t, 1, bound, &s);
	struct rec *r = rec_new(ctx, "msgmax");
	rec_value(r, (double)s.best);
	long long v = sysctl_read("/proc/sys/kernel/msgmax");
	if (v >= 0)
		rec_os_reported(r, "/proc/sys/kernel/msgmax", (double)v);
	search_facts(r, &s, bound);
	rec_emit(r);

	/* msgmnb: fill the queue with IPC_NOWAIT, big messages first, then smaller, to the byte. */
	struct msqid_ds ds;
	msgctl(id, IPC_STAT, &ds);
	long long held = 0, msgs = 0, chunk = s.best > 0 ? s.best : 1;
	int last_err = 0;
	t.m->mtype = 1;
	while (chunk >= 1) {
		if (msgsnd(id, t.m, (size_t)chunk, IPC_NOWAIT) == 0) {
			held += chunk;
			msgs++;
			if (msgs > 10000000)
				break;
			continue;
		}
		last_err = errno;
		chunk /= 2;
	}
	r = rec_new(ctx, "msgmnb");
	rec_value(r, (double)held);
	rec_os_reported(r, "msg_qbytes (IPC_STAT)", (double)ds.msg_qbytes);
	v = sysctl_read("/proc/sys/kernel/msgmnb");
	if (v >= 0)
		rec_fact(r, "proc_msgmnb", json_integer(v));
	rec_fact(r, "messages", json_integer(msgs));
	rec_fact(r, "past_limit", errno_json(last_err));
	rec_emit(r);
	free(t.m);
	cleanup_remove(h);
	return PROBE_OK;
#else
	return probe_unsupported(ctx, "System V message queues do not exist on this platform");
#endif
}

/* ---- descriptors ------------------------------------------------------------------------- */

static int run_descriptors(struct probe_ctx *ctx)
{
	long long soft = param_int(ctx, "soft_limit"), max_fds = param_int(ctx, "max_fds");
	int fds[2];
	if (pipe(fds) < 0)
		return probe_failed(ctx, "pipe: %s", strerror(errno));
	pid_t pid = child_fork();
	if (pid == 0) {
		/* In a child: the probe's own limit and descriptors stay as they were. */
		close(fds[0]);
		struct rlimit rl;
		getrlimit(RLIMIT_NOFILE, &rl);
		long long hard = rl.rlim_max == RLIM_INFINITY ? -1 : (long long)rl.rlim_max;
		if (soft > 0) {
			rl.rlim_cur = (rlim_t)soft;
			if (setrlimit(RLIMIT_NOFILE, &rl) < 0)
				_exit(2);
		}
		getrlimit(RLIMIT_NOFILE, &rl);
		long long before = fds_open(), pipes = 0, limit = (long long)rl.rlim_cur;
		int e = 0;
		int bounded = 0;
		for (;;) {
			int p[2];
			if (2 * pipes + before + 2 > max_fds) {
				bounded = 1;
				break;
			}
			if (pipe(p) < 0) {
				e = errno;
				break;
			}
			pipes++;
		}
		long long v[6] = { pipes, e, before, limit, hard, bounded };
		_exit(write(fds[1], v, sizeof(v)) == (ssize_t)sizeof(v) ? 0 : 3);
	}
	close(fds[1]);
	long long v[6];
	ssize_t n = read(fds[0], v, sizeof(v));
	close(fds[0]);
	int st = child_reap(pid, 30LL * 1000000000, NULL);
	if (n != (ssize_t)sizeof(v) || st != 0)
		return probe_failed(ctx, "the child that opens pipes did not report (setrlimit to "
					 "%lld refused?)", soft);
	struct rec *r = rec_new(ctx, "pipes_before_error");
	rec_value(r, (double)v[0]);
	rec_os_reported(r, "RLIMIT_NOFILE (soft)", (double)v[3]);
	rec_fact(r, "fds_open_before", json_integer(v[2]));
	rec_fact(r, "rlimit_hard", v[4] >= 0 ? json_integer(v[4]) : json_null());
	rec_fact(r, "expected_from_limit", json_integer((v[3] - v[2]) / 2));
	rec_fact(r, "past_limit", v[5] ? json_pack("{s:s}", "behaviour", "not reached: stopped at "
							 "max_fds") :
					 errno_json((int)v[1]));
	long long fmax = sysctl_read("/proc/sys/fs/file-max");
	rec_fact(r, "file_max", fmax >= 0 ? json_integer(fmax) : json_null());
	rec_emit(r);
	return PROBE_OK;
}

/* ---- tables ------------------------------------------------------------------------------ */

static const struct metric_desc m_atomic[] = {
	{ "atomic_write_max", "bytes", "none",
	  "the largest of the sizes tried, below the first that tore, at which no record of "
	  "concurrent writers had another writer's bytes inside it; every byte is tagged with "
	  "its writer and the reader reads in varied amounts, so each torn record is counted "
	  "(facts.trials); none torn in N records is evidence, one is proof" },
	{ NULL },
};
static const struct param_desc p_atomic[] = {
	{ "writers", PT_INT, "4", "2", "64", NULL, "concurrent writer processes" },
	{ "records", PT_INT, "300", "1", "1000000", NULL, "records each writer writes per size" },
	{ "sizes", PT_STRING, "auto", NULL, NULL, NULL,
	  "record sizes to try, comma-separated (\"4KiB,4097,8KiB,64KiB\"); auto: PIPE_BUF/2, "
	  "PIPE_BUF, PIPE_BUF+1, 2 and 16 times PIPE_BUF" },
	{ NULL },
};
static const struct metric_desc m_dgram[] = {
	{ "max_datagram", "bytes", "none",
	  "the largest single message sent and received whole, by doubling then bisecting; "
	  "beside it what bounds it: the IPv4 packet (udp), the sender's SO_SNDBUF (EMSGSIZE), "
	  "or, named in facts.limit_set_by, the largest allocation for one datagram (ENOBUFS)" },
	{ NULL },
};
static const struct param_desc p_dgram[] = {
	{ "limit", PT_SIZE, "64MiB", "1KiB", "1GiB", NULL,
	  "the largest size tried (memory: twice this)" },
	{ "raise", PT_BOOL, "false", NULL, NULL, NULL,
	  "raise SO_SNDBUF/SO_RCVBUF to net.core.wmem_max first" },
	{ NULL },
};
static const struct metric_desc m_mq[] = {
	{ "msgsize_max", "bytes", "none",
	  "the largest mq_msgsize mq_open accepts (with mq_maxmsg 1)" },
	{ "maxmsg_max", "count", "none", "the largest mq_maxmsg mq_open accepts (with msgsize 1)" },
	{ NULL },
};
static const char *const privileges[] = { "unprivileged", "privileged", NULL };
static const struct param_desc p_mq[] = {
	{ "limit", PT_SIZE, "64MiB", "1KiB", "1GiB", NULL, "the largest msgsize tried" },
	{ "max_count", PT_INT, "1048576", "1", "100000000", NULL, "the largest maxmsg tried" },
	{ "privilege", PT_ENUM, "unprivileged", NULL, NULL, privileges,
	  "unprivileged: in a child without CAP_SYS_RESOURCE (root drops to uid 65534); "
	  "privileged: in the probe itself, with RLIMIT_MSGQUEUE lifted, unsupported unless it "
	  "holds CAP_SYS_RESOURCE (euid 0 where there are no capabilities)" },
	{ NULL },
};
static const struct metric_desc m_sysv[] = {
	{ "msgmax", "bytes", "none", "the largest message msgsnd accepts" },
	{ "msgmnb", "bytes", "none", "bytes one queue holds before msgsnd(IPC_NOWAIT) fails" },
	{ NULL },
};
static const struct param_desc p_sysv[] = {
	{ "limit", PT_SIZE, "16MiB", "1KiB", "1GiB", NULL, "the largest message tried" },
	{ NULL },
};
static const struct metric_desc m_fd[] = {
	{ "pipes_before_error", "count", "none",
	  "pipe() calls that succeeded before the first error, in a child under the limit" },
	{ NULL },
};
static const struct param_desc p_fd[] = {
	{ "soft_limit", PT_INT, "256", "0", "1048576", NULL,
	  "RLIMIT_NOFILE soft limit to set first; 0 keeps the one in force" },
	{ "max_fds", PT_INT, "65536", "16", "16777216", NULL,
	  "stop (and say so) after this many descriptors" },
	{ NULL },
};

static const struct case_desc cases[] = {
	{ "pipe_atomic", "the write size up to which concurrent writes do not interleave",
	  m_atomic, p_atomic, TR_PIPESZ, run_pipe_atomic },
	{ "max_datagram", "the largest datagram that goes through whole, and what comes past it",
	  m_dgram, p_dgram, TR_DGRAM | TR_FD, run_max_datagram },
	{ "posix_mq", "the largest mq_msgsize and mq_maxmsg, unprivileged or privileged "
		      "(CAP_SYS_RESOURCE)", m_mq, p_mq, TR_MQATTR, run_posix_mq },
	{ "sysv_msg", "msgmax and msgmnb, measured by sending", m_sysv, p_sysv, TR_SYSVMSGQ,
	  run_sysv_msg },
	{ "descriptors", "how many pipes a process opens before the error, and which error", m_fd,
	  p_fd, 0, run_descriptors },
	{ NULL },
};

static const struct probe_desc limits = {
	.name = "limits",
	.help = "how large one message may be on each transport, and what happens past it",
	.cases = cases,
};

int main(int argc, char **argv)
{
	return probe_main(argc, argv, &limits);
}
