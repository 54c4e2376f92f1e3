/* test_transport_fd.c - transports whose ends are plain descriptors, each side its own, share
 * one keep() and one close() (tr_fd_keep, tr_fd_close in transport.c) instead of a copy each;
 * and those two do what transport.h says: keep(side) closes exactly the other side's
 * descriptors, close() closes every one still open.  Which transports are meant is decided by
 * what an opened pair holds (TR_FD, and no descriptor shared between the sides), not by name. */
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "cleanup.h"
#include "transport.h"

static int fd_open(int fd)
{
	return fd >= 0 && fcntl(fd, F_GETFD) >= 0;
}

/* 1 when no descriptor of side 0 is also one of side 1's (eventfd shares them). */
static int sides_apart(const struct tr_pair *p)
{
	const struct tr_end *a = &p->end[0], *b = &p->end[1];
	int fa[2] = { a->rfd, a->wfd }, fb[2] = { b->rfd, b->wfd };
	for (int i = 0; i < 2; i++)
		for (int k = 0; k < 2; k++)
			if (fa[i] >= 0 && fa[i] == fb[k])
				return 0;
	return 1;
}

/* Open a pair of tr; skip the test (with the reason) where it is unsupported here. */
static int open_or_skip(const struct transport *tr, struct tr_pair *p)
{
	char err[512];
	if (tr_open(tr, p, err, sizeof(err)) < 0) {
		print_message("%s: %s\n", tr->name, err);
		return -1;
	}
	return 0;
}

/* Every TR_FD transport whose sides hold descriptors of their own uses the shared pair. */
static void test_plain_fd_transports_share_keep_close(void **state)
{
	(void)state;
	int checked = 0;
	for (int i = 0; transports[i]; i++) {
		const struct transport *tr = transports[i];
		struct tr_pair p;
		if (!(tr->caps & TR_FD) || open_or_skip(tr, &p) < 0)
			continue;
		int apart = sides_apart(&p);
		tr_close(&p);
		if (!apart)
			continue;
		print_message("%s: plain descriptors, one per side\n", tr->name);
		assert_ptr_equal(tr->keep, tr_fd_keep);
		assert_ptr_equal(tr->close, tr_fd_close);
		checked++;
	}
	/* pipe, fifo, unix-stream, unix-dgram, tcp, udp at least, on any platform */
	assert_true(checked >= 6);
}

/* keep(side) closes the other side's descriptors and leaves its own open. */
static void keep_side(const struct transport *tr, int side)
{
	struct tr_pair p;
	if (open_or_skip(tr, &p) < 0)
		return;
	struct tr_end mine = p.end[side], other = p.end[!side];
	tr_fd_keep(&p, side);
	assert_int_equal(p.end[!side].rfd, -1);
	assert_int_equal(p.end[!side].wfd, -1);
	assert_false(fd_open(other.rfd));
	assert_false(fd_open(other.wfd));
	assert_int_equal(p.end[side].rfd, mine.rfd);
	assert_int_equal(p.end[side].wfd, mine.wfd);
	assert_true(fd_open(mine.rfd));
	assert_true(fd_open(mine.wfd));
	tr_fd_close(&p);
	assert_false(fd_open(mine.rfd));
	assert_false(fd_open(mine.wfd));
	for (int s = 0; s < 2; s++)
		assert_true(p.end[s].rfd == -1 && p.end[s].wfd == -1);
	tr_fd_close(&p);	/* twice is harmless: nothing is left to close */
}

static void test_keep_closes_the_other_side(void **state)
{
	(void)state;
	keep_side(tr_find("pipe"), 0);
	keep_side(tr_find("pipe"), 1);
	keep_side(tr_find("unix-stream"), 0);
	keep_side(tr_find("unix-stream"), 1);
}

int main(void)
{
	cleanup_init();
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_plain_fd_transports_share_keep_close),
		cmocka_unit_test(test_keep_closes_the_other_side),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
