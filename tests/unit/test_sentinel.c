/* test_sentinel.c - the machine sentinel (runner/run/sentinel.h): a case run whose reading
 * moved from the run's median by more than SENTINEL_FACTOR, either way, is marked disturbed
 * with the reading in its why (kept after a why it had), the rest are left alone, a missing
 * reading judges nothing; and a reading of this machine is a number or null, never made up. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "run/sentinel.h"

/* A case entry of run.json with a cross-CPU reading of v ns (v < 0: none). */
static json_t *entry(double v, int disturbed, const char *why)
{
	json_t *s = json_object();
	if (v >= 0)
		json_object_set_new(s, "cross_cpu_rtt_ns", json_real(v));
	json_object_set_new(s, "same_cpu_rtt_ns", json_real(5000));
	return json_pack("{s:b, s:{s:b, s:s?, s:o}}", "disturbed", disturbed, "machine",
			 "disturbed", disturbed, "disturbed_why", why, "sentinel", s);
}

static int disturbed(json_t *cases, size_t i)
{
	return json_is_true(json_object_get(json_array_get(cases, i), "disturbed"));
}

static const char *why(json_t *cases, size_t i)
{
	return json_string_value(json_object_get(json_object_get(json_array_get(cases, i),
								  "machine"), "disturbed_why"));
}

static void moved_either_way_is_marked(void **state)
{
	(void)state;
	/* Median 30 us: 70 us is 2.3x above it, 12 us 2.5x below; 59 us and 16 us are within. */
	json_t *cases = json_pack("[o, o, o, o, o, o, o]", entry(30000, 0, NULL),
				  entry(29000, 0, NULL), entry(70000, 0, NULL),
				  entry(12000, 0, NULL), entry(59000, 0, NULL),
				  entry(16000, 0, NULL), entry(31000, 1, "load"));
	json_t *out = sentinel_judge(cases);
	assert_true(json_number_value(json_object_get(out, "median_cross_cpu_rtt_ns")) == 30000);
	assert_true(json_number_value(json_object_get(out, "median_same_cpu_rtt_ns")) == 5000);
	assert_int_equal(json_integer_value(json_object_get(out, "marked")), 2);
	int want[] = { 0, 0, 1, 1, 0, 0, 1 };
	for (size_t i = 0; i < 7; i++)
		assert_int_equal(disturbed(cases, i), want[i]);
	assert_non_null(strstr(why(cases, 2), "sentinel cross_cpu_rtt_ns 70000 ns, 2.33x the "
					       "run's median 30000 ns (threshold 2x either way)"));
	assert_non_null(strstr(why(cases, 3), "0.40x"));
	assert_string_equal(why(cases, 6), "load");	/* within: its own why kept as it was */
	assert_null(why(cases, 0));
	json_decref(out);
	json_decref(cases);
}

static void a_second_reason_is_appended(void **state)
{
	(void)state;
	json_t *cases = json_pack("[o, o, o]", entry(10000, 0, NULL), entry(10000, 0, NULL),
				  entry(50000, 1, "steal 9%"));
	json_t *out = sentinel_judge(cases);
	assert_int_equal(json_integer_value(json_object_get(out, "marked")), 0); /* was already */
	assert_non_null(strstr(why(cases, 2), "steal 9%; sentinel cross_cpu_rtt_ns 50000 ns"));
	json_decref(out);
	json_decref(cases);
}

static void no_reading_judges_nothing(void **state)
{
	(void)state;
	json_t *cases = json_pack("[o, o]", entry(-1, 0, NULL), entry(-1, 0, NULL));
	json_t *out = sentinel_judge(cases);
	assert_true(json_is_null(json_object_get(out, "median_cross_cpu_rtt_ns")));
	assert_int_equal(json_integer_value(json_object_get(out, "marked")), 0);
	assert_false(disturbed(cases, 0) || disturbed(cases, 1));
	json_decref(out);
	json_decref(cases);
}

static void a_reading_is_a_number_or_null(void **state)
{
	(void)state;
	json_t *s = sentinel_measure();
	const char *keys[] = { "same_cpu_rtt_ns", "cross_cpu_rtt_ns" };
	for (size_t k = 0; k < 2; k++) {
		json_t *v = json_object_get(s, keys[k]);
		assert_true(json_is_null(v) || (json_is_number(v) && json_number_value(v) > 0));
	}
	assert_int_equal(json_integer_value(json_object_get(s, "round_trips")),
			 SENTINEL_ROUND_TRIPS);
	json_decref(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(moved_either_way_is_marked),
		cmocka_unit_test(a_second_reason_is_appended),
		cmocka_unit_test(no_reading_judges_nothing),
		cmocka_unit_test(a_reading_is_a_number_or_null),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
