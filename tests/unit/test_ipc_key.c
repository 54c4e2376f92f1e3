/* test_ipc_key.c - SysV keys a probe makes (issue 28 item 3, "the run token is public"): their
 * tag is SipHash-2-4 under the run's secret (checked against the reference vector), not the
 * public token; a probe run by hand, with no secret, still makes keys; and ipc_key_create()
 * tries a bounded number of keys.  A squatter holding every key makes it give up after exactly
 * IPC_KEY_ATTEMPTS tries, each a different key, with the reason said, instead of looping until
 * the case times out; an error other than EEXIST ends it at once.  No kernel object is made:
 * the key maker is injected. */
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

#include "cleanup.h"

#define SECRET "00000000c0ffee00"

struct maker {
	int calls, fail_with, succeed_on;
	int keys[IPC_KEY_ATTEMPTS + 1];
};

/* Fails with fail_with, but for call number succeed_on (1-based), which returns 1000 + call. */
static int fake_make(int key, void *arg)
{
	struct maker *m = arg;
	if (m->calls <= IPC_KEY_ATTEMPTS)
		m->keys[m->calls] = key;
	m->calls++;
	if (m->calls == m->succeed_on)
		return 1000 + m->calls;
	errno = m->fail_with;
	return -1;
}

static void test_siphash_reference_vector(void **state)
{
	(void)state;
	/* SipHash-2-4, key bytes 00..0f, message bytes 00..07 (Aumasson and Bernstein's vectors). */
	assert_true(ipc_siphash_word(0x0706050403020100ull, 0x0f0e0d0c0b0a0908ull,
				     0x0706050403020100ull) == 0x93f5f5799a932462ull);
}

static void test_tag_follows_the_secret(void **state)
{
	(void)state;
	assert_true(ipc_run_secret() == 0xc0ffee00ull);
	long g = (long)getpgrp();
	assert_int_not_equal(ipc_key_tag(0xc0ffee00ull, g), ipc_key_tag(0xc0ffee01ull, g));
	assert_int_not_equal(ipc_key_tag(0xc0ffee00ull, g), ipc_key_tag(0xc0ffee00ull, g + 1));
	int k = ipc_key();
	assert_true(ipc_key_is(k, 0xc0ffee00ull, g));
	assert_int_equal(k & (int)0xc0000000, IPC_KEY_MARK);
}

static void test_every_key_taken_gives_up_saying_why(void **state)
{
	(void)state;
	struct maker m = { .fail_with = EEXIST };
	char err[256] = "";
	errno = 0;
	assert_int_equal(ipc_key_create(fake_make, &m, "sysv-msg", err, sizeof(err)), -1);
	assert_int_equal(errno, EEXIST);
	assert_int_equal(m.calls, IPC_KEY_ATTEMPTS);
	assert_int_equal(IPC_KEY_ATTEMPTS, 64);
	assert_string_equal(err, "sysv-msg: 64 keys in a row already taken (EEXIST): another "
				 "process holds this run's keys; see ipcs");
	for (int i = 1; i < IPC_KEY_ATTEMPTS; i++) {
		assert_int_equal(m.keys[i] & ~0xff, m.keys[0] & ~0xff);	/* one group's tag */
		assert_int_equal(m.keys[i] & 0xff, (m.keys[i - 1] + 1) & 0xff);	/* the next seq */
	}
}

static void test_taken_keys_are_passed_over(void **state)
{
	(void)state;
	struct maker m = { .fail_with = EEXIST, .succeed_on = 3 };
	char err[64] = "untouched";
	assert_int_equal(ipc_key_create(fake_make, &m, "sysv-msg", err, sizeof(err)), 1003);
	assert_int_equal(m.calls, 3);
	assert_string_equal(err, "untouched");
}

static void test_another_error_ends_at_once(void **state)
{
	(void)state;
	struct maker m = { .fail_with = ENOSPC };
	char err[64] = "untouched";
	assert_int_equal(ipc_key_create(fake_make, &m, "sysv-msg", err, sizeof(err)), -1);
	assert_int_equal(errno, ENOSPC);
	assert_int_equal(m.calls, 1);
	assert_string_equal(err, "untouched");	/* the caller says what ENOSPC means */
}

/* Run by hand (no secret, or a malformed one): keys still come, under the secret 0.  Must run
 * first: the forked child reads the environment before anything has cached the secret. */
static void test_no_secret_still_makes_keys(void **state)
{
	(void)state;
	static const char *const bad[] = { NULL, "", "c0ffee", "00000000C0FFEE00",
					   "00000000c0ffee00a", "00000000c0ffeeg0" };
	for (unsigned i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		pid_t pid = fork();
		if (pid == 0) {
			if (bad[i])
				setenv("IPCPROBE_RUN_SECRET", bad[i], 1);
			else
				unsetenv("IPCPROBE_RUN_SECRET");
			_exit(ipc_run_secret() == 0 && ipc_key_is(ipc_key(), 0, (long)getpgrp()) ? 0 : 1);
		}
		int st;
		assert_int_equal(waitpid(pid, &st, 0), pid);
		assert_true(WIFEXITED(st) && WEXITSTATUS(st) == 0);
	}
}

int main(void)
{
	setenv("IPCPROBE_RUN_TOKEN", "00000000feedbeef", 1);
	setenv("IPCPROBE_RUN_SECRET", SECRET, 1);
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_no_secret_still_makes_keys),
		cmocka_unit_test(test_siphash_reference_vector),
		cmocka_unit_test(test_tag_follows_the_secret),
		cmocka_unit_test(test_every_key_taken_gives_up_saying_why),
		cmocka_unit_test(test_taken_keys_are_passed_over),
		cmocka_unit_test(test_another_error_ends_at_once),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
