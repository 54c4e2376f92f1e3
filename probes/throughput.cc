/* throughput.cc - the throughput probe family: bytes per second through a transport in one
 * direction, with the receiver counting (and, on request, checking) what arrives, timed under
 * Google Benchmark; and the floor for it at each chunk size, memcpy bandwidth with the
 * stream's working set. */
#include <atomic>
#include <cerrno>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <new>
#include <string>
#include <vector>

#include <poll.h>
#include <sys/mman.h>
#include <unistd.h>

#include "affinity.h"
#include "batch.h"
#include "child.h"
#include "probe.h"
#include "timing.h"
#include "transport.h"
#include "xfer.h"
#include "gbench.h"

#define REAP_TIMEOUT_NS (5 * 1000000000LL)
#define STALL_NS (5 * 1000000000LL)
#define TAG_BYTES 8

extern const struct probe_desc throughput_desc;

/* Shared by sender and receiver: how far the receiver got, and its verdict. */
struct shared {
	std::atomic<uint64_t> progress;
	std::atomic<int> failed;
	char err[1024];
};

struct session {
	struct probe_ctx *ctx;
	const struct transport *tr;
	struct tr_pair pair;
	size_t chunk;
	bool verify;
	const char *placement;
	int cpus[2];
	struct shared *sh;
	pid_t child;
	int cmd[2], res[2];	/* pipes: byte counts to the receiver, its counts back */
	std::vector<unsigned char> buf, pattern;
	/* the latest Google Benchmark run */
	uint64_t bytes, chunks;
	double seconds;
	char err[2048];
};

static void peer_fail(struct shared *sh, const char *msg)
{
	if (sh->failed.load())
		return;	/* the first failure is the one worth reporting */
	snprintf(sh->err, sizeof(sh->err), "receiver: %s", msg);
	sh->failed.store(1);
}

/* Compare n received bytes at stream offset off with what the sender sends there: chunk k
 * (from 0) starts with the tag of k + 1, the rest is the pattern.  Returns the offset of the
 * first wrong byte, or UINT64_MAX. */
static uint64_t check_bytes(const struct session *s, const unsigned char *p, size_t n,
			    uint64_t off)
{
	while (n) {
		uint64_t k = off / s->chunk;
		size_t at = (size_t)(off % s->chunk);
		size_t piece = n < s->chunk - at ? n : s->chunk - at;
		size_t hdr = at < TAG_BYTES ? (TAG_BYTES - at < piece ? TAG_BYTES - at : piece) : 0;
		uint64_t tag = xfer_tag(s->chunk, k + 1);
		for (size_t i = 0; i < hdr; i++)
			if (p[i] != (unsigned char)(tag >> (8 * (at + i))))
				return off + i;
		if (memcmp(p + hdr, s->pattern.data() + at + hdr, piece - hdr) != 0)
			for (size_t i = hdr; i < piece; i++)
				if (p[i] != s->pattern[at + i])
					return off + i;
		p += piece;
		off += piece;
		n -= piece;
	}
	return UINT64_MAX;
}

/* The receiving side: for each byte count read from the command pipe, receive that many bytes,
 * count (and check) them, write the count back.  After a failure it goes on draining, so the
 * sender never blocks on a full channel; end of file on the command pipe ends it. */
