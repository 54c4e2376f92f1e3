/* test_ci.c - the median's interval against answers worked out independently (exact binomial
 * sums in Python's integer arithmetic, and the textbook ranks for n = 100 and 1000). */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include <cmocka.h>

#include "ci.h"

/* 1, 2, ..., n: the k-th value is k, so bounds read as ranks. */
static double *ranks(size_t n)
{
	double *v = malloc(n * sizeof(*v));
	for (size_t i = 0; i < n; i++)
		v[i] = (double)(i + 1);
	return v;
}

static void expect_tol(size_t n, size_t lo_rank, double level, double tol)
{
	struct median_ci ci;
	double *v = ranks(n);
	ci_median(v, n, 0.95, &ci);
	assert_int_equal(ci.n, n);
	assert_int_equal(ci.lo_rank, lo_rank);
	assert_int_equal(ci.hi_rank, n + 1 - lo_rank);
	assert_true(ci.lo == (double)lo_rank && ci.hi == (double)(n + 1 - lo_rank));
	assert_true(fabs(ci.level - level) < tol);
	assert_true(ci.reached);
	free(v);
}

static void expect(size_t n, size_t lo_rank, double level)
{
	expect_tol(n, lo_rank, level, 1e-9);
}

static void test_ci_known_ranks(void **state)
{
	(void)state;
	expect(6, 1, 0.96875);		/* 1 - 2/64 */
	expect(10, 2, 0.978515625);	/* 1 - 2 * 11/1024 */
	expect(20, 6, 0.9586105346679688);
	expect(100, 40, 0.9647997997822952);
	expect(1000, 469, 0.9537088026395019);
}

/* Past the exact sums, the normal approximation must give the same ranks. */
static void test_ci_large_n_uses_approximation_faithfully(void **state)
{
	(void)state;
	expect_tol(2001, 957, 0.9508724843431974, 1e-4);
	expect_tol(5000, 2431, 0.9506841418958282, 1e-4);
}

/* Five values cannot give 95%: (min, max) with its true 93.75%, and reached is 0. */
static void test_ci_too_few_says_its_true_level(void **state)
{
	struct median_ci ci;
	double v[] = { 3, 9, 10, 11, 40 };
	(void)state;
	ci_median(v, 5, 0.95, &ci);
	assert_false(ci.reached);
	assert_true(ci.lo == 3 && ci.hi == 40);
	assert_true(ci.level == 0.9375);
	ci_median(v, 1, 0.95, &ci);
	assert_true(ci.lo == 3 && ci.hi == 3 && ci.level == 0 && !ci.reached);
	ci_median(v, 0, 0.95, &ci);
	assert_true(isnan(ci.lo) && isnan(ci.hi) && ci.n == 0);
}

static void test_ci_int64_and_relative_width(void **state)
{
	struct median_ci ci;
	int64_t v[10] = { 90, 95, 98, 99, 100, 100, 101, 102, 105, 110 };
	(void)state;
	ci_median_i64(v, 10, 0.95, &ci);
	assert_true(ci.lo == 95 && ci.hi == 105);
	assert_true(fabs(ci_relative_half_width(&ci, 100) - 0.05) < 1e-12);
	assert_true(isnan(ci_relative_half_width(&ci, 0)));
}

static void test_ci_sort_median(void **state)
{
	double odd[] = { 9, 1, 5 }, even[] = { 8, 2, 6, 4 };
	(void)state;
	assert_true(ci_sort_median(odd, 3) == 5 && odd[0] == 1 && odd[2] == 9);
	assert_true(ci_sort_median(even, 4) == 5 && even[0] == 2 && even[3] == 8);
	assert_true(isnan(ci_sort_median(odd, 0)));
}

/* The coverage it claims is the coverage there is: 20000 draws of 20 values from a skewed
 * distribution (exponential, median ln 2), fixed seed; the interval holds the true median in
 * 95.86% of them, give or take the binomial noise of 20000 trials (sd 0.14%). */
static void test_ci_coverage_on_a_known_distribution(void **state)
{
	uint64_t x = 88172645463325252ULL;	/* xorshift64 */
	int hits = 0, trials = 20000;
	(void)state;
	for (int t = 0; t < trials; t++) {
		double v[20];
		for (int i = 0; i < 20; i++) {
			x ^= x << 13;
			x ^= x >> 7;
			x ^= x << 17;
			v[i] = -log(((double)(x >> 11) + 0.5) / 9007199254740992.0);
		}
		for (int i = 1; i < 20; i++)	/* insertion sort */
			for (int j = i; j > 0 && v[j - 1] > v[j]; j--) {
				double s = v[j];
				v[j] = v[j - 1];
				v[j - 1] = s;
			}
		struct median_ci ci;
		ci_median(v, 20, 0.95, &ci);
		hits += ci.lo <= log(2.0) && log(2.0) <= ci.hi;
	}
	double rate = (double)hits / trials;
	assert_true(rate > 0.9586 - 0.0056 && rate < 0.9586 + 0.0056);	/* 4 sd */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ci_known_ranks),
		cmocka_unit_test(test_ci_large_n_uses_approximation_faithfully),
		cmocka_unit_test(test_ci_too_few_says_its_true_level),
		cmocka_unit_test(test_ci_int64_and_relative_width),
		cmocka_unit_test(test_ci_sort_median),
		cmocka_unit_test(test_ci_coverage_on_a_known_distribution),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
