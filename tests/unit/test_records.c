/* test_records.c - what report, compare and export accept as a record, and the messages for
 * what they refuse: the catalogue tests/bad-records/ (expectations in its EXPECTED file) and
 * records files cut short by a killed runner. */
#include <dirent.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "store/records.h"

#define GOOD "{\"schema\":1,\"probe\":\"capacity\",\"case\":\"fill_nonblocking\"," \
	     "\"transport\":\"pipe\",\"params\":{\"chunk\":4096},\"metric\":\"capacity\"," \
	     "\"unit\":\"bytes\",\"direction\":\"none\",\"status\":\"ok\",\"reason\":null," \
	     "\"value\":65536}"

static char root[4096];	/* the source tree */

static void expect_error(const char *line, const char *msg)
{
	char err[512];
	int col;
	json_t *r = record_parse_line(line, strlen(line), &col, err, sizeof(err));
	assert_null(r);
	assert_string_equal(err, msg);
}

static void test_record_accepts_a_complete_record(void **state)
{
	(void)state;
	char err[512];
	int col;
	json_t *r = record_parse_line(GOOD, strlen(GOOD), &col, err, sizeof(err));
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
		     "not JSON: duplicate object key near '\"schema\"'");
	expect_error("{\"schema\":1,", "not JSON: string or '}' expected near end of file");
}

/* A timing record's dist with the median's interval and two modes, as stats_json() makes it,
 * then with each of them broken. */
#define TIMING "{\"schema\":1,\"probe\":\"latency\",\"case\":\"roundtrip\",\"metric\":\"rtt\"," \
	       "\"unit\":\"ns\",\"direction\":\"lower\",\"status\":\"ok\",\"value\":15000," \
	       "\"dist\":{\"n\":1000,\"p50\":15000,"
#define CI_OK "\"p50_ci\":{\"lo\":14800,\"hi\":15300,\"level\":0.9503,\"reached\":true," \
	      "\"method\":\"order statistics\"}"
#define MODE_A "{\"center\":15000,\"lo\":12000,\"hi\":30000,\"share\":0.7}"

static void accept_line(const char *line)
{
	char err[512];
	int col;
	json_t *r = record_parse_line(line, strlen(line), &col, err, sizeof(err));
	assert_non_null(r);
	json_decref(r);
}

static void test_record_checks_the_medians_interval_and_modes(void **state)
{
	(void)state;
	accept_line(TIMING CI_OK ",\"modes\":[" MODE_A ",{\"center\":95000,\"lo\":31000,\"hi\":99000,"
	       "\"share\":0.3}]}}");
	accept_line(TIMING "\"p50_ci\":null,\"modes\":null}}");
	static const char *const ci_shape = "\"dist\".\"p50_ci\" must be null or an object with "
		"lo, hi, level (0 to 1), reached (a boolean) and method (a string)";
	expect_error(TIMING "\"p50_ci\":{\"lo\":15300,\"hi\":14800,\"level\":0.95,\"reached\":true,"
		     "\"method\":\"m\"}}}", "\"dist\".\"p50_ci\" has \"lo\" 15300 above \"hi\" 14800");
	expect_error(TIMING "\"p50_ci\":{\"lo\":-1,\"hi\":14800,\"level\":0.95,\"reached\":true,"
		     "\"method\":\"m\"}}}", "\"dist\".\"p50_ci\" needs \"lo\" and \"hi\" (numbers "
		     "from 0 up to 2^63)");
	expect_error(TIMING "\"p50_ci\":{\"hi\":14800,\"level\":0.95,\"reached\":true,"
		     "\"method\":\"m\"}}}", "\"dist\".\"p50_ci\" needs \"lo\" and \"hi\" (numbers "
		     "from 0 up to 2^63)");
	expect_error(TIMING "\"p50_ci\":{\"lo\":1,\"hi\":2,\"level\":1.5,\"reached\":true,"
		     "\"method\":\"m\"}}}", ci_shape);
	expect_error(TIMING "\"p50_ci\":{\"lo\":1,\"hi\":2,\"level\":0.95,\"reached\":1,"
		     "\"method\":\"m\"}}}", ci_shape);
	expect_error(TIMING "\"p50_ci\":{\"lo\":1,\"hi\":2,\"level\":0.95,\"reached\":true}}}",
		     ci_shape);
	expect_error(TIMING "\"p50_ci\":15000}}", ci_shape);
	expect_error(TIMING CI_OK ",\"modes\":{}}}", "\"dist\".\"modes\" must be null or an array");
	static const char *const mode_shape = "\"dist\".\"modes\"[1] must be an object with "
		"center, lo, hi (numbers from 0 up to 2^63) and share (0 to 1)";
	expect_error(TIMING CI_OK ",\"modes\":[" MODE_A ",{\"center\":1,\"lo\":1,\"hi\":2,"
		     "\"share\":1.3}]}}", mode_shape);
	expect_error(TIMING CI_OK ",\"modes\":[" MODE_A ",{\"center\":-5,\"lo\":1,\"hi\":2,"
		     "\"share\":0.3}]}}", mode_shape);
	expect_error(TIMING CI_OK ",\"modes\":[" MODE_A ",7]}}", mode_shape);
	expect_error(TIMING CI_OK ",\"modes\":[{\"center\":1,\"lo\":3,\"hi\":2,\"share\":1}]}}",
		     "a mode of \"dist\" has \"lo\" 3 above \"hi\" 2");
}

/* A duration (unit ns) is above 0: 0 is a clock that did not tick, and -0, which every unit's
 * "from 0 up" let by, made compare call a 45 us NEW infinitely better (issue 28 item 4).  A
 * count or a rate may be 0. */
