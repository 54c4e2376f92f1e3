/* test_param_parity.c - the python probe's pyprobe/params.py re-implements the parameter
 * contract of probes/lib/param.c (sizes, durations, integers, booleans, choices, ranges).  The
 * same texts go to both; the parsed values and the error messages must be identical.  The
 * package is imported from the built probe (BUILD/probes/python, the zipapp beside this test's
 * BUILD/tests/) when it is there, else from its source folder probes/python.  Skips (saying so)
 * where python3 or both are missing. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>
#include <jansson.h>
#include <limits.h>

#include "param.h"

static const char *const kinds[] = { "pipe_duplex", "pipe_simplex", NULL };

/* type, min, max, then the texts tried against that parameter. */
static const struct {
	enum param_type type;
	const char *min, *max;
	const char *texts[40];
} table[] = {
	{ PT_SIZE, NULL, NULL,
	  { "4096", "4096B", "64KiB", "1MiB", "2GiB", "1TiB", "1.5KiB", "0.5B", "1.3KiB",
	    " 8 KiB ", "0", "-1", "", " ", "abc", "10KB", "10 kb", "10K", "5 MB", "1.", ".5KiB",
	    "1..5KiB", "99999999999999999999", "8388608TiB", "8388607TiB", "9223372036854775807",
	    "9223372036854775808", "1.0000000001KiB", "12 B x", "3EiB", "1\tMiB",
	    "1.0009765625KiB", "1.50000000000000000000000KiB", "1.00000000000000000001KiB", NULL } },
	{ PT_SIZE, "1", "64MiB", { "0", "1", "64MiB", "65MiB", "64.5MiB", NULL } },
	{ PT_SIZE, "1MiB", NULL, { "1048575", "1MiB", NULL } },
	{ PT_DURATION, NULL, NULL,
	  { "10", "10ms", "1.5us", "0.5ns", "2m", "1h", "10 sec", "-5s", "250ns", "1 s",
	    "1.25s", "18446744073709551616ns", "9223372036854775807ns", "107000h", "5 min",
	    "3µs", "1msec", "", "ms", "1.5ns", "0.999999999m", "1.5h", "0.0000000001s",
	    "99999999999h", NULL } },
	{ PT_DURATION, "1ms", "10s", { "999us", "1ms", "10s", "11s", NULL } },
	{ PT_INT, NULL, NULL,
	  { "42", "-42", "+7", " 7", "7 ", "0x10", "9223372036854775807", "9223372036854775808",
	    "-9223372036854775808", "-9223372036854775809", "", "-", "1e3", "07", NULL } },
	{ PT_INT, "1", "100000", { "0", "1", "100000", "100001", "-3", NULL } },
	{ PT_INT, "0", NULL, { "-1", "0", NULL } },
	{ PT_BOOL, NULL, NULL, { "true", "yes", "on", "1", "false", "no", "off", "0", "True",
				 "maybe", "", NULL } },
	{ PT_ENUM, NULL, NULL, { "pipe_duplex", "pipe_simplex", "pipe_duplx", "queue",
				 "PIPE_DUPLEX", "", NULL } },
	{ PT_STRING, NULL, NULL, { "anything", "", " spaced ", NULL } },
};

/* The C side's answer: {"ok": true, "v": value} or {"ok": false, "err": message}. */
static json_t *c_answer(int row, const char *text)
{
	struct param_desc d = { "p", table[row].type, "0", table[row].min, table[row].max,
				table[row].type == PT_ENUM ? kinds : NULL, "" };
	struct param_value v;
	char err[512];
	if (param_parse(&d, text, &v, err, sizeof(err)) < 0)
		return json_pack("{s:b, s:s}", "ok", 0, "err", err);
	if (d.type == PT_ENUM || d.type == PT_STRING)
		return json_pack("{s:b, s:s}", "ok", 1, "v", v.s);
	return json_pack("{s:b, s:I}", "ok", 1, "v", (json_int_t)v.i);
}

/* Where the pyprobe package is imported from (set by main). */
static char probe[PATH_MAX] = "probes/python";