static void receiver(struct session *s)
{
	struct tr_end *e = &s->pair.end[1];
	bool stream = s->tr->caps & TR_STREAM;
	char err[512];
	uint64_t want;

	s->tr->keep(&s->pair, 1);
	close(s->cmd[1]);
	close(s->res[0]);
	while (read(s->cmd[0], &want, sizeof(want)) == (ssize_t)sizeof(want)) {
		uint64_t got = 0;
		while (got < want) {
			ssize_t n = stream ? s->tr->recv(e, s->buf.data(), s->chunk) :
					     xfer_recv(s->tr, e, s->buf.data(), s->chunk,
						       s->buf.size(), err, sizeof(err));
			if (n <= 0) {
				snprintf(err, sizeof(err), "%s: recv() after %llu of %llu bytes: %s",
					 s->tr->name, (unsigned long long)got,
					 (unsigned long long)want,
					 n == 0 ? "end of file" : strerror(errno));
				peer_fail(s->sh, err);
				break;
			}
			if (!stream && (size_t)n != s->chunk) {
				snprintf(err, sizeof(err), "%s: a message of %zd bytes arrived at byte "
					 "%llu; every message sent was %zu bytes", s->tr->name, n,
					 (unsigned long long)got, s->chunk);
				peer_fail(s->sh, err);
			}
			uint64_t bad;
			if (s->verify && !s->sh->failed.load(std::memory_order_relaxed) &&
			    (bad = check_bytes(s, s->buf.data(), (size_t)n, got)) != UINT64_MAX) {
				snprintf(err, sizeof(err), "%s: byte %llu of the stream is not what was "
					 "sent", s->tr->name, (unsigned long long)bad);
				peer_fail(s->sh, err);
			}
			got += (uint64_t)n;
			s->sh->progress.store(got, std::memory_order_relaxed);
		}
		if (write(s->res[1], &got, sizeof(got)) != (ssize_t)sizeof(got))
			_exit(1);
	}
	_exit(0);
}

/* Wait for the receiver's count; give up when it has made no progress for STALL_NS. */
static int wait_count(struct session *s, uint64_t want, uint64_t *got)
{
	uint64_t last = UINT64_MAX;
	int64_t since = now_ns();
	for (;;) {
		struct pollfd pfd = { s->res[0], POLLIN, 0 };
		int rc = poll(&pfd, 1, 100);
		if (rc > 0) {
			if (read(s->res[0], got, sizeof(*got)) == (ssize_t)sizeof(*got))
				return 0;
			snprintf(s->err, sizeof(s->err), "the receiver died before reporting its "
				 "count%s%s", s->sh->failed.load() ? ": " : "",
				 s->sh->failed.load() ? s->sh->err : "");
			return -1;
		}
		if (rc < 0 && errno != EINTR) {
			snprintf(s->err, sizeof(s->err), "poll(): %s (%d)", strerror(errno), errno);
			return -1;
		}
		uint64_t p = s->sh->progress.load(std::memory_order_relaxed);
		if (p != last) {
			last = p;
			since = now_ns();
		} else if (now_ns() - since > STALL_NS) {
			snprintf(s->err, sizeof(s->err), "%s: the receiver has been stuck at %llu of "
				 "%llu bytes for %lld s: the transport lost data", s->tr->name,
				 (unsigned long long)p, (unsigned long long)want,
				 (long long)(STALL_NS / 1000000000LL));
			return -1;
		}
	}
}

/* One Google Benchmark run: an iteration sends one chunk; the last one also waits for the
 * receiver's count, so the time runs from the first send to the last byte received. */
static void run_stream(benchmark::State &st, struct session *s)
{
	uint64_t iters = (uint64_t)st.max_iterations, want = iters * s->chunk, i = 0, got;
	if (write(s->cmd[1], &want, sizeof(want)) != (ssize_t)sizeof(want)) {
		snprintf(s->err, sizeof(s->err), "write(command pipe): %s (%d)", strerror(errno),
			 errno);
		st.SkipWithError(s->err);
		return;
	}
	int64_t t0 = now_ns();
	for (auto _ : st) {
		if (s->verify)
			xfer_tag_put(s->buf.data(), s->chunk, i + 1);
		if (xfer_send(s->tr, &s->pair.end[0], s->buf.data(), s->chunk, s->err,
			      sizeof(s->err)) < 0) {
			st.SkipWithError(s->err);
			break;
		}
		if (++i < iters)
			continue;
		if (wait_count(s, want, &got) < 0) {
			st.SkipWithError(s->err);
			break;
		}
		int64_t dt = now_ns() - t0;
		st.SetIterationTime((double)dt * 1e-9);
		if (s->sh->failed.load()) {
			snprintf(s->err, sizeof(s->err), "%s", s->sh->err);
			st.SkipWithError(s->err);
			break;
		}
		if (got != want) {
			snprintf(s->err, sizeof(s->err), "%s: the receiver counted %llu bytes; %llu "
				 "were sent", s->tr->name, (unsigned long long)got,
				 (unsigned long long)want);
			st.SkipWithError(s->err);
			break;
		}
		s->bytes = want;
		s->chunks = iters;
		s->seconds = (double)dt * 1e-9;
	}
	if (!st.error_occurred())
		st.SetBytesProcessed((int64_t)want);
}

