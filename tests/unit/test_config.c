/* test_config.c - the config loader on good input (the exact plan) and on the catalogue of
 * bad configs in tests/bad/, each carrying the error it must produce on its first line:
 * "# expect: LINE:COL: KEY: MESSAGE". */
#include <dirent.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "config/config.h"
#include "catalog/probes.h"
#include "common/util.h"

static char root[4096];	/* the source tree */

static void test_config_expands_lists_transports_and_cases_in_order(void **state)
{
	(void)state;
	struct config cfg;
	char err[2048], path[4200];
	snprintf(path, sizeof(path), "%s/tests/good/expand.yaml", root);
	int rc = config_load(path, &cfg, err, sizeof(err));
	if (rc)
		fail_msg("%s", err);
	assert_string_equal(cfg.name, "expand");
	assert_int_equal(cfg.repetitions, 2);
	assert_int_equal(cfg.timeout_ns, 5000000000LL);
	assert_string_equal(cfg.output, "results");
	/* capacity: the cases in the order the entry lists them, each case's transports in the
	 * probe's order (pipe before unix-stream); size applies to blocking_writer only. */
	static const char *const labels[] = {
		"capacity/blocking_writer pipe size=1KiB settle=10ms",
		"capacity/blocking_writer pipe size=2MiB settle=10ms",
		"capacity/blocking_writer unix-stream size=1KiB settle=10ms",
		"capacity/blocking_writer unix-stream size=2MiB settle=10ms",
		"capacity/fill_nonblocking pipe",
		"capacity/fill_nonblocking unix-stream",
		"selftest/ok wait=1.5ms mode=a",
		"selftest/ok wait=1.5ms mode=b",
	};
	assert_int_equal(cfg.ncases, sizeof(labels) / sizeof(labels[0]));
	for (size_t i = 0; i < cfg.ncases; i++)
		assert_string_equal(cfg.cases[i].label, labels[i]);
	struct plan_case *bw = &cfg.cases[1];
	assert_int_equal(bw->timeout_ns, 2000000000LL);
	assert_string_equal(bw->transport, "pipe");
	assert_int_equal(bw->nparams, 2);
	assert_string_equal(bw->params[0].key, "size");
	assert_string_equal(bw->params[0].text, "2097152");
	assert_string_equal(bw->params[1].text, "10000000ns");
	assert_int_equal(json_integer_value(json_object_get(bw->params_json, "size")), 2097152);
	assert_string_equal(bw->metric, "bytes_before_block");
	assert_string_equal(bw->unit, "bytes");
	struct plan_case *st = &cfg.cases[7];
	assert_null(st->transport);
	assert_int_equal(st->timeout_ns, 5000000000LL);
	/* Every parameter of the case is in params_json, defaults included. */
	assert_int_equal(json_integer_value(json_object_get(st->params_json, "value")), 42);
	assert_int_equal(json_integer_value(json_object_get(st->params_json, "wait")), 1500000);
	assert_string_equal(json_string_value(json_object_get(st->params_json, "mode")), "b");
	config_free(&cfg);
}

static void test_config_rejects_a_missing_file_and_a_directory(void **state)
{
	(void)state;
	struct config cfg;
	char err[2048], path[4200];
	assert_int_equal(config_load("/nonexistent/x.yaml", &cfg, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "/nonexistent/x.yaml: cannot open"));
	snprintf(path, sizeof(path), "%s/tests", root);
	assert_int_equal(config_load(path, &cfg, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "is a directory"));
}

/* One bad config: load it and compare with the expectation on its first line; 0 when it
 * matches, else -1 after printing the difference. */
static int check_bad(const char *path)
{
	char err[2048], e[256], want[1024], prefix[10000];
	char *text = read_file(path, NULL, e, sizeof(e));
	assert_non_null(text);
	const char *tag = "# expect: ";
	if (strncmp(text, tag, strlen(tag)) != 0)
		fail_msg("%s: the first line must be \"# expect: LINE:COL: KEY: MESSAGE\"", path);
	snprintf(want, sizeof(want), "%.*s", (int)strcspn(text + strlen(tag), "\n"),
		 text + strlen(tag));
	free(text);
	struct config cfg;
	if (config_load(path, &cfg, err, sizeof(err)) == 0) {
		config_free(&cfg);
		print_error("%s: accepted, but expected: %s\n", path, want);
		return -1;
	}
	/* The message starts with FILE:LINE:COL: KEY: and the expected text. */
	snprintf(prefix, sizeof(prefix), "%s:%s", path, want);
	if (strncmp(err, prefix, strlen(prefix)) != 0) {
		print_error("%s\n  got:      %s\n  expected: %s...\n", path, err, prefix);
		return -1;
	}
	return 0;
}

static void test_config_rejects_every_bad_config_with_its_line_and_column(void **state)
{
	(void)state;
	char dir[4200];
	snprintf(dir, sizeof(dir), "%s/tests/bad", root);
	DIR *d = opendir(dir);
	assert_non_null(d);
	struct dirent *e;
	int n = 0, bad = 0;
	while ((e = readdir(d))) {
		size_t l = strlen(e->d_name);
		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
			continue;
		/* Nothing else lives here: a stray file (a fuzzer's output, an editor's backup)
		 * would be a case nobody checks. */
		if (l < 6 || strcmp(e->d_name + l - 5, ".yaml") != 0) {
			print_error("tests/bad/%s: not a bad config (NAME.yaml with its "
				    "\"# expect:\" line); remove it\n", e->d_name);
			bad++;
			continue;
		}
		char path[8400];
		snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
		bad += check_bad(path) < 0;
		n++;
	}
	closedir(d);
	assert_int_equal(bad, 0);
	assert_true(n >= 40);
	print_message("%d bad configs rejected as expected\n", n);
}

int main(int argc, char **argv)
{
	(void)argc;
	/* build/tests/test_config: the source tree is two levels up from build/tests. */
	const char *build = getenv("BUILD") ? getenv("BUILD") : "build";
	char ipcprobe[4200], tprobes[4200];
	if (!getcwd(root, sizeof(root)))
		return 1;
	snprintf(ipcprobe, sizeof(ipcprobe), "%s/%s/ipcprobe", root, build);
	snprintf(tprobes, sizeof(tprobes), "%s/%s/tests/probes", root, build);
	setenv("IPCPROBE_PROBE_DIR", tprobes, 1);
	probes_init(ipcprobe);
	(void)argv;
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_config_expands_lists_transports_and_cases_in_order),
		cmocka_unit_test(test_config_rejects_a_missing_file_and_a_directory),
		cmocka_unit_test(test_config_rejects_every_bad_config_with_its_line_and_column),
	};
	int rc = cmocka_run_group_tests(tests, NULL, NULL);
	probes_free();
	return rc;
}
