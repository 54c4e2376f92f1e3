/* test_sysinfo.c - the one reader of the OS's own files (probes/lib/sysinfo): a number file,
 * several numbers on a line (uid_map), a "Key: value" file in decimal (meminfo, with its unit
 * not applied) and in hex (status CapEff), a first line; and "absent" (-1) for a missing
 * file, a missing key or text where a number belongs, never a guess. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "sysinfo.h"

static char dir[] = "/tmp/test-sysinfo-XXXXXX";

/* Write text into the file name in the test's directory; its path. */
static const char *file_with(const char *name, const char *text)
{
	static char path[256];
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
	return path;
}

static void test_one_number(void **state)
{
	(void)state;
	assert_int_equal(sysctl_read(file_with("wmem_max", "212992\n")), 212992);
	assert_int_equal(sysctl_read(file_with("big", "9223372036854775807\n")),
			 9223372036854775807LL);
	assert_int_equal(sysctl_read(file_with("words", "always [madvise] never\n")), -1);
	assert_int_equal(sysctl_read(file_with("empty", "")), -1);
	assert_int_equal(sysctl_read("/nonexistent/ipcprobe/sysctl"), -1);
}

static void test_numbers_on_a_line(void **state)
{
	(void)state;
	long long v[4] = { -7, -7, -7, -7 };
	const char *uid_map = file_with("uid_map", "         0          0 4294967295\n");
	assert_int_equal(sysfile_numbers(uid_map, v, 3), 3);
	assert_int_equal(v[0], 0);
	assert_int_equal(v[1], 0);
	assert_int_equal(v[2], 4294967295LL);
	assert_int_equal(sysfile_numbers(uid_map, v, 2), 2);	/* never more than asked */
	assert_int_equal(sysfile_numbers(file_with("short", "1 2 x 4\n"), v, 4), 2);
	assert_int_equal(sysfile_numbers("/nonexistent/ipcprobe/uid_map", v, 3), -1);
}

static void test_key_value_fields(void **state)
{
	(void)state;
	unsigned long long v = 7;
	const char *meminfo = file_with("meminfo", "MemTotal:       16318416 kB\n"
						   "MemFree:         1017008 kB\n"
						   "MemAvailable:    9875432 kB\n"
						   "HugePages_Total:       0\n");
	assert_int_equal(sysfile_field(meminfo, "MemAvailable", 10, &v), 0);
	assert_int_equal(v, 9875432);	/* kB: the caller scales */
	assert_int_equal(sysfile_field(meminfo, "HugePages_Total", 10, &v), 0);
	assert_int_equal(v, 0);
	/* "Mem" is not "MemTotal": the key ends at its colon */
	assert_int_equal(sysfile_field(meminfo, "Mem", 10, &v), -1);
	assert_int_equal(sysfile_field(meminfo, "SwapTotal", 10, &v), -1);

	const char *status = file_with("status", "Name:\tlimits\nUid:\t1000\t1000\t1000\t1000\n"
						 "CapEff:\t000001ffffffffff\nCapBnd:\tzzz\n");
	assert_int_equal(sysfile_field(status, "CapEff", 16, &v), 0);
	assert_int_equal(v, 0x000001ffffffffffULL);
	assert_int_equal(sysfile_field(status, "Uid", 10, &v), 0);
	assert_int_equal(v, 1000);
	assert_int_equal(sysfile_field(status, "Name", 10, &v), -1);	/* text, not a number */
	assert_int_equal(sysfile_field(status, "CapBnd", 16, &v), -1);
	assert_int_equal(sysfile_field("/nonexistent/ipcprobe/status", "CapEff", 16, &v), -1);
}

static void test_first_line(void **state)
{
	(void)state;
	char buf[64];
	assert_int_equal(sysfile_line(file_with("thp", "always [madvise] never\nsecond\n"), buf,
				      sizeof(buf)), 0);
	assert_string_equal(buf, "always [madvise] never");
	assert_int_equal(sysfile_line(file_with("long", "0123456789\n"), buf, 5), 0);
	assert_string_equal(buf, "0123");
	assert_int_equal(sysfile_line(file_with("none", ""), buf, sizeof(buf)), -1);
	assert_int_equal(sysfile_line("/nonexistent/ipcprobe/thp", buf, sizeof(buf)), -1);
}

/* Where /proc is there, the reader agrees with the system calls. */
static void test_real_proc(void **state)
{
	(void)state;
	unsigned long long pid;
	if (sysfile_field("/proc/self/status", "Pid", 10, &pid) < 0) {
		print_message("no /proc/self/status here\n");
		return;
	}
	assert_int_equal(pid, (unsigned long long)getpid());
}

static int make_dir(void **state)
{
	(void)state;
	return mkdtemp(dir) ? 0 : -1;
}

static int remove_dir(void **state)
{
	(void)state;
	char cmd[128];
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	return system(cmd) == 0 ? 0 : -1;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_one_number),
		cmocka_unit_test(test_numbers_on_a_line),
		cmocka_unit_test(test_key_value_fields),
		cmocka_unit_test(test_first_line),
		cmocka_unit_test(test_real_proc),
	};
	return cmocka_run_group_tests(tests, make_dir, remove_dir);
}
