/* test_batch.c - batch timing (probes/lib/batch.c): a batch distribution scaled to one
 * operation, nulls kept, the median's interval bounds and the modes' values scaled but never
 * a level, a share or n; the calibration grows the batch by powers of two up to its cap,
 * reports an operation that fails, and says what it saw (batch_calibrate_seen). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "batch.h"
#include "timing.h"

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

/* Each operation lasts at least ns_per_op (a spin on the clock): load only makes it longer. */
static int spin_ops(void *arg, long k)
{
	int64_t until = now_ns() + k * *(const int64_t *)arg;
	while (now_ns() < until)
		;
	return 0;
}

/* What the calibration saw follows its rule exactly, on a machine of any speed and load: the
 * batch chosen lasted want_ns in its fastest try, the one before it did not; and a batch is
 * never larger than the first whose operations alone last want_ns (load cannot shorten them). */
static void test_calibrate_says_what_it_saw(void **state)
{
	(void)state;
	struct batch_seen seen;
	int64_t slow = 20000, quick = 700;	/* ns per operation; want_ns is 50 * 100 ns */
	assert_int_equal(batch_calibrate_seen(spin_ops, &slow, 100, 1 << 16, &seen), 1);
	assert_true(seen.want_ns == 5000 && seen.fastest_ns >= 20000 && seen.below_ns == -1);

	long k = batch_calibrate_seen(spin_ops, &quick, 100, 1 << 16, &seen);
	assert_true(k >= 1 && k <= 8 && (k & (k - 1)) == 0);	/* 8 * 700 ns >= 5000 ns */
	assert_true(seen.want_ns == 5000 && seen.fastest_ns >= seen.want_ns);
	assert_true(k == 1 ? seen.below_ns == -1 : seen.below_ns >= 0 && seen.below_ns < 5000);

	/* the cap: an hour's clock is never reached; the fastest try is still what it was */
	struct calls c = { .fail_at = -1 };
	assert_int_equal(batch_calibrate_seen(record_k, &c, 3600LL * 1000000000, 8, &seen), 8);
	assert_true(seen.fastest_ns < seen.want_ns && seen.below_ns >= 0);
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
		cmocka_unit_test(test_calibrate_says_what_it_saw),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
