/* latency.cc - the latency probe family: the round trip of a message between two processes
 * (ping-pong), timed under Google Benchmark one round trip at a time where a round trip lasts
 * 50 clock reads, in batches where it does not (batch.h), and the machine's floor for it, one
 * cache line bounced between two cores. */
#include <atomic>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <new>
#include <string>
#include <vector>

#include <sys/mman.h>
#include <unistd.h>

#include "affinity.h"
#include "batch.h"
#include "child.h"
#include "probe.h"
#include "stats.h"
#include "timing.h"
#include "transport.h"
#include "xfer.h"
#include "gbench.h"
#include "spin.h"

#define REAP_TIMEOUT_NS (5 * 1000000000LL)

extern const struct probe_desc latency_desc;
#define LINE_STOP UINT64_MAX

/* Shared by the two processes (MAP_SHARED | MAP_ANONYMOUS): the peer's verdict, and the cache
 * line of floor_cacheline on a line of its own. */
struct shared {
	std::atomic<int> stop;
	std::atomic<int> failed;
	char err[1024];
	alignas(64) std::atomic<uint64_t> line;
	char pad[64 - sizeof(std::atomic<uint64_t>)];
};

/* One measurement: the pair, its buffers, the samples of the latest Google Benchmark run. */
struct session {
	struct probe_ctx *ctx;
	const char *placement;
	int cpus[2];
	struct shared *sh;
	pid_t child;
	const struct transport *tr;	/* NULL for floor_cacheline */
	struct tr_pair pair;
	size_t size, cap;
	std::vector<unsigned char> tx, rx;
	uint64_t seq;
	bool (*step)(struct session *s);	/* one round trip, untimed; false on failure */
	long batch;				/* round trips per timed span */
	struct batch_seen seen;			/* what its calibration saw */
	int64_t clock_ns;
	void (*peer)(struct session *s);
	std::vector<int64_t> samples;
	struct stats st;
	char err[1024];
};

static void peer_fail(struct shared *sh, const char *msg)
{
	snprintf(sh->err, sizeof(sh->err), "peer: %s", msg);
	sh->failed.store(1);
}

/* ---- roundtrip: a message there and back over a transport --------------------------------- */

/* The echoing side: checks every message (length, tag), sends it back, until told to stop.
 * A bad message is still echoed, so that the pinger wakes and reads the verdict. */
static void echo_peer(struct session *s)
{
	struct tr_end *e = &s->pair.end[1];
	char err[512];
	s->tr->keep(&s->pair, 1);
	for (uint64_t seq = 1;; seq++) {
		ssize_t n = xfer_recv(s->tr, e, s->rx.data(), s->size, s->cap, err, sizeof(err));
		if (s->sh->stop.load(std::memory_order_acquire))
			_exit(0);
		if (n <= 0) {
			peer_fail(s->sh, n < 0 ? err : "end of file: the pinger is gone");
			_exit(1);
		}
		uint64_t tag = xfer_tag_get(s->rx.data(), (size_t)n);
		if ((size_t)n != s->size || tag != xfer_tag(s->size, seq)) {
			snprintf(err, sizeof(err), "message %llu arrived with %zd bytes and tag %llu; "
				 "%zu bytes and tag %llu were sent",
				 (unsigned long long)seq, n, (unsigned long long)tag, s->size,
				 (unsigned long long)xfer_tag(s->size, seq));
			peer_fail(s->sh, err);
		}
		if (xfer_send(s->tr, e, s->rx.data(), s->size, err, sizeof(err)) < 0) {
			peer_fail(s->sh, err);
			_exit(1);
		}
	}
}

/* One round trip: tag, send, receive the echo, check it. */
static bool roundtrip_step(struct session *s)
{
	struct tr_end *e = &s->pair.end[0];
	uint64_t seq = ++s->seq;
	xfer_tag_put(s->tx.data(), s->size, seq);
	if (xfer_send(s->tr, e, s->tx.data(), s->size, s->err, sizeof(s->err)) < 0)
		return false;
	ssize_t n = xfer_recv(s->tr, e, s->rx.data(), s->size, s->cap, s->err, sizeof(s->err));
	if (s->sh->failed.load(std::memory_order_relaxed)) {
		snprintf(s->err, sizeof(s->err), "%s", s->sh->err);
		return false;
	}
	if (n < 0)
		return false;
	uint64_t tag = xfer_tag_get(s->rx.data(), (size_t)n);
	if ((size_t)n != s->size || tag != xfer_tag(s->size, seq)) {
		snprintf(s->err, sizeof(s->err), "%s: reply %llu came back with %zd bytes and tag "
			 "%llu; %zu bytes and tag %llu were sent", s->tr->name,
			 (unsigned long long)seq, n, (unsigned long long)tag, s->size,
			 (unsigned long long)xfer_tag(s->size, seq));
		return false;
	}
	return true;
}

