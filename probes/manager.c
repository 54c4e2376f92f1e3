/* manager.c - what a broker process costs: the C analogue of a multiprocessing "manager".
 *
 * A broker process owns a key-value table of 64-bit counters; client processes get, set and
 * increment keys over AF_UNIX stream sockets with a 16-byte request and an 8-byte answer.
 * Beside it, the same operations straight on a table in shared memory under a
 * process-shared mutex, and with atomic instructions.  Every client times every operation;
 * after the run the table is checked: the counters must equal the increments sent.
 */
#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#ifndef SOCK_CLOEXEC	/* macOS: no flags in the type; descriptors leak into exec */
#define SOCK_CLOEXEC 0
#endif
#include <sys/wait.h>
#include <unistd.h>

#include "batch.h"
#include "child.h"
#include "probe.h"
#include "stats.h"
#include "timing.h"

#define MAX_CLIENTS 64

enum op { OP_GET, OP_SET, OP_INCR };
enum sync_mode { MODE_BROKER, MODE_MUTEX, MODE_ATOMIC };

/* The wire format between a client and the broker: fixed size, host byte order (both ends
 * are on this machine). */
struct request {
	uint32_t op;
	uint32_t key;
	int64_t value;
};

struct answer {
	int64_t value;
};

/* Shared between the parent, the clients and the broker: MAP_SHARED | MAP_ANONYMOUS, made
 * before fork.  samples holds a row of ops slots per client: its batch times in ns. */
struct shared {
	pthread_mutex_t lock;
	volatile int go;		/* the start line: clients spin-wait on it */
	long batch;			/* operations per timed span, set by client 0 */
	int64_t clock_ns;		/* what one clock read costs, as client 0 measured it */
	struct batch_seen seen;		/* what client 0's calibration saw */
	int64_t t_start, t_end[MAX_CLIENTS];
	int64_t nkeys;
	int64_t table[];		/* nkeys counters, a scratch one, then the samples */
};

struct run {
	enum sync_mode mode;
	enum op op;
	int clients;
	int64_t ops;
	int64_t nkeys;
	struct shared *sh;
	size_t sh_len;
	int64_t *samples;
	int sock[MAX_CLIENTS][2];	/* [i][0] client side, [i][1] broker side */
	pid_t client_pid[MAX_CLIENTS];
	pid_t broker_pid;
};

/* ---- the broker --------------------------------------------------------------------------- */

/* Serve requests on every broker-side socket until every client has hung up. */
static void broker_loop(struct run *r)
{
	struct pollfd pfd[MAX_CLIENTS];
	int64_t *table = r->sh->table;
	int open = r->clients;
	for (int i = 0; i < r->clients; i++)
		pfd[i] = (struct pollfd){ .fd = r->sock[i][1], .events = POLLIN };
	while (open > 0) {
		if (poll(pfd, (nfds_t)r->clients, -1) < 0) {
			if (errno == EINTR)
				continue;
			_exit(10);
		}
		for (int i = 0; i < r->clients; i++) {
			if (pfd[i].fd < 0 || !pfd[i].revents)
				continue;
			struct request q;
			ssize_t n = recv(pfd[i].fd, &q, sizeof(q), MSG_WAITALL);
			if (n == 0 || (n < 0 && errno != EINTR)) {
				close(pfd[i].fd);
				pfd[i].fd = -1;
				open--;
				continue;
			}
			if (n != (ssize_t)sizeof(q) || q.key > (uint64_t)r->nkeys)	/* + scratch */
				_exit(11);
			struct answer a;
			switch (q.op) {
			case OP_GET:
				a.value = table[q.key];
				break;
			case OP_SET:
				a.value = table[q.key] = q.value;
				break;
			default:
				a.value = table[q.key] += q.value;
				break;
			}
			if (send(pfd[i].fd, &a, sizeof(a), 0) != (ssize_t)sizeof(a))
				_exit(12);
		}
	}
	_exit(0);
}

/* ---- the clients -------------------------------------------------------------------------- */