static const char script[] =
	"import json, sys\n"
	"sys.path.insert(0, sys.argv[1])\n"
	"from pyprobe.params import Param\n"
	"for line in open(sys.argv[2]):\n"
	"    q = json.loads(line)\n"
	"    p = Param('p', q['type'], '0', q['min'], q['max'], q['choices'])\n"
	"    try:\n"
	"        v = p.parse(q['text'])\n"
	"        a = {'ok': True, 'v': int(v) if isinstance(v, bool) else v}\n"
	"    except ValueError as e:\n"
	"        a = {'ok': False, 'err': str(e)}\n"
	"    print(json.dumps(a, sort_keys=True))\n";

static void test_python_probe_parses_as_param_c_does(void **state)
{
	(void)state;
	if (access(probe, R_OK) != 0 || system("python3 -c pass > /dev/null 2>&1") != 0) {
		printf("test_param_parity: skipped: python3 or %s is not here\n", probe);
		skip();
	}
	char in[] = "/tmp/ipcprobe-parity-XXXXXX", py[] = "/tmp/ipcprobe-parity-py-XXXXXX";
	int fi = mkstemp(in), fp = mkstemp(py);
	assert_true(fi >= 0 && fp >= 0);
	FILE *f = fdopen(fi, "w"), *g = fdopen(fp, "w");
	fputs(script, g);
	fclose(g);
	json_t *want = json_array();
	for (size_t r = 0; r < sizeof(table) / sizeof(table[0]); r++) {
		for (int t = 0; table[r].texts[t]; t++) {
			json_t *q = json_pack("{s:s, s:s?, s:s?, s:s}", "type",
					      param_type_name(table[r].type), "min", table[r].min,
					      "max", table[r].max, "text", table[r].texts[t]);
			json_object_set_new(q, "choices", table[r].type == PT_ENUM ?
					    json_pack("[s,s]", kinds[0], kinds[1]) : json_null());
			char *line = json_dumps(q, JSON_COMPACT);
			fprintf(f, "%s\n", line);
			free(line);
			json_t *a = c_answer((int)r, table[r].texts[t]);
			json_object_set_new(a, "text", json_string(table[r].texts[t]));
			json_object_set_new(a, "type", json_string(param_type_name(table[r].type)));
			json_array_append_new(want, a);
			json_decref(q);
		}
	}
	fclose(f);
	printf("test_param_parity: pyprobe from %s\n", probe);
	/* -B: importing from the source folder leaves no __pycache__ in the tree. */
	char cmd[PATH_MAX + 128];
	snprintf(cmd, sizeof(cmd), "python3 -B %s '%s' %s", py, probe, in);
	FILE *p = popen(cmd, "r");
	assert_non_null(p);
	char buf[1024];
	size_t i = 0, differ = 0;
	while (fgets(buf, sizeof(buf), p)) {
		json_t *got = json_loads(buf, 0, NULL), *w = json_array_get(want, i++);
		assert_non_null(got);
		assert_non_null(w);
		json_t *wc = json_deep_copy(w);
		json_object_del(wc, "text");
		json_object_del(wc, "type");
		if (!json_equal(got, wc)) {
			char *gs = json_dumps(got, JSON_COMPACT), *ws = json_dumps(wc, JSON_COMPACT);
			printf("%s \"%s\": param.c %s, pyprobe/params.py %s\n",
			       json_string_value(json_object_get(w, "type")),
			       json_string_value(json_object_get(w, "text")), ws, gs);
			free(gs);
			free(ws);
			differ++;
		}
		json_decref(wc);
		json_decref(got);
	}
	assert_int_equal(pclose(p), 0);
	unlink(in);
	unlink(py);
	assert_int_equal(i, json_array_size(want));
	json_decref(want);
	assert_int_equal(differ, 0);
}

/* BUILD/probes/python for a test binary at BUILD/tests/NAME, when that file is there. */
static void find_built_probe(const char *argv0)
{
	char p[PATH_MAX];
	snprintf(p, sizeof(p), "%s", argv0);
	for (int up = 0; up < 2; up++) {
		char *slash = strrchr(p, '/');
		if (!slash)
			return;
		*slash = '\0';
	}
	char built[PATH_MAX + 16];
	snprintf(built, sizeof(built), "%s/probes/python", p);
	if (strlen(built) < sizeof(probe) && strchr(built, '\'') == NULL &&
	    access(built, R_OK) == 0)
		snprintf(probe, sizeof(probe), "%s", built);
}

int main(int argc, char **argv)
{
	if (argc > 0)
		find_built_probe(argv[0]);
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_python_probe_parses_as_param_c_does),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
