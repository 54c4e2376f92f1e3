/* test_stats.c - the distribution module: percentiles on known data, undefined figures as
 * null (never NaN), the sort behind them; the median's interval (p50_ci) and the modes in
 * the JSON. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "stats.h"

static void test_stats_percentiles_on_known_data(void **state)
{
	int64_t v[100];
	struct stats s;
	(void)state;
	/* 1..100 in a scrambled order: 37 is coprime with 100 */
	for (int i = 0; i < 100; i++)
		v[i] = (i * 37) % 100 + 1;
	stats_compute(v, 100, &s);
	assert_int_equal(s.n, 100);
	assert_true(s.min == 1 && s.max == 100);
	assert_true(s.p50 == 50 && s.p90 == 90 && s.p99 == 99);
	assert_true(isnan(s.p999));	/* 100 samples hold no p99.9: it would be the max */
	assert_true(s.mean == 50.5);
	assert_true(s.stddev > 29.0114919 && s.stddev < 29.0114920);
	for (int i = 1; i < 100; i++)
		assert_true(v[i - 1] <= v[i]);
}

static void test_stats_percentile_is_nearest_rank(void **state)
{
	int64_t v[] = { 10, 20, 30, 40 };
	(void)state;
	assert_true(stats_percentile(v, 4, 0.50) == 20);
	assert_true(stats_percentile(v, 4, 0.51) == 30);
	assert_true(stats_percentile(v, 4, 1.0) == 40);
	assert_true(stats_percentile(v, 4, 0.001) == 10);
}

static void assert_no_nan(json_t *j)
{
	char *text = json_dumps(j, JSON_ALLOW_NUL);
	assert_non_null(text);
	assert_null(strstr(text, "NaN"));
	assert_null(strstr(text, "nan"));
	free(text);
}

static void test_stats_empty_gives_nulls(void **state)
{
	struct stats s;
	const char *keys[] = { "min", "p50", "p90", "p99", "p999", "max", "mean", "stddev",
			       "p50_ci", "modes" };
	(void)state;
	stats_compute(NULL, 0, &s);
	json_t *j = stats_json(&s);
	assert_int_equal(json_integer_value(json_object_get(j, "n")), 0);
	for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
		assert_true(json_is_null(json_object_get(j, keys[i])));
	assert_no_nan(j);
	json_decref(j);
}

static void test_stats_one_sample_has_no_stddev(void **state)
{
	int64_t v[] = { 4812 };
	struct stats s;
	(void)state;
	stats_compute(v, 1, &s);
	json_t *j = stats_json(&s);
	assert_int_equal(json_integer_value(json_object_get(j, "n")), 1);
	assert_true(json_real_value(json_object_get(j, "p50")) == 4812.0);
	assert_true(json_is_null(json_object_get(j, "p90")));
	assert_true(json_is_null(json_object_get(j, "p999")));
	assert_true(json_real_value(json_object_get(j, "max")) == 4812.0);
	assert_true(json_real_value(json_object_get(j, "mean")) == 4812.0);
	assert_true(json_is_null(json_object_get(j, "stddev")));
	assert_no_nan(j);
	json_decref(j);
}

/* A tail percentile q exists from n = 1 / (1 - q) samples on, and is null (never the max
 * passed off as a tail) below: p90 from 10, p99 from 100, p99.9 from 1000. */
static void test_stats_tail_needs_enough_samples(void **state)
{
	static int64_t v[1000];
	const struct {
		const char *key;
		double q;
		size_t need;
	} tails[] = { { "p90", 0.90, 10 }, { "p99", 0.99, 100 }, { "p999", 0.999, 1000 } };
	(void)state;
	assert_int_equal(stats_min_samples(0.5), 1);
	for (size_t t = 0; t < 3; t++) {
		assert_int_equal(stats_min_samples(tails[t].q), tails[t].need);
		for (size_t n = tails[t].need - 1; n <= tails[t].need; n++) {
			struct stats s;
			for (size_t i = 0; i < n; i++)
				v[i] = (int64_t)(n - i);	/* n..1: the max is n */
			stats_compute(v, n, &s);
			json_t *j = stats_json(&s);
			json_t *p = json_object_get(j, tails[t].key);
			assert_int_equal(json_integer_value(json_object_get(j, "n")), n);
			if (n < tails[t].need) {
				assert_true(json_is_null(p));
			} else {
				assert_true(json_is_number(p));
				/* nearest rank ceil(q n): the sample below the max */
				assert_true(json_number_value(p) == (double)n - 1);
			}
			assert_true(json_number_value(json_object_get(j, "p50")) ==
				    (double)((n + 1) / 2));
			assert_no_nan(j);
			json_decref(j);
		}
	}
}

static int cmp_i64(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
	return (x > y) - (x < y);
}