static inline int64_t broker_op(int fd, enum op op, uint32_t key, int64_t value)
{
	struct request q = { .op = op, .key = key, .value = value };
	struct answer a;
	if (send(fd, &q, sizeof(q), 0) != (ssize_t)sizeof(q))
		_exit(20);
	if (recv(fd, &a, sizeof(a), MSG_WAITALL) != (ssize_t)sizeof(a))
		_exit(21);
	return a.value;
}

static inline int64_t mutex_op(struct shared *sh, enum op op, uint32_t key, int64_t value)
{
	int64_t v;
	pthread_mutex_lock(&sh->lock);
	switch (op) {
	case OP_GET:
		v = sh->table[key];
		break;
	case OP_SET:
		v = sh->table[key] = value;
		break;
	default:
		v = sh->table[key] += value;
		break;
	}
	pthread_mutex_unlock(&sh->lock);
	return v;
}

static inline int64_t atomic_op(struct shared *sh, enum op op, uint32_t key, int64_t value)
{
	switch (op) {
	case OP_GET:
		return __atomic_load_n(&sh->table[key], __ATOMIC_SEQ_CST);
	case OP_SET:
		__atomic_store_n(&sh->table[key], value, __ATOMIC_SEQ_CST);
		return value;
	default:
		return __atomic_add_fetch(&sh->table[key], value, __ATOMIC_SEQ_CST);
	}
}

/* k operations op of client id, the first on key *key; keys go round-robin over
 * [first, end), so with one key every client contends.  The mode is chosen outside the loop:
 * the loop body is the operation alone. */
static int64_t do_ops(struct run *r, int id, enum op op, uint32_t *key, long k, uint32_t first,
		      uint32_t end)
{
	int fd = r->sock[id][0];
	uint32_t kk = *key;
	int64_t sink = 0;
#define OPS_LOOP(call)                                                                    \
	for (long i = 0; i < k; i++) {                                                    \
		sink += (call);                                                           \
		if (++kk == end)                                                          \
			kk = first;                                                       \
	}
	switch (r->mode) {
	case MODE_BROKER:
		OPS_LOOP(broker_op(fd, op, kk, 1));
		break;
	case MODE_MUTEX:
		OPS_LOOP(mutex_op(r->sh, op, kk, 1));
		break;
	default:
		OPS_LOOP(atomic_op(r->sh, op, kk, 1));
		break;
	}
#undef OPS_LOOP
	*key = kk;
	return sink;
}

/* The calibration's operations: the case's own operation, on the scratch key (table[nkeys],
 * which the final check leaves out), so the batch fits the operation timed. */
struct calib {
	struct run *r;
	int id;
	int64_t sink;
};

static int calib_ops(void *arg, long k)
{
	struct calib *c = arg;
	uint32_t key = (uint32_t)c->r->nkeys;
	c->sink += do_ops(c->r, c->id, c->r->op, &key, k, key, key + 1);
	return 0;
}

/* Client 0 (alone: the parent starts the others after) finds how many operations make a
 * timed batch and publishes that with the clock's cost. */
static volatile int64_t calib_sink;	/* keeps the gets of the calibration */

static void publish_batch(struct run *r, int id)
{
	struct calib c = { r, id, 0 };
	int64_t clock_ns = timer_overhead_ns();
	long k = batch_calibrate_seen(calib_ops, &c, clock_ns, (long)r->ops, &r->sh->seen);
	calib_sink = c.sink;
	r->sh->clock_ns = clock_ns;
	__atomic_store_n(&r->sh->batch, k, __ATOMIC_RELEASE);
}

/* One client: wait for the start line, then time batches of sh->batch operations into its
 * row of samples (ns per batch); the ops % batch left over run untimed at the end. */