/* Tell the echoing side to stop: the flag, then one message to wake it. */
static void roundtrip_stop(struct session *s)
{
	char err[512];
	s->sh->stop.store(1, std::memory_order_release);
	xfer_tag_put(s->tx.data(), s->size, ++s->seq);
	xfer_send(s->tr, &s->pair.end[0], s->tx.data(), s->size, err, sizeof(err));
}

/* ---- floor_cacheline: one cache line, plain loads and stores ------------------------------ */

/* Waits for each odd value and answers with the next even one. */
static void line_peer(struct session *s)
{
	std::atomic<uint64_t> *line = &s->sh->line;
	for (uint64_t want = 1;; want += 2) {
		uint64_t v;
		while ((v = line->load(std::memory_order_acquire)) != want) {
			if (v == LINE_STOP)
				_exit(0);
			cpu_relax();
		}
		line->store(want + 1, std::memory_order_release);
	}
}

/* Each poll pauses (spin.h), the peer's too: without it a tight load loop pays a pipeline
 * flush each time the line is taken away, which here makes the bounce slower, not faster. */
static bool line_step(struct session *s)
{
	std::atomic<uint64_t> *line = &s->sh->line;
	uint64_t v = 2 * s->seq++ + 1;
	line->store(v, std::memory_order_release);
	while (line->load(std::memory_order_acquire) != v + 1)
		cpu_relax();
	return true;
}

/* ---- the measurement both cases share ---------------------------------------------------- */

/* Start the peer on cpus[1] and pin ourselves on cpus[0]: the parent moves to the peer's CPU
 * first, so the child starts there, and failures happen here, where they can be reported. */
static int start_peer(struct session *s)
{
	if (aff_pin(s->cpus[1], s->err, sizeof(s->err)) < 0)
		return -1;
	s->child = child_fork();
	if (s->child < 0) {
		snprintf(s->err, sizeof(s->err), "fork(): %s (%d)", strerror(errno), errno);
		return -1;
	}
	if (s->child == 0) {
		s->peer(s);
		_exit(0);
	}
	if (s->tr)
		s->tr->keep(&s->pair, 0);
	return aff_pin(s->cpus[0], s->err, sizeof(s->err));
}

static void stop_peer(struct session *s)
{
	if (s->child <= 0)
		return;
	if (s->tr)
		roundtrip_stop(s);
	else
		s->sh->line.store(LINE_STOP, std::memory_order_release);
	child_reap(s->child, REAP_TIMEOUT_NS, NULL);
	s->child = 0;
}

/* k round trips between two clock reads: their time, or -1 on failure (s->err says). */
static int64_t time_batch(struct session *s, long k)
{
	int64_t t0 = now_ns();
	for (long i = 0; i < k; i++)
		if (!s->step(s))
			return -1;
	return now_ns() - t0;
}

static int steps(void *arg, long k)
{
	return time_batch(static_cast<struct session *>(arg), k) < 0 ? -1 : 0;
}

/* An iteration is a batch of s->batch round trips; Google Benchmark sees its time over the
 * batch (one round trip), the samples keep the batch times, scaled after. */
static void run_benchmark(benchmark::State &st, struct session *s)
{
	size_t want = (size_t)st.max_iterations;
	s->samples.clear();
	s->samples.reserve(want < (1u << 24) ? want : (1u << 24));
	for (auto _ : st) {
		int64_t ns = time_batch(s, s->batch);
		if (ns < 0) {
			st.SkipWithError(s->err);
			break;
		}
		st.SetIterationTime((double)ns / (double)s->batch * 1e-9);
		s->samples.push_back(ns);
	}
	if (st.error_occurred())
		return;
	stats_compute(s->samples.data(), s->samples.size(), &s->st);
	batch_scale_stats(&s->st, s->batch);
	gbench_dist_counters(st, &s->st);
}

