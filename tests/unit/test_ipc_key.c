/* test_ipc_key.c - SysV keys a probe makes (issue 28 item 3): ipc_key_create() tries a bounded
 * number of keys.  A squatter holding every key makes it give up after exactly
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
#include <unistd.h>
#include <cmocka.h>

#include "cleanup.h"

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

int main(void)
{
	setenv("IPCPROBE_RUN_TOKEN", "00000000feedbeef", 1);
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_every_key_taken_gives_up_saying_why),
		cmocka_unit_test(test_taken_keys_are_passed_over),
		cmocka_unit_test(test_another_error_ends_at_once),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
