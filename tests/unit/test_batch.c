/* test_batch.c - batch timing (probes/lib/batch.c): a batch distribution scaled to one
 * operation, nulls kept, the median's interval bounds and the modes' values scaled but never
 * a level, a share or n; the calibration grows the batch by powers of two up to its cap and
 * reports an operation that fails. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "batch.h"

static void test_scale_json_divides_all_but_n(void **state)
{
	(void)state;
	json_t *d = json_pack("{s:i, s:i, s:f, s:n, s:i}", "n", 40, "min", 800, "p50", 1000.0,
			      "p999", "max", 4000);
	batch_scale_json(d, 8);
	assert_int_equal(json_integer_value(json_object_get(d, "n")), 40);
	assert_true(json_number_value(json_object_get(d, "min")) == 100.0);
	assert_true(json_number_value(json_object_get(d, "p50")) == 125.0);
	assert_true(json_is_null(json_object_get(d, "p999")));
	assert_true(json_number_value(json_object_get(d, "max")) == 500.0);
	json_decref(d);
}

static void test_scale_json_scales_the_interval_and_modes(void **state)
{
	(void)state;
	json_t *d = json_pack("{s:i, s:f, s:{s:f, s:f, s:f, s:b, s:s}, s:[{s:f, s:f, s:f, s:f}]}",
			      "n", 40, "p50", 1000.0, "p50_ci", "lo", 800.0, "hi", 1200.0, "level",
			      0.96, "reached", 1, "method", "m", "modes", "center", 1600.0, "lo",
			      800.0, "hi", 2400.0, "share", 0.25);
	batch_scale_json(d, 8);
	json_t *ci = json_object_get(d, "p50_ci"), *m = json_array_get(json_object_get(d, "modes"), 0);
	assert_true(json_number_value(json_object_get(d, "p50")) == 125.0);
	assert_true(json_number_value(json_object_get(ci, "lo")) == 100.0);
	assert_true(json_number_value(json_object_get(ci, "hi")) == 150.0);
	assert_true(json_number_value(json_object_get(ci, "level")) == 0.96);
	assert_true(json_is_true(json_object_get(ci, "reached")));
	assert_true(json_number_value(json_object_get(m, "center")) == 200.0);
	assert_true(json_number_value(json_object_get(m, "lo")) == 100.0);
	assert_true(json_number_value(json_object_get(m, "hi")) == 300.0);
	assert_true(json_number_value(json_object_get(m, "share")) == 0.25);
	assert_int_equal(json_integer_value(json_object_get(d, "n")), 40);
	json_decref(d);
	/* a null interval (n = 0) and null modes stay null */
	d = json_pack("{s:i, s:n, s:n}", "n", 0, "p50_ci", "modes");
	batch_scale_json(d, 8);
	assert_true(json_is_null(json_object_get(d, "p50_ci")));
	assert_true(json_is_null(json_object_get(d, "modes")));
	json_decref(d);
}

static void test_scale_stats_per_operation(void **state)
{
	(void)state;
	int64_t v[] = { 400, 100, 300, 200 };
	struct stats s;
	stats_compute(v, 4, &s);
	batch_scale_stats(&s, 4);
	assert_int_equal(s.n, 4);
	assert_true(s.min == 25 && s.max == 100 && s.mean == 62.5);
	double level = s.p50_ci.level;
	assert_true(s.p50_ci.lo == 25 && s.p50_ci.hi == 100 && level == 1 - 2.0 / 16);
}

/* Two modes of batch times (batches of 4): their values per operation, their shares kept. */
static void test_scale_stats_scales_the_modes(void **state)
{
	(void)state;
	static int64_t v[200];
	struct stats s;
	for (int i = 0; i < 200; i++)
		v[i] = i < 140 ? 4000 + (i * 7) % 140 * 4 : 40000 + (i * 7) % 60 * 40;
	stats_compute(v, 200, &s);
	assert_int_equal(s.n_modes, 2);
	struct stats raw = s;
	batch_scale_stats(&s, 4);
	for (size_t i = 0; i < 2; i++) {
		assert_true(s.modes[i].center == raw.modes[i].center / 4);
		assert_true(s.modes[i].lo == raw.modes[i].lo / 4);
		assert_true(s.modes[i].hi == raw.modes[i].hi / 4);
		assert_true(s.modes[i].share == raw.modes[i].share);
	}
	assert_true(s.modes[0].share == 0.7 && s.modes[0].lo == 1000 && s.modes[1].lo == 10000);
	assert_true(s.p50_ci.lo == raw.p50_ci.lo / 4 && s.p50_ci.level == raw.p50_ci.level);
}

struct calls {
	long k[64];
	int n;
	int fail_at;
};

static int record_k(void *arg, long k)
{
	struct calls *c = arg;
	if (c->n == c->fail_at)
		return -1;
	c->k[c->n++] = k;
	return 0;
}

/* A clock that costs an hour: no batch ever lasts 50 of them, so the cap decides. */
static void test_calibrate_doubles_up_to_the_cap(void **state)
{
	(void)state;
	struct calls c = { .fail_at = -1 };
	assert_int_equal(batch_calibrate(record_k, &c, 3600LL * 1000000000, 8), 8);
	static const long want[] = { 1, 1, 1, 2, 2, 2, 4, 4, 4, 8, 8, 8 };
	assert_int_equal(c.n, 12);
	for (int i = 0; i < 12; i++)
		assert_int_equal(c.k[i], want[i]);
	c = (struct calls){ .fail_at = -1 };
	assert_int_equal(batch_calibrate(record_k, &c, 3600LL * 1000000000, 6), 6);
	assert_int_equal(c.k[c.n - 1], 6);
}

static void test_calibrate_reports_failure(void **state)
{
	(void)state;
	struct calls c = { .fail_at = 4 };
	assert_int_equal(batch_calibrate(record_k, &c, 3600LL * 1000000000, 1 << 20), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_scale_json_divides_all_but_n),
		cmocka_unit_test(test_scale_json_scales_the_interval_and_modes),
		cmocka_unit_test(test_scale_stats_per_operation),
		cmocka_unit_test(test_scale_stats_scales_the_modes),
		cmocka_unit_test(test_calibrate_doubles_up_to_the_cap),
		cmocka_unit_test(test_calibrate_reports_failure),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