static json_t *cpus_json(const int cpus[2])
{
	if (cpus[0] < 0)
		return json_null();
	return json_pack("[i, i]", cpus[0], cpus[1]);
}

/* Warm up, run under Google Benchmark, stop the peer, emit the record. */
static int measure(struct session *s, const std::string &name)
{
	struct probe_ctx *ctx = s->ctx;
	json_t *context = nullptr, *entry = nullptr;
	int64_t warmup = param_int(ctx, "warmup"), n_warm = 0;
	const char *failure = nullptr;
	char gerr[256];

	if (start_peer(s) < 0) {
		stop_peer(s);
		return probe_failed(ctx, "%s", s->err);
	}
	int64_t end = now_ns() + warmup;
	do {
		if (!s->step(s)) {
			failure = s->err;
			break;
		}
		n_warm++;
	} while (now_ns() < end);
	s->clock_ns = timer_overhead_ns();
	if (!failure && (s->batch = batch_calibrate_seen(steps, s, s->clock_ns, 1L << 16,
							    &s->seen)) < 0)
		failure = s->err;

	if (!failure) {
		/* Google Benchmark's time is per round trip, its iteration a batch: min_time
		 * over the batch keeps the wall time min_time. */
		gbench_init(latency_desc.name,
			    (double)param_int(ctx, "min_time") * 1e-9 / (double)s->batch);
		benchmark::RegisterBenchmark(name.c_str(), [s](benchmark::State &st) {
			run_benchmark(st, s);
		})->UseManualTime()->Unit(benchmark::kNanosecond);
		if (gbench_run(&context, &entry, gerr, sizeof(gerr)) < 0)
			failure = gerr;
		else
			failure = gbench_error(entry);
	}
	stop_peer(s);

	struct rec *r = rec_new(ctx, "rtt");
	rec_fact(r, "placement", json_string(s->placement));
	rec_fact(r, "cpus", cpus_json(s->cpus));
	if (s->tr)
		rec_fact(r, "bytes_carried", json_integer((json_int_t)s->size));
	rec_fact(r, "warmup_round_trips", json_integer(n_warm));
	if (failure) {
		rec_status(r, "failed", "%s", failure);
	} else {
		rec_value(r, s->st.p50);
		rec_dist(r, stats_json(&s->st));
		rec_fact(r, "iterations", json_integer((json_int_t)s->st.n));
		rec_fact(r, "round_trips", json_integer((json_int_t)s->st.n * s->batch));
		batch_facts(r, s->batch, s->clock_ns);
		batch_seen_fact(r, &s->seen);
	}
	if (entry)
		gbench_attach(r, context, entry);
	else
		json_decref(context);
	if (failure)
		probe_log(ctx, "failed: %s", failure);
	rec_emit(r);
	return failure ? PROBE_FAILED : PROBE_OK;
}

static struct shared *map_shared(char *err, size_t errlen)
{
	void *p = mmap(nullptr, sizeof(struct shared), PROT_READ | PROT_WRITE,
		       MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED) {
		snprintf(err, errlen, "mmap(MAP_SHARED | MAP_ANONYMOUS, %zu bytes): %s (%d)",
			 sizeof(struct shared), strerror(errno), errno);
		return nullptr;
	}
	return new (p) shared();
}

