/* test_records.c - what report, compare and export accept as a record, and the messages for
 * what they refuse; records files name path:line. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "records.h"

#define GOOD "{\"schema\":1,\"probe\":\"capacity\",\"case\":\"fill_nonblocking\"," \
	     "\"transport\":\"pipe\",\"params\":{\"chunk\":4096},\"metric\":\"capacity\"," \
	     "\"unit\":\"bytes\",\"direction\":\"none\",\"status\":\"ok\",\"reason\":null," \
	     "\"value\":65536}"

static void expect_error(const char *line, const char *msg)
{
	char err[512];
	json_t *r = record_parse_line(line, strlen(line), err, sizeof(err));
	assert_null(r);
	assert_string_equal(err, msg);
}

static void test_record_accepts_a_complete_record(void **state)
{
	(void)state;
	char err[512];
	json_t *r = record_parse_line(GOOD, strlen(GOOD), err, sizeof(err));
	assert_non_null(r);
	char *key = record_key(r);
	assert_string_equal(key, "capacity/fill_nonblocking/pipe/capacity {\"chunk\":4096}");
	free(key);
	json_decref(r);
}

static void test_record_rejects_each_broken_field_with_its_reason(void **state)
{
	(void)state;
	expect_error("[1,2]", "a record must be a JSON object");
	expect_error("{\"schema\":2}", "\"schema\" must be 1");
	expect_error("{\"schema\":1,\"probe\":\"p\"}", "\"case\" must be a non-empty string");
	expect_error("{\"schema\":1,\"probe\":\"p\",\"case\":\"c\",\"metric\":\"m\",\"unit\":\"KiB\","
		     "\"direction\":\"none\",\"status\":\"ok\",\"value\":1}",
		     "unknown unit \"KiB\" (expected ns, bytes, bytes_per_s, ops_per_s, count or "
		     "ratio)");
	expect_error("{\"schema\":1,\"probe\":\"p\",\"case\":\"c\",\"metric\":\"m\",\"unit\":\"ns\","
		     "\"direction\":\"up\",\"status\":\"ok\",\"value\":1}",
		     "unknown direction \"up\" (expected lower, higher or none)");
	expect_error("{\"schema\":1,\"probe\":\"p\",\"case\":\"c\",\"metric\":\"m\",\"unit\":\"ns\","
		     "\"direction\":\"lower\",\"status\":\"failed\",\"value\":null}",
		     "status \"failed\" needs a \"reason\" string");
	expect_error("{\"schema\":1,\"probe\":\"p\",\"case\":\"c\",\"metric\":\"m\",\"unit\":\"ns\","
		     "\"direction\":\"lower\",\"status\":\"ok\",\"value\":null}",
		     "status \"ok\" needs a numeric \"value\"");
	expect_error("{\"schema\":1,\"probe\":\"p\",\"case\":\"c\",\"metric\":\"m\",\"unit\":\"ns\","
		     "\"direction\":\"lower\",\"status\":\"ok\",\"value\":\"fast\"}",
		     "\"value\" must be a number or null");
	expect_error("{\"schema\":1,\"schema\":1}",
		     "not JSON: duplicate object key near '\"schema\"' (column 20)");
	expect_error("{\"schema\":1,", "not JSON: string or '}' expected near end of file (column 12)");
}

static void test_records_load_names_the_bad_line(void **state)
{
	(void)state;
	char path[] = "/tmp/ipcprobe-test-records-XXXXXX", err[512];
	int fd = mkstemp(path);
	assert_true(fd >= 0);
	FILE *f = fdopen(fd, "w");
	fprintf(f, "%s\n\n%s\nnot json\n", GOOD, GOOD);
	fclose(f);
	json_t *all = records_load(path, err, sizeof(err));
	assert_null(all);
	char want[600];
	snprintf(want, sizeof(want), "%s:4: not JSON: ", path);
	assert_memory_equal(err, want, strlen(want));
	f = fopen(path, "w");
	fprintf(f, "%s\n%s", GOOD, GOOD);	/* no final newline: still two records */
	fclose(f);
	all = records_load(path, err, sizeof(err));
	assert_non_null(all);
	assert_int_equal(json_array_size(all), 2);
	json_decref(all);
	unlink(path);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_record_accepts_a_complete_record),
		cmocka_unit_test(test_record_rejects_each_broken_field_with_its_reason),
		cmocka_unit_test(test_records_load_names_the_bad_line),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
