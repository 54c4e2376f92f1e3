/* selftest.c - a probe that misbehaves on request, so the runner's handling of every ending
 * (measured, unsupported, hang, crash, garbage, silence, bad exit) is tested against a real
 * process.  Built into build/tests/probes/, never installed among the real probes. */
#include <errno.h>
#include <signal.h>
#include <time.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "alloc.h"
#include "child.h"
#include "cleanup.h"
#include "probe.h"
#include "timing.h"
#include "transport.h"

static const struct metric_desc m_value[] = {
	{ "value", "count", "none", "the parameter value, echoed" },
	{ NULL },
};

static const struct param_desc p_value[] = {
	{ "value", PT_INT, "42", "0", "1000000", NULL, "what to echo" },
	{ "size", PT_SIZE, "4KiB", "1", "1GiB", NULL, "a size, echoed in facts" },
	{ "wait", PT_DURATION, "1ms", "0ns", "10s", NULL, "a duration, echoed in facts" },
	{ "mode", PT_ENUM, "a", NULL, NULL, (const char *const[]){ "a", "b", NULL }, "a choice" },
	{ NULL },
};

static const struct param_desc p_none[] = { { NULL } };

static const struct param_desc p_flood[] = {
	{ "records", PT_INT, "1000", "1", "10000000", NULL, "records printed" },
	{ "size", PT_SIZE, "1KiB", "0", "512KiB", NULL, "padding carried by each record" },
	{ NULL },
};

static int run_ok(struct probe_ctx *ctx)
{
	struct rec *r = rec_new(ctx, "value");
	rec_value(r, (double)param_int(ctx, "value"));
	rec_fact(r, "size", json_integer(param_int(ctx, "size")));
	rec_fact(r, "wait", json_integer(param_int(ctx, "wait")));
	rec_emit(r);
	return PROBE_OK;
}

/* Also leaves a child behind in its process group, which the runner must kill too. */
static int run_hang(struct probe_ctx *ctx)
{
	(void)ctx;
	if (fork() == 0) {
		for (;;)
			pause();
	}
	for (;;)
		pause();
	return PROBE_OK;
}

static int run_crash(struct probe_ctx *ctx)
{
	struct rec *r = rec_new(ctx, "value");
	rec_value(r, 1);
	rec_emit(r);
	raise(SIGSEGV);
	return PROBE_OK;
}

static int run_garbage(struct probe_ctx *ctx)
{
	(void)ctx;
	printf("this is not JSON\n");
	return PROBE_OK;
}

static int run_silent(struct probe_ctx *ctx)
{
	(void)ctx;
	return PROBE_OK;
}

static int run_exit1(struct probe_ctx *ctx)
{
	(void)ctx;
	fprintf(stderr, "selftest: something went wrong on purpose\n");
	return PROBE_FAILED;
}

/* Megabytes of records, as fast as it can: for the runner's memory under load. */
static int run_flood(struct probe_ctx *ctx)
{
	int64_t n = param_int(ctx, "records"), size = param_int(ctx, "size");
	char *pad = probe_alloc((size_t)size + 1, "the padding");
	memset(pad, 'x', (size_t)size);
	pad[size] = '\0';
	for (int64_t i = 0; i < n; i++) {
		struct rec *r = rec_new(ctx, "value");
		rec_value(r, (double)i);
		rec_fact(r, "pad", json_string(pad));
		rec_emit(r);
	}
	free(pad);
	return PROBE_OK;
}

/* Registers a FIFO for removal, then asks for more memory than any machine has: the probe
 * must end as alloc.h says, with a failed record that names the bytes, exit 1, and the FIFO
 * removed. */
static int run_oom(struct probe_ctx *ctx)
{
	char path[256];
	ipc_path(path, sizeof(path), ".fifo");
	if (mkfifo(path, 0600) < 0)
		return probe_failed(ctx, "mkfifo(%s): %s", path, strerror(errno));
	cleanup_add_name(CL_PATH, path);
	volatile char *p = probe_alloc((size_t)1 << 62, "the selftest's impossible block");
	p[0] = 1;
	return probe_failed(ctx, "probe_alloc() returned 4 EiB");
}

static int run_unsupported(struct probe_ctx *ctx)
{
	return probe_unsupported(ctx, "selftest: this case is never supported (on purpose)");
}

static int run_transport(struct probe_ctx *ctx)
{
	struct tr_pair p;
	char err[256], buf[64] = "ping";
	if (tr_open(probe_transport(ctx), &p, err, sizeof(err)) < 0)
		return probe_failed(ctx, "%s", err);
	ssize_t n = p.tr->send(&p.end[0], buf, 4);
	n = n == 4 ? p.tr->recv(&p.end[1], buf, 4) : n;
	tr_close(&p);
	struct rec *r = rec_new(ctx, "value");
	rec_value(r, (double)n);
	rec_emit(r);
	return PROBE_OK;
}

