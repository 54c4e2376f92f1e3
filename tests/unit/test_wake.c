/* test_wake.c - the wake-up mechanisms of the shm probe's hand-over are an ops table
 * (probes/lib/wake.h) like the transports: the enum parameter's names are the table's, in
 * its order; and every mechanism usable here hands messages back and forth between two real
 * processes, each arriving whole with its number, the counting one (futex) waking only a
 * waiter asleep; descriptors it made are gone after wake_close().  One test per mechanism,
 * built from the table; an unsupported one is skipped with its reason. */
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include <cmocka.h>

#include "child.h"
#include "wake.h"

#define ROUNDS 2000
#define DEADLINE_NS (30LL * 1000000000)

static void test_names_are_the_table(void **state)
{
	(void)state;
	int n = 0;
	for (; wakes[n]; n++) {
		assert_non_null(wake_names[n]);
		assert_string_equal(wake_names[n], wakes[n]->name);
		assert_ptr_equal(wake_find(wake_names[n]), wakes[n]);
		assert_non_null(wakes[n]->wait);
		assert_non_null(wakes[n]->post);
	}
	assert_null(wake_names[n]);
	assert_int_equal(n, 5);	/* futex, sem, mutex_cond, eventfd, spin */
	assert_null(wake_find("semaphore"));
}

static void put(struct wake_box *b, uint32_t seq)
{
	memset(b->payload, (int)(seq & 0xff), 64);
	memcpy(b->payload, &seq, sizeof(seq));
}

static int got(const struct wake_box *b, uint32_t seq)
{
	uint32_t s;
	memcpy(&s, b->payload, sizeof(s));
	return s == seq && b->seq == seq && (unsigned char)b->payload[63] == (seq & 0xff);
}

/* The peer: answer every message with the same number; exit 1 on a wrong one. */
static void echo(const struct wake_ops *ops, struct wake_pair *w)
{
	for (uint32_t seq = 1; seq <= ROUNDS; seq++) {
		ops->wait(w, 0, seq);
		if (!got(&w->box[0], seq))
			_exit(1);
		put(&w->box[1], seq);
		ops->post(w, 1, seq);
	}
	_exit(0);
}

static void test_hands_messages_over(void **state)
{
	const struct wake_ops *ops = *state;
	char why[256];
	struct wake_pair *w = mmap(NULL, sizeof(*w), PROT_READ | PROT_WRITE,
				   MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	assert_true(w != MAP_FAILED);
	int e = wake_open(ops, w, why, sizeof(why));
	if (e == ENOSYS || e == ENOTSUP) {
		print_message("%s: unsupported here: %s\n", ops->name, why);
		munmap(w, sizeof(*w));
		skip();
	}
	assert_int_equal(e, 0);
	int efd[2] = { w->efd[0], w->efd[1] };
	pid_t pid = child_fork();
	assert_true(pid >= 0);
	if (pid == 0)
		echo(ops, w);
	int bad = 0;
	for (uint32_t seq = 1; seq <= ROUNDS && !bad; seq++) {
		put(&w->box[0], seq);
		ops->post(w, 0, seq);
		ops->wait(w, 1, seq);
		bad = !got(&w->box[1], seq);
	}
	int timed_out;
	int st = child_reap(pid, bad ? 0 : DEADLINE_NS, &timed_out);
	assert_false(bad);
	assert_false(timed_out);
	assert_int_equal(st, 0);
	if (ops->flags & WAKE_COUNTS) {
		uint64_t sleeps = w->box[0].sleeps + w->box[1].sleeps;
		uint64_t made = w->box[0].wakes + w->box[1].wakes;
		print_message("%s: %llu sleeps, %llu wakes\n", ops->name,
			      (unsigned long long)sleeps, (unsigned long long)made);
		/* A wake is made only for a peer that announced a sleep, at most one per post
		 * (ROUNDS each way).  Not "wakes <= sleeps": a peer that announced, then saw the
		 * number arrive, does not sleep, yet the writer that saw its announcement wakes
		 * it (under valgrind: 3922 wakes for 3921 sleeps). */
		assert_true(made <= 2 * ROUNDS);
	}
	wake_close(ops, w);
	for (int d = 0; d < 2; d++) {
		assert_int_equal(w->efd[d], -1);
		if (efd[d] >= 0)
			assert_true(fcntl(efd[d], F_GETFD) < 0 && errno == EBADF);
	}
	munmap(w, sizeof(*w));
}

int main(void)
{
	struct CMUnitTest tests[16];
	size_t n = 0;
	tests[n++] = (struct CMUnitTest){ .name = "names are the table",
					  .test_func = test_names_are_the_table };
	for (int i = 0; wakes[i] && n < 16; i++)
		tests[n++] = (struct CMUnitTest){ .name = wakes[i]->name,
						  .test_func = test_hands_messages_over,
						  .initial_state = (void *)wakes[i] };
	return _cmocka_run_group_tests("wake", tests, n, NULL, NULL);
}
