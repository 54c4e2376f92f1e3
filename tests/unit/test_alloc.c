/* test_alloc.c - the one way probes meet an allocation failure (probes/lib/alloc.h): an
 * allocation gives zeroed memory or never returns; outside a running case (a forked child
 * here) a failure says how many bytes and what for on stderr and exits 1 (PROBE_FAILED); an
 * array whose size overflows fails the same way rather than wrapping round; and the record
 * path is taken only by the process that set the hook, never by a child it forked.  (The
 * record path itself: tests/e2e/test_probe_rules.sh runs the selftest probe's oom case.) */
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

#include "alloc.h"

/* Under AddressSanitizer an impossible size must come back NULL, as from libc, not abort. */
__attribute__((used)) const char *__asan_default_options(void);
__attribute__((used)) const char *__asan_default_options(void)
{
	return "allocator_may_return_null=1";
}

#define HUGE_BYTES ((size_t)1 << 62)

static void test_zeroed(void **state)
{
	(void)state;
	unsigned char *p = probe_alloc(4096, "a test block");
	for (size_t i = 0; i < 4096; i++)
		assert_int_equal(p[i], 0);
	free(p);
	int64_t *a = probe_alloc_array(1000, sizeof(*a), "a test array");
	assert_int_equal(a[999], 0);
	free(a);
	free(probe_alloc(0, "nothing"));	/* a real pointer, never NULL */
}

/* Run fn in a child with its stderr into a pipe; its exit status, and what it said. */
static int in_child(void (*fn)(void), char *said, size_t len)
{
	int fds[2];
	assert_int_equal(pipe(fds), 0);
	pid_t pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		dup2(fds[1], 2);
		fn();
		_exit(99);	/* fn returned: the allocation did not end the process */
	}
	close(fds[1]);
	size_t got = 0;
	ssize_t n;
	while (got + 1 < len && (n = read(fds[0], said + got, len - 1 - got)) > 0)
		got += (size_t)n;
	said[got] = '\0';
	close(fds[0]);
	int st;
	assert_int_equal(waitpid(pid, &st, 0), pid);
	return st;
}

/* The last line of text, without its newline (a sanitizer or valgrind may warn before it). */
static const char *last_line(char *text)
{
	size_t n = strlen(text);
	if (n && text[n - 1] == '\n')
		text[--n] = '\0';
	char *nl = strrchr(text, '\n');
	return nl ? nl + 1 : text;
}

static void alloc_huge(void)
{
	volatile char *p = probe_alloc(HUGE_BYTES, "a block no machine has");
	p[0] = 1;
}

static void alloc_overflowing_array(void)
{
	volatile char *p = probe_alloc_array(SIZE_MAX / 2, 4, "an array past SIZE_MAX");
	p[0] = 1;
}

static void hook_that_returns(const char *reason)
{
	(void)reason;
	_exit(42);	/* the hook was taken */
}

/* A hook set by the parent is not the child's: the child reports on stderr and exits 1. */
static void fork_then_alloc_huge(void)
{
	alloc_set_failure_hook(hook_that_returns);
	pid_t pid = fork();
	if (pid == 0)
		alloc_huge();
	int st;
	waitpid(pid, &st, 0);
	_exit(WIFEXITED(st) ? WEXITSTATUS(st) : 98);
}

static void hooked_alloc_huge(void)
{
	alloc_set_failure_hook(hook_that_returns);
	alloc_huge();
}

static void test_failure_exits_1_saying_what(void **state)
{
	(void)state;
	char said[512];
	int st = in_child(alloc_huge, said, sizeof(said));
	assert_true(WIFEXITED(st));
	assert_int_equal(WEXITSTATUS(st), 1);
	assert_string_equal(last_line(said), "out of memory: 4611686018427387904 bytes for a "
					     "block no machine has");
	st = in_child(alloc_overflowing_array, said, sizeof(said));
	assert_true(WIFEXITED(st));
	assert_int_equal(WEXITSTATUS(st), 1);
	assert_non_null(strstr(said, "out of memory"));
	assert_non_null(strstr(said, "an array past SIZE_MAX"));
}

static void test_hook_only_in_its_process(void **state)
{
	(void)state;
	char said[512];
	int st = in_child(hooked_alloc_huge, said, sizeof(said));
	assert_true(WIFEXITED(st));
	assert_int_equal(WEXITSTATUS(st), 42);	/* the process that set it takes the hook */
	st = in_child(fork_then_alloc_huge, said, sizeof(said));
	assert_true(WIFEXITED(st));
	assert_int_equal(WEXITSTATUS(st), 1);	/* its child does not */
	assert_non_null(strstr(said, "out of memory: 4611686018427387904 bytes"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_zeroed),
		cmocka_unit_test(test_failure_exits_1_saying_what),
		cmocka_unit_test(test_hook_only_in_its_process),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