static json_t *cpus_json(const int cpus[2])
{
	if (cpus[0] < 0)
		return json_null();
	return json_pack("[i, i]", cpus[0], cpus[1]);
}

/* Run the registered benchmark; the failure (ours or Google Benchmark's), or NULL.  *context
 * and *entry are the caller's, when not NULL. */
static const char *run_gbench(json_t **context, json_t **entry, char *err, size_t errlen)
{
	if (gbench_run(context, entry, err, errlen) < 0)
		return err;
	return gbench_error(*entry);
}

/* Emit the record: bandwidth from our own clock, facts (taken over), and the Google Benchmark
 * entry beside them (taken over). */
static int emit(struct probe_ctx *ctx, const char *failure, uint64_t bytes, double seconds,
		json_t *facts, json_t *context, json_t *entry)
{
	struct rec *r = rec_new(ctx, "bandwidth");
	const char *key;
	json_t *v;
	json_object_foreach(facts, key, v)
		rec_fact(r, key, json_incref(v));
	json_decref(facts);
	if (failure) {
		rec_status(r, "failed", "%s", failure);
		probe_log(ctx, "failed: %s", failure);
	} else {
		rec_value(r, (double)bytes / seconds);
		rec_fact(r, "bytes_total", json_integer((json_int_t)bytes));
		rec_fact(r, "seconds", json_real(seconds));
	}
	if (entry)
		gbench_attach(r, context, entry);
	else
		json_decref(context);
	rec_emit(r);
	return failure ? PROBE_FAILED : PROBE_OK;
}

static void *map_shared(size_t len, char *err, size_t errlen)
{
	void *p = mmap(nullptr, len, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED) {
		snprintf(err, errlen, "mmap(MAP_SHARED | MAP_ANONYMOUS, %zu bytes): %s (%d)", len,
			 strerror(errno), errno);
		return nullptr;
	}
	return p;
}

static int start_receiver(struct session *s)
{
	if (pipe(s->cmd) < 0 || pipe(s->res) < 0) {
		snprintf(s->err, sizeof(s->err), "pipe(): %s (%d)", strerror(errno), errno);
		return -1;
	}
	if (aff_pin(s->cpus[1], s->err, sizeof(s->err)) < 0)
		return -1;
	s->child = child_fork();
	if (s->child < 0) {
		snprintf(s->err, sizeof(s->err), "fork(): %s (%d)", strerror(errno), errno);
		return -1;
	}
	if (s->child == 0)
		receiver(s);
	s->tr->keep(&s->pair, 0);
	close(s->cmd[0]);
	close(s->res[1]);
	s->cmd[0] = s->res[1] = -1;
	return aff_pin(s->cpus[0], s->err, sizeof(s->err));
}

/* End of file on the command pipe ends a receiver that is waiting for a count; one stuck
 * mid-stream (after a failure) is killed at the deadline. */
static void stop_receiver(struct session *s, bool failed)
{
	for (int *fd : { &s->cmd[0], &s->cmd[1], &s->res[0], &s->res[1] }) {
		if (*fd >= 0)
			close(*fd);
		*fd = -1;
	}
	if (s->child > 0)
		child_reap(s->child, failed ? 100000000LL : REAP_TIMEOUT_NS, NULL);
	s->child = 0;
}

/* Whether the stream can run over s->tr here with s's chunk and placement: PROBE_OK, or the
 * unsupported record's return (cpus chosen into s->cpus). */
static int stream_supported(struct probe_ctx *ctx, struct session *s)
{
	const struct transport *tr = s->tr;
	char why[512];
	size_t max = tr_max_msg(tr, why, sizeof(why));
	if (tr->caps & TR_LOSSY)
		return probe_unsupported(ctx, "%s drops messages when the receiver falls behind (no "
					 "flow control), so a one-way stream's byte count cannot "
					 "be checked", tr->name);
	if (max && s->chunk > max)
		return probe_unsupported(ctx, "%s: a %zu-byte chunk is above the %zu bytes it "
					 "carries in one message here (%s)", tr->name, s->chunk,
					 max, why);
	if (aff_choose(s->placement, s->cpus, why, sizeof(why)) < 0)
		return probe_unsupported(ctx, "%s", why);
	return PROBE_OK;
}