static void client_loop(struct run *r, int id)
{
	int64_t *row = r->samples + (size_t)id * (size_t)r->ops;
	int64_t sink = 0;
	uint32_t nkeys = (uint32_t)r->nkeys, key = (uint32_t)id % nkeys;
	if (id == 0)
		publish_batch(r, id);
	while (!__atomic_load_n(&r->sh->go, __ATOMIC_ACQUIRE))
		sched_yield();	/* more clients than CPUs must not starve the parent */
	long k = r->sh->batch;
	int64_t nb = r->ops / k;
	for (int64_t b = 0; b < nb; b++) {
		int64_t t0 = now_ns();
		sink += do_ops(r, id, r->op, &key, k, 0, nkeys);
		row[b] = now_ns() - t0;
	}
	sink += do_ops(r, id, r->op, &key, (long)(r->ops - nb * k), 0, nkeys);
	r->sh->t_end[id] = now_ns();
	_exit(sink == -1 ? 1 : 0);	/* sink keeps the operations from being optimised away */
}

/* ---- the case ----------------------------------------------------------------------------- */

static void close_sockets(struct run *r, int side)
{
	for (int i = 0; i < r->clients; i++) {
		if (r->sock[i][side] >= 0)
			close(r->sock[i][side]);
		r->sock[i][side] = -1;
	}
}

static int setup(struct probe_ctx *ctx, struct run *r)
{
	size_t samples = (size_t)r->clients * (size_t)r->ops;
	r->sh_len = sizeof(struct shared) + (size_t)(r->nkeys + 1) * sizeof(int64_t) +
		    samples * sizeof(int64_t);
	r->sh = mmap(NULL, r->sh_len, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (r->sh == MAP_FAILED)
		return probe_failed(ctx, "mmap(MAP_SHARED|MAP_ANONYMOUS, %zu bytes): %s (%d); "
					 "lower clients or ops", r->sh_len, strerror(errno), errno);
	r->sh->nkeys = r->nkeys;
	r->samples = r->sh->table + r->nkeys + 1;

	pthread_mutexattr_t ma;
	pthread_mutexattr_init(&ma);
	int e = pthread_mutexattr_setpshared(&ma, PTHREAD_PROCESS_SHARED);
	if (e == 0)
		e = pthread_mutex_init(&r->sh->lock, &ma);
	pthread_mutexattr_destroy(&ma);
	if (e != 0) {
		munmap(r->sh, r->sh_len);
		if (r->mode == MODE_MUTEX)
			return probe_unsupported(ctx, "pthread_mutexattr_setpshared("
						 "PTHREAD_PROCESS_SHARED): %s (%d)", strerror(e), e);
		return probe_failed(ctx, "pthread_mutex_init: %s (%d)", strerror(e), e);
	}
	for (int i = 0; i < r->clients; i++) {
		r->sock[i][0] = r->sock[i][1] = -1;
		if (r->mode == MODE_BROKER &&
		    socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, r->sock[i]) < 0) {
			int err = errno;
			close_sockets(r, 0);
			close_sockets(r, 1);
			munmap(r->sh, r->sh_len);
			return probe_failed(ctx, "socketpair(AF_UNIX, SOCK_STREAM) for client %d: "
						 "%s (%d)%s", i, strerror(err), err,
					    err == EMFILE ? "; raise RLIMIT_NOFILE or lower clients" : "");
		}
	}
	return PROBE_OK;
}

/* Wait until client 0 has published the batch size; -1 if it ended first (it stays
 * waitable: WNOWAIT, reap_all reports its status). */
static int await_batch(struct run *r)
{
	while (!__atomic_load_n(&r->sh->batch, __ATOMIC_ACQUIRE)) {
		siginfo_t si;
		si.si_pid = 0;
		if (waitid(P_PID, (id_t)r->client_pid[0], &si, WEXITED | WNOHANG | WNOWAIT) < 0 ||
		    si.si_pid != 0)
			return -1;
		sleep_ns(100000);
	}
	return 0;
}

/* Start the broker (broker mode) and the clients; each child keeps only its own socket.
 * Client 0 calibrates the batch before the others exist, so nothing contends with it. */
