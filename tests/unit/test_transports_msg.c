/* test_transports_msg.c - every transport that claims TR_MSG carries messages of each size it
 * claims (1, 64, 4096 and its own maximum, where those are within it) whole and in order,
 * both ways, between two real processes; an unsupported transport is skipped with its
 * reason.  One test per transport, built from the table; and for every datagram transport
 * with descriptors, that its largest message is exact: that size goes through, one more
 * does not. */
#include <errno.h>
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
	if (max && max != 1 && max != 64 && max != 4096 && max <= (1u << 20))
		carry(tr, max);
}

/* A datagram transport's maximum is exact where it is used: a message of max bytes goes
 * through whole and one byte more is refused (a guessed constant would be either side). */
static void test_datagram_max_is_exact(void **state)
{
	const struct transport *tr = *state;
	char why[512], err[512];
	struct tr_pair p;
	const char *no = tr->unsupported ? tr->unsupported() : NULL;
	if (no) {
		print_message("%s: unsupported: %s\n", tr->name, no);
		skip();
	}
	size_t max = tr_max_msg(tr, why, sizeof(why));
	assert_true(max > 1);
	char *buf = calloc(1, max + 2);
	assert_non_null(buf);
	if (tr_open(tr, &p, err, sizeof(err)) < 0)
		fail_msg("%s: open: %s", tr->name, err);
	assert_int_equal(tr_set_nonblock(p.end[0].wfd, 1), 0);
	alarm(DEADLINE_S);
	ssize_t k = tr->send(&p.end[0], buf, max);
	if (k != (ssize_t)max)
		fail_msg("%s: a %zu-byte message (its maximum: %s) was not sent whole: %zd (%s)",
			 tr->name, max, why, k, strerror(errno));
	assert_int_equal(tr->recv(&p.end[1], buf, max + 1), (ssize_t)max);
	k = tr->send(&p.end[0], buf, max + 1);
	if (k >= 0)
		fail_msg("%s: a %zu-byte message, one above its maximum (%s), went through",
			 tr->name, max + 1, why);
	alarm(0);
	tr_close(&p);
	free(buf);
}

/* Behaviour that differs by transport comes from the ops table's flags, never a name: the
 * transports whose datagrams ride in one IPv4 packet say so, and udp is one of them. */
static void test_ipv4_datagram_is_a_flag(void **state)
{
	char why[512];
	int udp_has_it = 0;
	(void)state;
	for (int i = 0; transports[i]; i++) {
		const struct transport *tr = transports[i];
		if (!(tr->caps & TR_IPV4DGRAM))
			continue;
		assert_true(tr->caps & TR_DGRAM);
		assert_int_equal(tr_max_msg(tr, why, sizeof(why)), 65535 - 20 - 8);
		udp_has_it |= !strcmp(tr->name, "udp");
	}
	assert_true(udp_has_it);
	assert_true(tr_find("posix-mq")->caps & TR_MQATTR);
	assert_true(tr_find("sysv-msg")->caps & TR_SYSVMSGQ);
}

int main(void)
{
	struct CMUnitTest tests[MAX_TESTS];
	static char names[MAX_TESTS][64];
	size_t n = 0;
	cleanup_init();
	tests[n++] = (struct CMUnitTest){ .name = "ipv4 datagram bound is a flag",
					  .test_func = test_ipv4_datagram_is_a_flag };
	for (int i = 0; transports[i] && n < MAX_TESTS; i++) {
		if ((transports[i]->caps & (TR_DGRAM | TR_FD)) == (TR_DGRAM | TR_FD)) {
			snprintf(names[n], sizeof(names[n]), "%s: largest message exact",
				 transports[i]->name);
			tests[n] = (struct CMUnitTest){
				.name = names[n],
				.test_func = test_datagram_max_is_exact,
				.initial_state = (void *)transports[i],
			};
			n++;
		}
		if (!(transports[i]->caps & TR_MSG) || n >= MAX_TESTS)
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
