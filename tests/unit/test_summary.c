/* test_summary.c - summary.json's figures from known records: the median and its interval over
 * the repetitions, disturbed and failed repetitions left out and counted, a figure disturbed
 * throughout made of all its repetitions and marked (store/reps.h, the rule the report,
 * compare and the exports share), a fact's disturbed repetitions counted, and the modes of
 * repetitions that fall in two clear groups. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "store/summary.h"

static json_t *rec(double v, const char *status, int disturbed)
{
	json_t *r = json_pack("{s:i, s:s, s:s, s:s, s:{s:i}, s:s, s:s, s:s, s:s}", "schema", 1,
			      "probe", "latency", "case", "roundtrip", "transport", "pipe", "params",
			      "size", 64, "metric", "rtt", "unit", "ns", "direction", "lower",
			      "status", status);
	json_object_set_new(r, "value", strcmp(status, "ok") ? json_null() : json_real(v));
	if (disturbed >= 0)
		json_object_set_new(r, "machine", json_pack("{s:b}", "disturbed", disturbed));
	return r;
}

static json_t *only_figure(json_t *recs)
{
	json_t *s = summary_of(recs);
	assert_int_equal(json_array_size(json_object_get(s, "figures")), 1);
	json_t *f = json_incref(json_array_get(json_object_get(s, "figures"), 0));
	json_decref(s);
	return f;
}

static double num(json_t *o, const char *k)
{
	return json_number_value(json_object_get(o, k));
}

static void test_summary_interval_and_what_is_left_out(void **state)
{
	json_t *recs = json_array();
	double v[] = { 106, 100, 110, 102, 108, 104 };
	(void)state;
	for (int i = 0; i < 6; i++)
		json_array_append_new(recs, rec(v[i], "ok", 0));
	json_array_append_new(recs, rec(900, "ok", 1));		/* disturbed: left out */
	json_array_append_new(recs, rec(0, "failed", -1));	/* not ok: counted */
	json_t *f = only_figure(recs);
	assert_int_equal(num(f, "n"), 6);
	assert_int_equal(num(f, "disturbed_left_out"), 1);
	assert_int_equal(num(f, "not_ok"), 1);
	assert_true(num(f, "median") == 105);
	json_t *ci = json_object_get(f, "ci");
	assert_true(num(ci, "lo") == 100 && num(ci, "hi") == 110);	/* n = 6: min..max */
	assert_true(fabs(num(ci, "level") - 0.96875) < 1e-12);
	assert_true(json_is_true(json_object_get(ci, "reached")));
	assert_true(fabs(num(f, "relative_half_width") - 5.0 / 105) < 1e-12);
	assert_true(json_is_null(json_object_get(f, "modes")));
	assert_true(json_is_false(json_object_get(f, "all_disturbed")));
	json_decref(f);
	json_decref(recs);
}

/* Every repetition disturbed: the figure is still there, of all of them, and says so. */
static void test_summary_all_disturbed(void **state)
{
	json_t *recs = json_array();
	(void)state;
	for (int i = 0; i < 3; i++)
		json_array_append_new(recs, rec(300 + 10 * i, "ok", 1));
	json_t *f = only_figure(recs);
	assert_int_equal(num(f, "n"), 3);
	assert_int_equal(num(f, "disturbed_left_out"), 0);
	assert_true(json_is_true(json_object_get(f, "all_disturbed")));
	assert_true(num(f, "median") == 310);
	json_decref(f);
	json_decref(recs);
}

/* A fact (direction none) does not move with the load: its disturbed repetitions count. */
static void test_summary_fact_of_disturbed_runs(void **state)
{
	json_t *recs = json_array();
	(void)state;
	for (int i = 0; i < 3; i++) {
		json_t *r = rec(65536, "ok", i == 1);
		json_object_set_new(r, "metric", json_string("capacity"));
		json_object_set_new(r, "unit", json_string("bytes"));
		json_object_set_new(r, "direction", json_string("none"));
		json_array_append_new(recs, r);
	}
	json_t *f = only_figure(recs);
	assert_int_equal(num(f, "n"), 3);
	assert_int_equal(num(f, "disturbed_left_out"), 0);
	assert_true(json_is_false(json_object_get(f, "all_disturbed")));
	json_decref(f);
	json_decref(recs);
}

/* 28 repetitions near 15 us and 12 near 95 us: the VM's two modes, between process runs. */
static void test_summary_modes_between_repetitions(void **state)
{
	json_t *recs = json_array();
	(void)state;
	for (int i = 0; i < 40; i++)
		json_array_append_new(recs, rec(i < 28 ? 15000 + 37 * (i % 7) :
						  95000 + 410 * (i % 5), "ok", -1));
	json_t *f = only_figure(recs), *modes = json_object_get(f, "modes");
	assert_int_equal(json_array_size(modes), 2);
	assert_true(fabs(num(json_array_get(modes, 0), "share") - 0.7) < 1e-9);
	assert_true(fabs(num(json_array_get(modes, 1), "share") - 0.3) < 1e-9);
	json_decref(f);
	json_decref(recs);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_summary_interval_and_what_is_left_out),
		cmocka_unit_test(test_summary_all_disturbed),
		cmocka_unit_test(test_summary_fact_of_disturbed_runs),
		cmocka_unit_test(test_summary_modes_between_repetitions),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
