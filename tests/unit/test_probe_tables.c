/* test_probe_tables.c - the probe table test that probe.h promises.  Every probe the runner
 * is built with describes its table (--list, written by probe_describe() for the C and C++
 * probes), and every table keeps the contract the runner relies on:
 *   - case, metric and parameter names are lower-case words, unique where they live, each
 *     with a help text; every case has a headline metric (the first);
 *   - a metric's unit is a base unit and its direction lower, higher or none;
 *   - a parameter's type is known, its default is accepted by its own validator (param_parse
 *     with its min, max and choices, exactly as user input is), min <= max, and an enum has
 *     distinct choices;
 *   - a case runs over transports of the table, each once.
 * And probe_describe() itself lists, for a case that needs capability flags, exactly the
 * transports whose caps include every one of them (checked against the transport table). */
#include <ctype.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "param.h"
#include "probe.h"
#include "catalog/probes.h"
#include "transport.h"

static const char *const units[] = { "ns", "bytes", "bytes_per_s", "ops_per_s", "count",
				     "ratio", NULL };
static const char *const directions[] = { "lower", "higher", "none", NULL };

static int one_of(const char *s, const char *const *set)
{
	for (int i = 0; s && set[i]; i++)
		if (strcmp(s, set[i]) == 0)
			return 1;
	return 0;
}

static const char *str(json_t *o, const char *key)
{
	return json_string_value(json_object_get(o, key));
}

/* A lower-case word: [a-z][a-z0-9_]*. */
static int word(const char *s)
{
	if (!s || !islower((unsigned char)*s))
		return 0;
	for (; *s; s++)
		if (!islower((unsigned char)*s) && !isdigit((unsigned char)*s) && *s != '_')
			return 0;
	return 1;
}

static int has_help(json_t *o)
{
	const char *h = str(o, "help");
	return h && *h;
}

/* Fail with where: probe/case/what. */
#define CHECK(cond, ...)                                                                   \
	do {                                                                               \
		if (!(cond)) {                                                             \
			print_error(__VA_ARGS__);                                          \
			print_error("\n");                                                 \
			fail();                                                            \
		}                                                                          \
	} while (0)

/* Names unique in an array of objects. */
static void unique_names(json_t *arr, const char *where)
{
	size_t i, k;
	json_t *a, *b;
	json_array_foreach(arr, i, a) {
		json_array_foreach(arr, k, b) {
			if (k <= i)
				continue;
			CHECK(strcmp(str(a, "name"), str(b, "name")) != 0, "%s: %s twice", where,
			      str(a, "name"));
		}
	}
}

static void check_metric(json_t *m, const char *where)
{
	const char *name = str(m, "name");
	CHECK(word(name), "%s: metric name \"%s\" is not a lower-case word", where, name);
	CHECK(one_of(str(m, "unit"), units), "%s/%s: unit %s is not a base unit", where, name,
	      str(m, "unit"));
	CHECK(one_of(str(m, "direction"), directions), "%s/%s: direction %s", where, name,
	      str(m, "direction"));
	CHECK(has_help(m), "%s/%s: no help", where, name);
}

/* The enum's choices from the description, NULL-terminated into out (at most max - 1). */
static const char **choices_of(json_t *p, const char **out, size_t max)
{
	json_t *c = json_object_get(p, "choices");
	size_t i, n = 0;
	json_t *v;
	if (!json_is_array(c))
		return NULL;
	json_array_foreach(c, i, v) {
		if (n + 1 < max)
			out[n++] = json_string_value(v);
	}
	out[n] = NULL;
	return out;
}

static void check_param(json_t *p, const char *where)
{
	const char *name = str(p, "name"), *choices[64];
	char err[512];
	struct param_desc d = { .name = name, .def = str(p, "default"), .min = str(p, "min"),
				.max = str(p, "max"), .help = str(p, "help") };
	struct param_value v, lo, hi;
	CHECK(word(name), "%s: parameter name \"%s\" is not a lower-case word", where, name);
	CHECK(has_help(p), "%s/%s: no help", where, name);
	CHECK(param_type_from_name(str(p, "type"), &d.type) == 0, "%s/%s: unknown type %s", where,
	      name, str(p, "type"));
	d.choices = choices_of(p, choices, 64);
	if (d.type == PT_ENUM) {
		CHECK(d.choices && d.choices[0], "%s/%s: an enum without choices", where, name);
		for (int i = 0; d.choices[i]; i++)
			for (int k = i + 1; d.choices[k]; k++)
				CHECK(strcmp(d.choices[i], d.choices[k]) != 0, "%s/%s: choice %s twice",
				      where, name, d.choices[i]);
	}
	CHECK(d.def, "%s/%s: no default", where, name);
	CHECK(param_parse(&d, d.def, &v, err, sizeof(err)) == 0,
	      "%s/%s: its default \"%s\" fails its own validator: %s", where, name, d.def, err);
	if (d.min && d.max) {	/* both parse as the type, and min <= max */
		struct param_desc open = d;
		open.min = open.max = NULL;
		CHECK(param_parse(&open, d.min, &lo, err, sizeof(err)) == 0 &&
			      param_parse(&open, d.max, &hi, err, sizeof(err)) == 0,
		      "%s/%s: min or max does not parse: %s", where, name, err);
		CHECK(lo.i <= hi.i, "%s/%s: min %s above max %s", where, name, d.min, d.max);
	}
}