/* The sender's chunk (one byte more for a receiver's overrun check) and its pattern. */
static void stream_buffers(struct session *s)
{
	s->buf.assign(s->chunk + 1, 0);
	s->pattern.resize(s->chunk);
	for (size_t i = 0; i < s->chunk; i++)
		s->pattern[i] = (unsigned char)(i * 131 + 7);
	memcpy(s->buf.data(), s->pattern.data(), s->chunk);
}

/* Register the stream's benchmark: manual time, a fixed count of chunks when total is set. */
static void register_stream(struct session *s, int64_t total)
{
	char name[256];
	snprintf(name, sizeof(name), "throughput/stream/%s/chunk:%zu/placement:%s", s->tr->name,
		 s->chunk, s->placement);
	benchmark::internal::Benchmark *b = benchmark::RegisterBenchmark(
		name, [s](benchmark::State &st) { run_stream(st, s); });
	b->UseManualTime()->Unit(benchmark::kNanosecond);
	if (total > 0)
		b->Iterations(total / (int64_t)s->chunk > 0 ? total / (int64_t)s->chunk : 1);
}

/* Run the registered stream, stop the receiver, and emit the record with its facts. */
static int measure_stream(struct probe_ctx *ctx, struct session *s)
{
	char why[512];
	json_t *context = nullptr, *entry = nullptr;
	const char *failure = run_gbench(&context, &entry, why, sizeof(why));
	stop_receiver(s, failure != nullptr);
	/* one span per run, the first send to the receiver's count of the last byte: its
	 * interval comes from the repetitions; the clock's cost measured after it */
	json_t *facts = json_pack("{s:s, s:o, s:s, s:I, s:{s:I, s:I, s:s}, s:i, s:I}",
				  "placement", s->placement, "cpus", cpus_json(s->cpus),
				  "receiver_checked", s->verify ? "byte count and content" :
				  "byte count", "chunks", (json_int_t)s->chunks, "working_set",
				  "sender_bytes", (json_int_t)s->chunk, "receiver_bytes",
				  (json_int_t)s->chunk, "between", "the transport's own buffer (kernel "
				  "pipe or socket buffer, message queue, or the shm ring)",
				  "timed_intervals", 1, "timer_overhead_ns",
				  (json_int_t)timer_overhead_ns());
	return emit(ctx, failure, s->bytes, s->seconds, facts, context, entry);
}

static int run_stream_case(struct probe_ctx *ctx)
{
	const struct transport *tr = probe_transport(ctx);
	struct session *s = new session();
	char why[512];
	int rc;

	s->ctx = ctx;
	s->tr = tr;
	s->chunk = (size_t)param_int(ctx, "chunk");
	s->verify = param_int(ctx, "verify") != 0;
	s->placement = param_str(ctx, "placement");
	s->cmd[0] = s->cmd[1] = s->res[0] = s->res[1] = -1;
	rc = stream_supported(ctx, s);
	if (rc != PROBE_OK)
		goto free_session;
	s->sh = static_cast<struct shared *>(map_shared(sizeof(struct shared), why, sizeof(why)));
	if (!s->sh) {
		rc = probe_failed(ctx, "%s", why);
		goto free_session;
	}
	new (s->sh) shared();
	stream_buffers(s);
	if (tr_open(tr, &s->pair, why, sizeof(why)) < 0) {
		rc = probe_failed(ctx, "%s", why);
		goto unmap;
	}
	if (start_receiver(s) < 0) {
		stop_receiver(s, true);
		rc = probe_failed(ctx, "%s", s->err);
		goto close_pair;
	}
	gbench_init(throughput_desc.name, (double)param_int(ctx, "min_time") * 1e-9);
	register_stream(s, param_int(ctx, "total"));
	rc = measure_stream(ctx, s);
close_pair:
	tr_close(&s->pair);
unmap:
	munmap(s->sh, sizeof(struct shared));
free_session:
	delete s;
	return rc;
}

