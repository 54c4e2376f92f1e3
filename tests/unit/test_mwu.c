/* test_mwu.c - the Mann-Whitney U test against values worked out by hand. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include "compare/mwu.h"

static void test_mwu_complete_separation_gives_the_exact_tail(void **state)
{
	(void)state;
	double a[] = { 1, 2, 3 }, b[] = { 4, 5, 6 }, u;
	/* One arrangement in C(6,3) = 20 has U = 0, and one has U = 9: p = 2/20. */
	assert_float_equal(mwu_p(a, 3, b, 3, &u), 0.1, 1e-12);
	assert_float_equal(u, 0, 1e-12);
	double c[] = { 1, 2, 3, 4 }, d[] = { 5, 6, 7, 8 };
	assert_float_equal(mwu_p(d, 4, c, 4, &u), 2.0 / 70, 1e-12);
	assert_float_equal(u, 16, 1e-12);
}

static void test_mwu_exact_counts_the_tail(void **state)
{
	(void)state;
	/* a = {1, 3}, b = {2, 4}: U = 1 (only 3 > 2).  Of the C(4,2) = 6 arrangements, U takes
	 * 0, 1, 2, 2, 3, 4: P(U <= 1) = 2/6, two-sided p = 4/6. */
	double a[] = { 1, 3 }, b[] = { 2, 4 }, u;
	assert_float_equal(mwu_p(a, 2, b, 2, &u), 4.0 / 6, 1e-12);
	assert_float_equal(u, 1, 1e-12);
	double one[] = { 5 }, same[] = { 5 };
	assert_float_equal(mwu_p(one, 1, same, 1, &u), 1, 1e-12);	/* a tie: normal, capped */
}

static void test_mwu_normal_approximation_with_ties(void **state)
{
	(void)state;
	/* a = {1,1,2,2}, b = {2,2,3,3}: mid-ranks 1.5,1.5,4.5,4.5 | 4.5,4.5,7.5,7.5.
	 * R_a = 12, U = 12 - 10 = 2; mu = 8; ties: 2^3-2 + 4^3-4 + 2^3-2 = 72;
	 * var = 16/12 * (9 - 72/56) = 10.2857...; z = (6 - 0.5)/sqrt(var) = 1.71493;
	 * p = erfc(z / sqrt 2) = 0.086355. */
	double a[] = { 1, 1, 2, 2 }, b[] = { 2, 2, 3, 3 }, u;
	double p = mwu_p(a, 4, b, 4, &u);
	assert_float_equal(u, 2, 1e-12);
	assert_float_equal(p, erfc((5.5 / sqrt(16.0 / 12 * (9 - 72.0 / 56))) / sqrt(2)), 1e-12);
	assert_true(p > 0.0863 && p < 0.0864);
}

static void test_mwu_min_p_says_when_too_few_repetitions(void **state)
{
	(void)state;
	assert_float_equal(mwu_min_p(3, 3), 0.1, 1e-12);	/* never below 0.05 */
	assert_float_equal(mwu_min_p(4, 4), 2.0 / 70, 1e-12);	/* can */
	assert_float_equal(mwu_min_p(1, 1), 1, 1e-12);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_mwu_complete_separation_gives_the_exact_tail),
		cmocka_unit_test(test_mwu_exact_counts_the_tail),
		cmocka_unit_test(test_mwu_normal_approximation_with_ties),
		cmocka_unit_test(test_mwu_min_p_says_when_too_few_repetitions),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