static void check_case(json_t *c, const char *probe)
{
	char where[256];
	size_t i;
	json_t *x;
	snprintf(where, sizeof(where), "%s/%s", probe, str(c, "name"));
	CHECK(word(str(c, "name")), "%s: case name is not a lower-case word", where);
	CHECK(has_help(c), "%s: no help", where);
	json_t *metrics = json_object_get(c, "metrics"), *params = json_object_get(c, "params");
	json_t *trs = json_object_get(c, "transports");
	CHECK(json_array_size(metrics) >= 1, "%s: no headline metric", where);
	json_array_foreach(metrics, i, x)
		check_metric(x, where);
	unique_names(metrics, where);
	json_array_foreach(params, i, x)
		check_param(x, where);
	unique_names(params, where);
	json_array_foreach(trs, i, x) {
		CHECK(tr_find(json_string_value(x)) != NULL, "%s: transport %s is not in the table",
		      where, json_string_value(x));
		for (size_t k = i + 1; k < json_array_size(trs); k++)
			CHECK(strcmp(json_string_value(x),
				     json_string_value(json_array_get(trs, k))) != 0,
			      "%s: transport %s twice", where, json_string_value(x));
	}
}

static void test_every_probe_table(void **state)
{
	(void)state;
	const char *const *names = probes_names();
	int n = 0;
	for (int i = 0; names[i]; i++, n++) {
		char err[512];
		struct probe_info *p = probes_get(names[i], err, sizeof(err));
		CHECK(p, "%s", err);
		json_t *cases = json_object_get(p->list, "cases"), *c;
		size_t k;
		CHECK(has_help(p->list), "%s: no help", names[i]);
		CHECK(json_array_size(cases) >= 1, "%s: no case", names[i]);
		json_array_foreach(cases, k, c)
			check_case(c, names[i]);
		unique_names(cases, names[i]);
		print_message("%s: %zu cases keep the contract\n", names[i], json_array_size(cases));
	}
	/* capacity, manager, shm, limits, latency, throughput and python at least */
	assert_true(n >= 7);
}

/* ---- probe_describe's transports, in process ------------------------------------------- */

static const struct metric_desc m_one[] = {
	{ "value", "count", "none", "a test metric" },
	{ NULL },
};
static const struct param_desc p_none[] = { { NULL } };

static int run_nothing(struct probe_ctx *ctx)
{
	(void)ctx;
	return PROBE_OK;
}

static const struct case_desc t_cases[] = {
	{ "none", "takes no transport", m_one, p_none, 0, run_nothing },
	{ "pipesz", "F_SETPIPE_SZ", m_one, p_none, TR_PIPESZ, run_nothing },
	{ "dgram_fd", "datagrams on descriptors", m_one, p_none, TR_DGRAM | TR_FD, run_nothing },
	{ "msg", "messages", m_one, p_none, TR_MSG, run_nothing },
	{ NULL },
};

static const struct probe_desc t_probe = { "tabletest", "a table for the test", t_cases };

static void test_describe_lists_transports_by_needs(void **state)
{
	(void)state;
	json_t *d = probe_describe(&t_probe);
	json_t *cases = json_object_get(d, "cases");
	assert_int_equal(json_array_size(cases), 4);
	for (size_t i = 0; i < 4; i++) {
		json_t *trs = json_object_get(json_array_get(cases, i), "transports");
		unsigned needs = t_cases[i].needs;
		size_t want = 0;
		for (int k = 0; transports[k]; k++) {
			int takes = needs && (transports[k]->caps & needs) == needs;
			want += takes;
			int listed = 0;
			for (size_t j = 0; j < json_array_size(trs); j++)
				listed |= !strcmp(json_string_value(json_array_get(trs, j)),
						  transports[k]->name);
			CHECK(listed == takes, "case %s: transport %s %s", t_cases[i].name,
			      transports[k]->name, takes ? "missing" : "listed but lacks the caps");
		}
		assert_int_equal(json_array_size(trs), want);
	}
	/* the table order is the report order: pipe before fifo for F_SETPIPE_SZ */
	json_t *pipesz = json_object_get(json_array_get(cases, 1), "transports");
	assert_string_equal(json_string_value(json_array_get(pipesz, 0)), "pipe");
	assert_string_equal(json_string_value(json_array_get(pipesz, 1)), "fifo");
	json_decref(d);
}

int main(void)
{
	/* build/tests/test_probe_tables, run from the source tree: the runner's probes are in
	 * BUILD/probes, found as the runner finds them (next to BUILD/ipcprobe). */
	const char *build = getenv("BUILD") ? getenv("BUILD") : "build";
	char root[4096], ipcprobe[4200];
	if (!getcwd(root, sizeof(root)))
		return 1;
	snprintf(ipcprobe, sizeof(ipcprobe), "%s/%s/ipcprobe", root, build);
	unsetenv("IPCPROBE_PROBE_DIR");	/* the built-in probes only */
	probes_init(ipcprobe);
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_every_probe_table),
		cmocka_unit_test(test_describe_lists_transports_by_needs),
	};
	int rc = cmocka_run_group_tests(tests, NULL, NULL);
	probes_free();
	return rc;
}