/* Enough samples, spread over several 16-bit digits, to take the radix path. */
static void test_stats_sorts_many_samples_like_qsort(void **state)
{
	size_t n = 200000;
	int64_t *v = malloc(n * sizeof(*v)), *w = malloc(n * sizeof(*w));
	struct stats s;
	uint64_t x = 88172645463325252ull;
	(void)state;
	assert_non_null(v);
	assert_non_null(w);
	for (size_t i = 0; i < n; i++) {
		x ^= x << 13, x ^= x >> 7, x ^= x << 17;
		v[i] = w[i] = (int64_t)(x >> (i % 3 ? 30 : 12));
	}
	qsort(w, n, sizeof(*w), cmp_i64);
	stats_compute(v, n, &s);
	assert_memory_equal(v, w, n * sizeof(*v));
	assert_true(s.min == (double)w[0] && s.max == (double)w[n - 1]);
	assert_true(s.p50 == (double)w[n / 2 - 1]);
	free(v);
	free(w);
}

/* 1..100: the median's 95% interval is (x(40), x(61)), exact coverage 0.9648 (1 - 2
 * P(B <= 39), B ~ Binomial(100, 1/2)); one mode, so "modes" is null. */
static void test_stats_json_has_the_medians_interval(void **state)
{
	int64_t v[100];
	struct stats s;
	(void)state;
	for (int i = 0; i < 100; i++)
		v[i] = (i * 37) % 100 + 1;
	stats_compute(v, 100, &s);
	json_t *j = stats_json(&s);
	json_t *ci = json_object_get(j, "p50_ci");
	assert_true(json_is_object(ci));
	assert_true(json_number_value(json_object_get(ci, "lo")) == 40.0);
	assert_true(json_number_value(json_object_get(ci, "hi")) == 61.0);
	assert_true(fabs(json_number_value(json_object_get(ci, "level")) - 0.9647998) < 1e-6);
	assert_true(json_is_true(json_object_get(ci, "reached")));
	assert_string_equal(json_string_value(json_object_get(ci, "method")), CI_METHOD);
	assert_true(json_is_null(json_object_get(j, "modes")));
	assert_int_equal(s.n_modes, 1);
	json_decref(j);
	/* 5 samples cannot reach 95%: (min, max) with its true coverage 1 - 2/32 */
	stats_compute(v, 5, &s);
	j = stats_json(&s);
	ci = json_object_get(j, "p50_ci");
	assert_true(json_is_false(json_object_get(ci, "reached")));
	assert_true(json_number_value(json_object_get(ci, "level")) == 1 - 2.0 / 32);
	assert_true(json_number_value(json_object_get(ci, "lo")) == (double)v[0]);
	assert_true(json_number_value(json_object_get(ci, "hi")) == (double)v[4]);
	assert_int_equal(s.n_modes, 0);	/* too few to tell */
	assert_true(json_is_null(json_object_get(j, "modes")));
	json_decref(j);
}

/* 700 samples spread over 14000..16000 ns and 300 over 90000..100000 ns: two modes, each
 * with its share and its own range, in the JSON. */
static void test_stats_json_lists_two_modes(void **state)
{
	static int64_t v[1000];
	struct stats s;
	(void)state;
	for (int i = 0; i < 1000; i++)
		v[i] = i < 700 ? 14000 + (i * 37) % 700 * 2000 / 700
			       : 90000 + (i * 37) % 300 * 10000 / 300;
	stats_compute(v, 1000, &s);
	json_t *j = stats_json(&s), *modes = json_object_get(j, "modes");
	assert_int_equal(json_array_size(modes), 2);
	json_t *a = json_array_get(modes, 0), *b = json_array_get(modes, 1);
	assert_true(json_number_value(json_object_get(a, "share")) == 0.7);
	assert_true(json_number_value(json_object_get(b, "share")) == 0.3);
	assert_true(json_number_value(json_object_get(a, "lo")) == 14000.0);
	assert_true(json_number_value(json_object_get(a, "hi")) < 16000.0);
	assert_true(json_number_value(json_object_get(b, "lo")) == 90000.0);
	assert_true(json_number_value(json_object_get(b, "hi")) < 100000.0);
	double ca = json_number_value(json_object_get(a, "center"));
	double cb = json_number_value(json_object_get(b, "center"));
	assert_true(ca > 14000 && ca < 16000 && cb > 90000 && cb < 100000);
	assert_no_nan(j);
	json_decref(j);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_stats_percentiles_on_known_data),
		cmocka_unit_test(test_stats_percentile_is_nearest_rank),
		cmocka_unit_test(test_stats_empty_gives_nulls),
		cmocka_unit_test(test_stats_one_sample_has_no_stddev),
		cmocka_unit_test(test_stats_tail_needs_enough_samples),
		cmocka_unit_test(test_stats_sorts_many_samples_like_qsort),
		cmocka_unit_test(test_stats_json_has_the_medians_interval),
		cmocka_unit_test(test_stats_json_lists_two_modes),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