#define DURATION(v) "{\"schema\":1,\"probe\":\"latency\",\"case\":\"roundtrip\"," \
		    "\"metric\":\"rtt\",\"unit\":\"ns\",\"direction\":\"lower\"," \
		    "\"status\":\"ok\",\"value\":" v "}"
#define COUNTED(unit, v) "{\"schema\":1,\"probe\":\"p\",\"case\":\"c\",\"metric\":\"m\"," \
			 "\"unit\":\"" unit "\",\"direction\":\"higher\",\"status\":\"ok\"," \
			 "\"value\":" v "}"

static void test_record_refuses_a_duration_of_zero(void **state)
{
	(void)state;
	expect_error(DURATION("0"), "\"value\" 0 is no duration: a time in \"ns\" is above 0");
	expect_error(DURATION("0.0"), "\"value\" 0 is no duration: a time in \"ns\" is above 0");
	expect_error(DURATION("-0.0"), "\"value\" -0 is no duration: a time in \"ns\" is above 0");
	expect_error(DURATION("-0"), "\"value\" 0 is no duration: a time in \"ns\" is above 0");
	accept_line(DURATION("0.5"));
	accept_line(DURATION("1"));
	accept_line(COUNTED("count", "0"));
	accept_line(COUNTED("ops_per_s", "0"));
	accept_line(COUNTED("bytes_per_s", "0.0"));
	accept_line(COUNTED("bytes", "0"));
	accept_line(COUNTED("ratio", "0"));
	/* A record that is not ok has no value to judge. */
	accept_line("{\"schema\":1,\"probe\":\"p\",\"case\":\"c\",\"metric\":\"m\","
		    "\"unit\":\"ns\",\"direction\":\"lower\",\"status\":\"unsupported\","
		    "\"reason\":\"no memfd\",\"value\":null}");
	/* The column points at the key at fault. */
	char err[512];
	int col;
	const char *line = DURATION("-0.0");
	assert_null(record_parse_line(line, strlen(line), &col, err, sizeof(err)));
	assert_int_equal(col, (int)(strstr(line, "\"value\"") - line) + 1);
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
	snprintf(want, sizeof(want), "%s:4:3: not JSON: ", path);
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

/* A killed runner may leave records.jsonl.partial with its last line cut: the run's reader
 * keeps every whole line and drops that one; records.jsonl itself is never forgiven. */
static void test_a_cut_last_line_is_dropped_only_from_a_partial_file(void **state)
{
	(void)state;
	char dir[] = "/tmp/ipcprobe-test-partial-XXXXXX", path[600], err[600];
	int partial = -1;
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/records.jsonl.partial", dir);
	FILE *f = fopen(path, "w");
	fprintf(f, "%s\n%s\n%.40s", GOOD, GOOD, GOOD);
	fclose(f);
	json_t *all = records_load_run(dir, &partial, err, sizeof(err));
	assert_non_null(all);
	assert_int_equal(partial, 1);
	assert_int_equal(json_array_size(all), 2);
	json_decref(all);
	assert_null(records_load(path, err, sizeof(err)));
	unlink(path);
	rmdir(dir);
}

/* Every file of tests/bad-records/ is refused with exactly the message its line in EXPECTED
 * gives: "NAME LINE:COL: MESSAGE". */
static void test_every_bad_records_file_is_refused_with_line_and_column(void **state)
{
	(void)state;
	char dir[4200], path[8400], line[1200], err[1200], want[9600];
	snprintf(dir, sizeof(dir), "%s/tests/bad-records", root);
	snprintf(path, sizeof(path), "%s/EXPECTED", dir);
	FILE *f = fopen(path, "r");
	assert_non_null(f);
	int n = 0, bad = 0;
	while (fgets(line, sizeof(line), f)) {
		line[strcspn(line, "\n")] = '\0';
		char *sp = strchr(line, ' ');
		if (line[0] == '#' || !sp)
			continue;
		*sp = '\0';
		snprintf(path, sizeof(path), "%s/%s", dir, line);
		snprintf(want, sizeof(want), "%s:%s", path, sp + 1);
		json_t *all = records_load(path, err, sizeof(err));
		if (all || strcmp(err, want) != 0) {
			print_error("%s\n  got:      %s\n  expected: %s\n", line,
				    all ? "(accepted)" : err, want);
			bad++;
		}
		json_decref(all);
		n++;
	}
	fclose(f);
	/* ...and EXPECTED lists every file. */
	DIR *d = opendir(dir);
	struct dirent *e;
	int files = 0;
	while ((e = readdir(d)))
		files += strlen(e->d_name) > 6 &&
			 strcmp(e->d_name + strlen(e->d_name) - 6, ".jsonl") == 0;
	closedir(d);
	assert_int_equal(bad, 0);
	assert_int_equal(files, n);
	assert_true(n >= 20);
	print_message("%d bad records files refused as expected\n", n);
}

int main(void)
{
	if (!getcwd(root, sizeof(root)))	/* run from the source tree (make test-unit) */
		return 1;
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_record_accepts_a_complete_record),
		cmocka_unit_test(test_record_rejects_each_broken_field_with_its_reason),
		cmocka_unit_test(test_record_checks_the_medians_interval_and_modes),
		cmocka_unit_test(test_record_refuses_a_duration_of_zero),
		cmocka_unit_test(test_records_load_names_the_bad_line),
		cmocka_unit_test(test_a_cut_last_line_is_dropped_only_from_a_partial_file),
		cmocka_unit_test(test_every_bad_records_file_is_refused_with_line_and_column),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