/* ---- floor_memcpy ------------------------------------------------------------------------ */

/* The floor at one chunk size, with the stream's working set: a chunk-sized source reused for
 * every copy (like the sender's buffer), copied one chunk at a time into successive chunks of
 * a destination window cycled through (like the shm rings, 2 MiB, MAP_SHARED|MAP_ANONYMOUS).
 * Each byte is copied once, on one core: no transport, which copies at least once and hands
 * over between cores, should be faster. */
struct copy {
	size_t chunk, window;
	unsigned char *src, *dst;
	long passes;		/* passes over the window per timed span */
	int64_t clock_ns;
	uint64_t spans;		/* timed spans the figure sums (the last run's iterations) */
	uint64_t bytes;
	double seconds;
};

static int copy_passes(void *arg, long k)
{
	struct copy *c = static_cast<struct copy *>(arg);
	for (long p = 0; p < k; p++) {
		for (size_t off = 0; off < c->window; off += c->chunk) {
			memcpy(c->dst + off, c->src, c->chunk);
			benchmark::DoNotOptimize(c->dst);
		}
		benchmark::ClobberMemory();
	}
	return 0;
}

/* Each iteration is c->passes passes over the window, timed between two clock reads (at
 * least 50 clock reads long: no per-copy timing). */
static void run_copy(benchmark::State &st, struct copy *c)
{
	int64_t total = 0;
	uint64_t n = 0;
	for (auto _ : st) {
		int64_t t0 = now_ns();
		copy_passes(c, c->passes);
		int64_t dt = now_ns() - t0;
		st.SetIterationTime((double)dt * 1e-9);
		total += dt;
		n++;
	}
	c->spans = n;
	c->bytes = n * (uint64_t)c->passes * c->window;
	c->seconds = (double)total * 1e-9;
	st.SetBytesProcessed((int64_t)c->bytes);
}

static void *map_private(size_t len, char *err, size_t errlen)
{
	void *p = mmap(nullptr, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED) {
		snprintf(err, errlen, "mmap(MAP_PRIVATE | MAP_ANONYMOUS, %zu bytes): %s (%d)", len,
			 strerror(errno), errno);
		return nullptr;
	}
	return p;
}

static json_t *copy_facts(const struct copy *c)
{
	return json_pack("{s:{s:I, s:I, s:s, s:s, s:s}, s:I, s:I, s:I, s:I}", "working_set",
			 "source_bytes", (json_int_t)c->chunk, "destination_bytes",
			 (json_int_t)c->window, "source_memory", "MAP_PRIVATE|MAP_ANONYMOUS",
			 "destination_memory", "MAP_SHARED|MAP_ANONYMOUS", "how",
			 "one chunk-sized source copied into successive chunks of the "
			 "destination window, cycled; one copy of each byte, one core",
			 "copies", (json_int_t)(c->bytes / c->chunk), "batch",
			 (json_int_t)(c->passes * (long)(c->window / c->chunk)),
			 "timer_overhead_ns", (json_int_t)c->clock_ns, "timed_intervals",
			 (json_int_t)c->spans);
}