static int run_roundtrip(struct probe_ctx *ctx)
{
	const struct transport *tr = probe_transport(ctx);
	struct session *s = new session();
	char why[512];
	size_t max;
	int rc;

	s->ctx = ctx;
	s->tr = tr;
	s->size = (size_t)param_int(ctx, "size");
	s->placement = param_str(ctx, "placement");
	max = tr_max_msg(tr, why, sizeof(why));
	if (max && s->size > max) {
		rc = probe_unsupported(ctx, "%s: a %zu-byte message is above the %zu bytes it "
				       "carries whole here (%s)", tr->name, s->size, max, why);
		goto free_session;
	}
	if (aff_choose(s->placement, s->cpus, why, sizeof(why)) < 0) {
		rc = probe_unsupported(ctx, "%s", why);
		goto free_session;
	}
	s->sh = map_shared(why, sizeof(why));
	if (!s->sh) {
		rc = probe_failed(ctx, "%s", why);
		goto free_session;
	}
	s->cap = s->size + 1;
	s->tx.assign(s->cap, 0);
	s->rx.assign(s->cap, 0);
	s->step = roundtrip_step;
	s->peer = echo_peer;
	if (tr_open(tr, &s->pair, why, sizeof(why)) < 0) {
		rc = probe_failed(ctx, "%s", why);
		goto unmap;
	}
	{
		char name[256];
		snprintf(name, sizeof(name), "latency/roundtrip/%s/size:%zu/placement:%s",
			 tr->name, s->size, s->placement);
		rc = measure(s, name);
	}
	tr_close(&s->pair);
unmap:
	munmap(s->sh, sizeof(struct shared));
free_session:
	delete s;
	return rc;
}

static int run_floor_cacheline(struct probe_ctx *ctx)
{
	struct session *s = new session();
	char why[512];
	int rc;

	s->ctx = ctx;
	s->placement = "cross_core";
	if (aff_choose(s->placement, s->cpus, why, sizeof(why)) < 0) {
		rc = probe_unsupported(ctx, "%s", why);
		goto free_session;
	}
	s->sh = map_shared(why, sizeof(why));
	if (!s->sh) {
		rc = probe_failed(ctx, "%s", why);
		goto free_session;
	}
	s->step = line_step;
	s->peer = line_peer;
	rc = measure(s, "latency/floor_cacheline/placement:cross_core");
	munmap(s->sh, sizeof(struct shared));
free_session:
	delete s;
	return rc;
}

static const struct metric_desc m_rtt[] = {
	{ "rtt", "ns", "lower",
	  "one round trip: send, the peer receives and sends back, receive, check; timed in "
	  "batches of facts.batch round trips between two clock reads, the fewest (a power of "
	  "two) that last 50 clock reads (facts.timer_overhead_ns), 1 when one round trip does; "
	  "the figure is a batch's time over its size, the distribution is of batches" },
	{ nullptr, nullptr, nullptr, nullptr },
};

static const struct param_desc p_roundtrip[] = {
	{ "size", PT_SIZE, "64", "1", "1MiB", nullptr, "bytes per message, each way" },
	{ "placement", PT_ENUM, "cross_core", nullptr, nullptr, aff_placements,
	  "where the two processes run: one CPU, two CPUs (not SMT siblings where possible), "
	  "or wherever the scheduler puts them" },
	{ "warmup", PT_DURATION, "100ms", "0ns", "60s", nullptr,
	  "round trips before timing starts, for this long" },
	{ "min_time", PT_DURATION, "500ms", "1ms", "60s", nullptr,
	  "Google Benchmark's min_time: time the round trips for at least this long" },
	{ nullptr, PT_BOOL, nullptr, nullptr, nullptr, nullptr, nullptr },
};

static const struct param_desc p_floor[] = {
	{ "warmup", PT_DURATION, "100ms", "0ns", "60s", nullptr,
	  "round trips before timing starts, for this long" },
	{ "min_time", PT_DURATION, "500ms", "1ms", "60s", nullptr,
	  "Google Benchmark's min_time: time the round trips for at least this long" },
	{ nullptr, PT_BOOL, nullptr, nullptr, nullptr, nullptr, nullptr },
};

static const struct case_desc cases[] = {
	{ "roundtrip",
	  "ping-pong between two processes: the distribution of single round trips of one "
	  "message, each checked on arrival (length and sequence tag) on both sides",
	  m_rtt, p_roundtrip, TR_MSG, run_roundtrip },
	{ "floor_cacheline",
	  "the machine's floor: one cache line in shared memory bounced between two processes on "
	  "two CPUs, busy-polling with plain loads",
	  m_rtt, p_floor, 0, run_floor_cacheline },
	{ nullptr, nullptr, nullptr, nullptr, 0, nullptr },
};

const struct probe_desc latency_desc = {
	"latency",
	"round trips between two processes, by transport and message size, and the floor",
	cases,
};

int main(int argc, char **argv)
{
	return probe_main(argc, argv, &latency_desc);
}
