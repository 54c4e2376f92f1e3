/* test_transports_msg.c - every transport that claims TR_MSG carries messages of each size it
 * claims (1, 64, 4096 and its own maximum, where those are within it) whole and in order,
 * both ways, between two real processes; an unsupported transport is skipped with its
 * reason.  One test per transport, built from the table. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include "child.h"
#include "cleanup.h"
#include "transport.h"
#include "xfer.h"

#define ROUNDS 20
#define BURST 3		/* messages sent before the first reply is read, for small sizes */
#define BURST_MAX 1024	/* above this a burst could fill a pipe both ways at once */
#define DEADLINE_S 30
#define MAX_TESTS 64

/* Message seq of len bytes: the tag, then bytes that depend on seq and position. */
static void fill(unsigned char *b, size_t len, uint64_t seq)
{
	xfer_tag_put(b, len, seq);
	for (size_t i = 8; i < len; i++)
		b[i] = (unsigned char)(seq * 31 + i * 7);
}

/* 0 when b holds exactly message seq of len bytes (n received). */
static int check(const unsigned char *b, ssize_t n, size_t len, uint64_t seq)
{
	if (n != (ssize_t)len || xfer_tag_get(b, len) != xfer_tag(len, seq))
		return -1;
	for (size_t i = 8; i < len; i++)
		if (b[i] != (unsigned char)(seq * 31 + i * 7))
			return -1;
	return 0;
}

/* The peer: check each message, answer with the message of the same number.  Its exit
 * status is the number of the first bad message, or 0. */
static void echo(struct tr_pair *p, size_t len, unsigned char *buf, size_t cap)
{
	char err[512];
	int bad = 0;
	alarm(DEADLINE_S);
	p->tr->keep(p, 1);
	for (uint64_t seq = 1; seq <= ROUNDS; seq++) {
		ssize_t n = xfer_recv(p->tr, &p->end[1], buf, len, cap, err, sizeof(err));
		if (check(buf, n, len, seq) < 0 && !bad) {
			fprintf(stderr, "%s: peer: message %llu of %zu bytes arrived as %zd bytes "
				"or with other content%s%s\n", p->tr->name, (unsigned long long)seq,
				len, n, n < 0 ? ": " : "", n < 0 ? err : "");
			bad = (int)seq;
		}
		fill(buf, len, seq);
		if (xfer_send(p->tr, &p->end[1], buf, len, err, sizeof(err)) < 0) {
			fprintf(stderr, "%s\n", err);
			_exit(100);
		}
	}
	_exit(bad);
}

static void carry(const struct transport *tr, size_t len)
{
	struct tr_pair p;
	char err[512];
	size_t cap = len + 1;
	unsigned char *buf = malloc(cap);
	int burst = !(tr->caps & TR_WORD) && len <= BURST_MAX ? BURST : 1;
	assert_non_null(buf);

	if (tr_open(tr, &p, err, sizeof(err)) < 0)
		fail_msg("%s: open: %s", tr->name, err);
	pid_t pid = child_fork();
	assert_true(pid >= 0);
	if (pid == 0)
		echo(&p, len, buf, cap);
	tr->keep(&p, 0);
	alarm(DEADLINE_S);
	for (uint64_t first = 1; first <= ROUNDS; first += (uint64_t)burst) {
		uint64_t last = first + (uint64_t)burst - 1 > ROUNDS ? ROUNDS : first + burst - 1;
		for (uint64_t seq = first; seq <= last; seq++) {
			fill(buf, len, seq);
			if (xfer_send(tr, &p.end[0], buf, len, err, sizeof(err)) < 0)
				fail_msg("%s: %s", tr->name, err);
		}
		for (uint64_t seq = first; seq <= last; seq++) {
			ssize_t n = xfer_recv(tr, &p.end[0], buf, len, cap, err, sizeof(err));
			if (n < 0)
				fail_msg("%s: %s", tr->name, err);
			if (check(buf, n, len, seq) < 0)
				fail_msg("%s: reply %llu of %zu bytes came back as %zd bytes or with "
					 "other content", tr->name, (unsigned long long)seq, len, n);
		}
	}
	alarm(0);
	int st = child_reap(pid, 5000000000LL, NULL);
	char how[128];
	if (!WIFEXITED(st) || WEXITSTATUS(st) != 0)
		fail_msg("%s: %zu-byte messages: the peer ended with %s", tr->name, len,
			 child_status_str(st, how, sizeof(how)));
	tr_close(&p);
	free(buf);
}

static void test_transport_carries_its_sizes(void **state)
{
	const struct transport *tr = *state;
	const size_t sizes[] = { 1, 64, 4096 };
	char why[512];
	const char *no = tr->unsupported ? tr->unsupported() : NULL;
	if (no) {
		print_message("%s: unsupported: %s\n", tr->name, no);
		skip();
	}
	size_t max = tr_max_msg(tr, why, sizeof(why));
	for (size_t i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++)
		if (!max || sizes[i] <= max)
			carry(tr, sizes[i]);
	if (max && max != 1 && max != 64 && max != 4096 && max <= 65536)
		carry(tr, max);
}

int main(void)
{
	struct CMUnitTest tests[MAX_TESTS];
	size_t n = 0;
	cleanup_init();
	for (int i = 0; transports[i] && n < MAX_TESTS; i++) {
		if (!(transports[i]->caps & TR_MSG))
			continue;
		tests[n] = (struct CMUnitTest){
			.name = transports[i]->name,
			.test_func = test_transport_carries_its_sizes,
			.initial_state = (void *)transports[i],
		};
		n++;
	}
	return _cmocka_run_group_tests("transports_msg", tests, n, NULL, NULL);
}