static int run_floor_memcpy(struct probe_ctx *ctx)
{
	struct copy c = {};
	char err[512], name[160];
	const char *failure;
	json_t *context = nullptr, *entry = nullptr;

	c.chunk = (size_t)param_int(ctx, "chunk");
	c.window = (size_t)param_int(ctx, "window") / c.chunk * c.chunk;
	if (c.window < c.chunk)
		c.window = c.chunk;
	c.src = static_cast<unsigned char *>(map_private(c.chunk, err, sizeof(err)));
	if (!c.src)
		return probe_failed(ctx, "source buffer: %s", err);
	c.dst = static_cast<unsigned char *>(map_shared(c.window, err, sizeof(err)));
	if (!c.dst) {
		munmap(c.src, c.chunk);
		return probe_failed(ctx, "destination window: %s", err);
	}
	/* fault every page in first: the floor is the copy, not the page faults */
	memset(c.src, 0x5a, c.chunk);
	memset(c.dst, 0, c.window);
	c.clock_ns = timer_overhead_ns();
	c.passes = batch_calibrate(copy_passes, &c, c.clock_ns, 1L << 20);
	gbench_init(throughput_desc.name, (double)param_int(ctx, "min_time") * 1e-9);
	snprintf(name, sizeof(name), "throughput/floor_memcpy/chunk:%zu/window:%zu", c.chunk,
		 c.window);
	benchmark::RegisterBenchmark(name, [&c](benchmark::State &st) { run_copy(st, &c); })
		->UseManualTime()
		->Unit(benchmark::kNanosecond);
	failure = run_gbench(&context, &entry, err, sizeof(err));
	int rc = emit(ctx, failure, c.bytes, c.seconds, copy_facts(&c), context, entry);
	munmap(c.dst, c.window);
	munmap(c.src, c.chunk);
	return rc;
}

static const struct metric_desc m_bandwidth[] = {
	{ "bandwidth", "bytes_per_s", "higher",
	  "bytes over seconds, from the first send to the receiver's count of the last byte" },
	{ nullptr, nullptr, nullptr, nullptr },
};

static const struct metric_desc m_memcpy[] = {
	{ "bandwidth", "bytes_per_s", "higher",
	  "bytes copied over the seconds spent copying: chunk bytes at a time from one reused "
	  "chunk-sized source (MAP_PRIVATE) into successive chunks of a window-sized destination "
	  "(MAP_SHARED|MAP_ANONYMOUS, like the shm rings), cycled; timed over whole passes, at "
	  "least 50 clock reads each; buffers faulted in beforehand; facts.working_set" },
	{ nullptr, nullptr, nullptr, nullptr },
};

static const struct param_desc p_stream[] = {
	{ "chunk", PT_SIZE, "64KiB", "64", "1MiB", nullptr, "bytes per send (one message)" },
	{ "total", PT_SIZE, "0", "0", "64GiB", nullptr,
	  "bytes to send; 0: as many as min_time takes" },
	{ "min_time", PT_DURATION, "500ms", "1ms", "60s", nullptr,
	  "Google Benchmark's min_time, when total is 0" },
	{ "verify", PT_BOOL, "false", nullptr, nullptr, nullptr,
	  "the receiver checks every byte's content too, not only the count" },
	{ "placement", PT_ENUM, "cross_core", nullptr, nullptr, aff_placements,
	  "where sender and receiver run: one CPU, two CPUs, or wherever the scheduler puts "
	  "them" },
	{ nullptr, PT_BOOL, nullptr, nullptr, nullptr, nullptr, nullptr },
};

static const struct param_desc p_memcpy[] = {
	{ "chunk", PT_SIZE, "64KiB", "64", "1GiB", nullptr,
	  "bytes per memcpy(), as the stream's bytes per send" },
	{ "window", PT_SIZE, "2MiB", "64", "1GiB", nullptr,
	  "destination bytes cycled through (at least one chunk): 2 MiB is the shm rings' size" },
	{ "min_time", PT_DURATION, "500ms", "1ms", "60s", nullptr, "Google Benchmark's min_time" },
	{ nullptr, PT_BOOL, nullptr, nullptr, nullptr, nullptr, nullptr },
};

static const struct case_desc cases[] = {
	{ "stream",
	  "one direction, sender to receiver, one chunk per send; the receiver counts the bytes "
	  "(and checks them, with verify) and reports back",
	  m_bandwidth, p_stream, TR_MSG, run_stream_case },
	{ "floor_memcpy",
	  "the floor for a stream at one chunk size: memcpy() of one chunk at a time, from a "
	  "reused chunk-sized source into a destination window, on one core",
	  m_memcpy, p_memcpy, 0, run_floor_memcpy },
	{ nullptr, nullptr, nullptr, nullptr, 0, nullptr },
};

const struct probe_desc throughput_desc = {
	"throughput",
	"bytes per second through each transport in one direction, and memcpy() for reference",
	cases,
};

int main(int argc, char **argv)
{
	return probe_main(argc, argv, &throughput_desc);
}