static int start_processes(struct probe_ctx *ctx, struct run *r)
{
	if (r->mode == MODE_BROKER) {
		r->broker_pid = child_fork();
		if (r->broker_pid < 0)
			return probe_failed(ctx, "fork (broker): %s (%d)", strerror(errno), errno);
		if (r->broker_pid == 0) {
			close_sockets(r, 0);
			broker_loop(r);
		}
		close_sockets(r, 1);
	}
	for (int i = 0; i < r->clients; i++) {
		r->client_pid[i] = child_fork();
		if (r->client_pid[i] < 0)
			return probe_failed(ctx, "fork (client %d): %s (%d)", i, strerror(errno),
					    errno);
		if (r->client_pid[i] == 0) {
			for (int k = 0; k < r->clients; k++)
				if (k != i && r->sock[k][0] >= 0)
					close(r->sock[k][0]);
			client_loop(r, i);
		}
		if (i == 0 && await_batch(r) < 0)
			return probe_failed(ctx, "client 0 ended before it chose a batch size");
	}
	close_sockets(r, 0);	/* the broker sees EOF once every client has exited */
	return PROBE_OK;
}

/* Reap every child; a client or broker that did not exit 0 is a failure with its status. */
static int reap_all(struct probe_ctx *ctx, struct run *r, int64_t deadline_ns)
{
	char what[64];
	int bad = 0;
	for (int i = 0; i < r->clients; i++) {
		if (r->client_pid[i] <= 0)
			continue;
		int to, st = child_reap(r->client_pid[i], deadline_ns, &to);
		if (st != 0 && !bad++)
			probe_log(ctx, "client %d: %s%s", i, child_status_str(st, what, sizeof(what)),
				  to ? " (killed at the deadline)" : "");
	}
	if (r->broker_pid > 0) {
		int to, st = child_reap(r->broker_pid, deadline_ns, &to);
		if (st != 0 && !bad++)
			probe_log(ctx, "broker: %s%s", child_status_str(st, what, sizeof(what)),
				  to ? " (killed at the deadline)" : "");
	}
	return bad;
}

/* Gather the clients' batch times into one row (ns per batch), in place. */
static size_t gather_batches(struct run *r)
{
	int64_t nb = r->ops / r->sh->batch;
	size_t n = 0;
	for (int i = 0; i < r->clients; i++)
		for (int64_t b = 0; b < nb; b++)
			r->samples[n++] = r->samples[(size_t)i * (size_t)r->ops + (size_t)b];
	return n;
}

static void emit_records(struct probe_ctx *ctx, struct run *r, int64_t sum, int64_t t_end)
{
	long k = r->sh->batch;
	int64_t clock_ns = r->sh->clock_ns;
	size_t nb = gather_batches(r);
	json_int_t ops = (json_int_t)r->clients * r->ops;
	struct stats st;
	stats_compute(r->samples, nb, &st);
	json_t *dist = stats_json(&st);
	batch_scale_json(dist, k);

	struct rec *lat = rec_new(ctx, "op_latency");
	rec_value(lat, json_number_value(json_object_get(dist, "p50")));
	rec_dist(lat, dist);
	rec_fact(lat, "clients", json_integer(r->clients));
	rec_fact(lat, "operations", json_integer(ops));
	rec_fact(lat, "batches", json_integer((json_int_t)nb));
	rec_fact(lat, "untimed_per_client", json_integer(r->ops % k));
	batch_facts(lat, k, clock_ns);
	batch_seen_fact(lat, &r->sh->seen);
	if (r->op == OP_INCR)
		rec_fact(lat, "final_sum", json_integer(sum));
	rec_emit(lat);

	struct rec *tput = rec_new(ctx, "throughput");
	double secs = (double)(t_end - r->sh->t_start) / 1e9;
	rec_value(tput, secs > 0 ? (double)ops / secs : 0);
	rec_fact(tput, "clients", json_integer(r->clients));
	rec_fact(tput, "operations", json_integer(ops));
	rec_fact(tput, "wall_ns", json_integer(t_end - r->sh->t_start));
	batch_facts(tput, k, clock_ns);
	rec_fact(tput, "timed_intervals", json_integer(1));	/* the one wall_ns span */
	rec_emit(tput);
}