static volatile sig_atomic_t linger_termed;

static void linger_on_term(int sig)
{
	(void)sig;
	linger_termed = 1;
}

/* Prints its record, then lives through SIGTERM and exits 0 as soon as it comes (or after 10 s
 * without one): a probe that ends whole although the runner was told to stop meanwhile.  It
 * ends at once, well inside the runner's grace before SIGKILL, so that the outcome is the
 * probe's on a machine of any speed (it used to sleep a second, as long as the grace, and
 * lost the race under load).  The handler is in place before the record goes out, so that a
 * stop sent once the record is seen always finds it. */
static int run_linger(struct probe_ctx *ctx)
{
	signal(SIGTERM, linger_on_term);
	struct rec *r = rec_new(ctx, "value");
	rec_value(r, 1);
	rec_emit(r);
	fflush(stdout);
	for (int i = 0; i < 1000 && !linger_termed; i++) {
		struct timespec ts = { 0, 10000000 };
		nanosleep(&ts, NULL);
	}
	return PROBE_OK;
}

/* Writes 192 MiB of chatter to stderr, then its last words, and exits 1: the runner must
 * take the reason from the end of the log without reading the log whole. */
static int run_shout(struct probe_ctx *ctx)
{
	(void)ctx;
	static char line[1024];
	memset(line, 'x', sizeof(line) - 1);
	line[sizeof(line) - 1] = '\n';
	for (int i = 0; i < 192 * 1024; i++)
		if (fwrite(line, 1, sizeof(line), stderr) != sizeof(line))
			break;
	fprintf(stderr, "selftest: my last words after 192 MiB\n");
	return PROBE_FAILED;
}

/* Starts a daemon (fork, setsid, fork: a session of its own, outside the probe's process
 * group) that sleeps for an hour, prints its pid as the value, and exits 0: the runner must not
 * let it outlive the run. */
static int run_daemon(struct probe_ctx *ctx)
{
	int p[2];
	pid_t d = -1;
	if (pipe(p) < 0)
		return probe_failed(ctx, "pipe(): %s", strerror(errno));
	pid_t c = fork();
	if (c == 0) {
		close(p[0]);
		setsid();
		pid_t g = fork();
		if (g == 0) {
			close(p[1]);
			sleep(3600);
			_exit(0);
		}
		if (write(p[1], &g, sizeof(g)) != sizeof(g))
			_exit(1);
		_exit(0);
	}
	close(p[1]);
	if (c < 0 || read(p[0], &d, sizeof(d)) != sizeof(d))
		return probe_failed(ctx, "the daemon did not start");
	close(p[0]);
	waitpid(c, NULL, 0);
	struct rec *r = rec_new(ctx, "value");
	rec_value(r, (double)d);
	rec_emit(r);
	return PROBE_OK;
}

static const struct case_desc cases[] = {
	{ "ok", "echoes its parameters", m_value, p_value, 0, run_ok },
	{ "hang", "never returns (and forks a child that never returns)", m_value, p_none, 0,
	  run_hang },
	{ "crash", "prints one record, then dies of SIGSEGV", m_value, p_none, 0, run_crash },
	{ "garbage", "prints a line that is not JSON", m_value, p_none, 0, run_garbage },
	{ "silent", "exits 0 without a record", m_value, p_none, 0, run_silent },
	{ "exit1", "exits 1 without a record", m_value, p_none, 0, run_exit1 },
	{ "unsupported", "reports itself unsupported", m_value, p_none, 0, run_unsupported },
	{ "linger", "prints a record, lives through SIGTERM, exits 0", m_value, p_none, 0,
	  run_linger },
	{ "flood", "prints many records fast (records x size bytes)", m_value, p_flood, 0,
	  run_flood },
	{ "transport", "sends 4 bytes over the null transport", m_value, p_none, TR_NULL,
	  run_transport },
	{ "oom", "registers a FIFO, then runs out of memory (alloc.h's failure)", m_value, p_none,
	  0, run_oom },
	{ "daemon", "starts a daemon in a session of its own, prints its pid, exits 0", m_value,
	  p_none, 0, run_daemon },
	{ "shout", "writes 192 MiB to stderr, then its last words, and exits 1", m_value, p_none,
	  0, run_shout },
	{ NULL },
};

static const struct probe_desc selftest = {
	.name = "selftest",
	.help = "a probe that misbehaves on request, for the runner's tests",
	.cases = cases,
};

int main(int argc, char **argv)
{
	return probe_main(argc, argv, &selftest);
}