static const char *const mode_names[] = { "broker", "shared_mutex", "atomic", NULL };
static const char *const op_names[] = { "get", "set", "incr", NULL };

static int run_ops(struct probe_ctx *ctx)
{
	struct run r = {
		.mode = (enum sync_mode)param_int(ctx, "mode"),
		.op = (enum op)param_int(ctx, "op"),
		.clients = (int)param_int(ctx, "clients"),
		.ops = param_int(ctx, "ops"),
		.nkeys = param_int(ctx, "keys"),
	};
	int rc = setup(ctx, &r);
	if (rc != PROBE_OK)
		return rc;
	rc = start_processes(ctx, &r);
	if (rc == PROBE_OK) {
		r.sh->t_start = now_ns();
		__atomic_store_n(&r.sh->go, 1, __ATOMIC_RELEASE);
	}
	if (reap_all(ctx, &r, param_int(ctx, "deadline")) && rc == PROBE_OK)
		rc = probe_failed(ctx, "a client or the broker did not finish cleanly; see the log");
	if (rc != PROBE_OK)
		goto unmap;

	/* Nothing lost under contention: every increment is in the table. */
	int64_t sum = 0, expected = r.op == OP_INCR ? (int64_t)r.clients * r.ops : 0;
	for (int64_t k = 0; k < r.nkeys; k++)
		sum += r.sh->table[k];
	if (r.op == OP_INCR && sum != expected) {
		rc = probe_failed(ctx, "the table holds %lld increments, %lld were sent: "
				       "updates were lost", (long long)sum, (long long)expected);
		goto unmap;
	}
	int64_t t_end = 0;
	for (int i = 0; i < r.clients; i++)
		if (r.sh->t_end[i] > t_end)
			t_end = r.sh->t_end[i];
	emit_records(ctx, &r, sum, t_end);
unmap:
	pthread_mutex_destroy(&r.sh->lock);
	munmap(r.sh, r.sh_len);
	return rc;
}

static const struct metric_desc m_ops[] = {
	{ "op_latency", "ns", "lower",
	  "one operation as a client sees it, from the call to the answer in hand: the time of a "
	  "batch of facts.batch operations between two clock reads, over facts.batch; the batch "
	  "is the fewest operations (a power of two) that last 50 clock reads "
	  "(facts.timer_overhead_ns) uncontended, 1 when one operation does; the distribution is "
	  "of batches; broker: request and answer over an AF_UNIX stream socket plus the "
	  "broker's wake-up" },
	{ "throughput", "ops_per_s", "higher",
	  "operations completed by all clients together, from the start line to the last "
	  "client's end; one clock read per batch, none per operation" },
	{ NULL },
};

static const struct param_desc p_ops[] = {
	{ "mode", PT_ENUM, "broker", NULL, NULL, mode_names,
	  "broker: through a broker process; shared_mutex: on shared memory under a "
	  "process-shared mutex; atomic: on shared memory with atomic instructions" },
	{ "op", PT_ENUM, "incr", NULL, NULL, op_names, "the operation every client repeats" },
	{ "clients", PT_INT, "1", "1", "64", NULL, "client processes running at once" },
	{ "ops", PT_INT, "20000", "1", "10000000", NULL, "operations per client" },
	{ "keys", PT_INT, "1", "1", "1048576", NULL,
	  "keys in the table; with 1, every client contends for the same key" },
	{ "deadline", PT_DURATION, "60s", "1ms", "1h", NULL,
	  "how long the clients and broker may take before they are killed" },
	{ NULL },
};

static const struct case_desc cases[] = {
	{ "ops", "per-operation latency and aggregate throughput of get/set/incr, by client "
		 "count, through a broker or directly on shared memory",
	  m_ops, p_ops, 0, run_ops },
	{ NULL },
};

static const struct probe_desc manager = {
	.name = "manager",
	.help = "what a broker (\"manager\") process costs against touching shared state directly",
	.cases = cases,
};

int main(int argc, char **argv)
{
	return probe_main(argc, argv, &manager);
}
