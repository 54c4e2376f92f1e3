/* test_modes.c - multi-modality (probes/lib/modes.c) on fixed synthetic samples with known
 * answers: a lognormal is one mode, a 70/30 mixture at 15 us and 95 us is two (shares and
 * centers checked), a heavy tail is not a second mode, nanosecond-quantized samples by the
 * million are not a forest of modes, and too few samples say 0.  The samples come from a
 * fixed splitmix64 stream (no rand(): the same numbers on every libc). */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include <cmocka.h>

#include "modes.h"

static uint64_t seed;

static uint64_t splitmix64(void)
{
	uint64_t z = (seed += 0x9e3779b97f4a7c15ULL);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

/* Uniform on (0, 1), never 0. */
static double uniform(void)
{
	return ((double)(splitmix64() >> 11) + 0.5) / 9007199254740992.0;
}

/* Standard normal (Box-Muller, one of the pair). */
static double normal(void)
{
	double u = uniform(), v = uniform();
	return sqrt(-2 * log(u)) * cos(6.283185307179586 * v);
}

static double lognormal(double median, double sigma)
{
	return median * exp(sigma * normal());
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

static double *sorted_copy(double *v, size_t n)
{
	qsort(v, n, sizeof(*v), cmp_double);
	return v;
}

static void test_a_lognormal_is_one_mode(void **state)
{
	(void)state;
	enum { N = 2000 };
	static double v[N];
	struct mode m[8];
	seed = 1;
	for (size_t i = 0; i < N; i++)
		v[i] = lognormal(20000, 0.3);
	assert_int_equal(stats_modes(sorted_copy(v, N), N, m, 8), 1);
	assert_true(m[0].share == 1.0 && m[0].lo == v[0] && m[0].hi == v[N - 1]);
	assert_true(fabs(m[0].center / 20000 - 1) < 0.1);
}

/* 70% at 15 us, 30% at 95 us (the bimodal pipe round trip of issue 16). */
static void fill_mixture(double *v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		v[i] = i < n * 7 / 10 ? lognormal(15000, 0.1) : lognormal(95000, 0.1);
}

static void assert_the_mixture(const struct mode *m)
{
	assert_true(fabs(m[0].share - 0.70) < 0.02 && fabs(m[1].share - 0.30) < 0.02);
	assert_true(fabs(m[0].center / 15000 - 1) < 0.1 && fabs(m[1].center / 95000 - 1) < 0.1);
	assert_true(m[0].lo < m[0].hi && m[0].hi < m[1].lo && m[1].lo < m[1].hi);
	assert_true(m[0].lo < 15000 && 15000 < m[0].hi && m[1].lo < 95000 && 95000 < m[1].hi);
}

static void test_a_70_30_mixture_is_two_modes(void **state)
{
	(void)state;
	enum { N = 1000 };
	static double v[N];
	struct mode m[8];
	seed = 2;
	fill_mixture(v, N);
	assert_int_equal(stats_modes(sorted_copy(v, N), N, m, 8), 2);
	assert_the_mixture(m);
	/* max bounds what is filled, not what is counted */
	struct mode one[1];
	assert_int_equal(stats_modes(v, N, one, 1), 2);
	assert_true(one[0].center == m[0].center);
}

/* 85% a lognormal body at 20 us, 15% a Pareto tail (alpha 1.2) from 25 us, and three stray
 * samples at 10 ms: a long tail, and outliers, but one mode. */
static void test_a_heavy_tail_is_one_mode(void **state)
{
	(void)state;
	enum { N = 3000 };
	static double v[N];
	struct mode m[8];
	seed = 3;
	for (size_t i = 0; i < N; i++)
		v[i] = i < N * 85 / 100 ? lognormal(20000, 0.2) : 25000 * pow(uniform(), -1 / 1.2);
	v[0] = v[1] = v[2] = 1e7;
	assert_int_equal(stats_modes(sorted_copy(v, N), N, m, 8), 1);
	assert_true(m[0].hi == v[N - 1] && m[0].share == 1.0);
}

static int cmp_i64(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
	return (x > y) - (x < y);
}

/* A million samples in whole nanoseconds: one mode around 1 us stays one (the bandwidth's
 * floor), and the mixture stays two, through the int64 entry. */
static void test_a_million_quantized_samples(void **state)
{
	(void)state;
	enum { N = 1000000 };
	int64_t *v = malloc(N * sizeof(*v));
	struct mode m[8];
	assert_non_null(v);
	seed = 4;
	for (size_t i = 0; i < N; i++)
		v[i] = (int64_t)lognormal(1000, 0.05);
	qsort(v, N, sizeof(*v), cmp_i64);
	assert_int_equal(stats_modes_i64(v, N, m, 8), 1);
	for (size_t i = 0; i < N; i++)
		v[i] = (int64_t)(i < N * 7 / 10 ? lognormal(15000, 0.1) : lognormal(95000, 0.1));
	qsort(v, N, sizeof(*v), cmp_i64);
	assert_int_equal(stats_modes_i64(v, N, m, 8), 2);
	assert_the_mixture(m);
	free(v);
}

static void test_too_few_samples_say_0(void **state)
{
	(void)state;
	double v[STATS_MODES_MIN_N];
	struct mode m[8];
	seed = 5;
	fill_mixture(v, STATS_MODES_MIN_N);
	sorted_copy(v, STATS_MODES_MIN_N);
	assert_int_equal(stats_modes(v, STATS_MODES_MIN_N - 1, m, 8), 0);
	assert_int_equal(stats_modes(v, 0, m, 8), 0);
	assert_int_equal(stats_modes(NULL, 0, m, 8), 0);
	/* a value that is not > 0 has no log: not told */
	v[0] = 0;
	assert_int_equal(stats_modes(v, STATS_MODES_MIN_N, m, 8), 0);
}

/* Every sample equal: one mode, at that value. */
static void test_equal_samples_are_one_mode(void **state)
{
	(void)state;
	double v[100];
	struct mode m[8];
	for (size_t i = 0; i < 100; i++)
		v[i] = 5000;
	assert_int_equal(stats_modes(v, 100, m, 8), 1);
	assert_true(m[0].lo == 5000 && m[0].hi == 5000 && m[0].share == 1.0);
	assert_true(fabs(m[0].center / 5000 - 1) < 0.01);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_a_lognormal_is_one_mode),
		cmocka_unit_test(test_a_70_30_mixture_is_two_modes),
		cmocka_unit_test(test_a_heavy_tail_is_one_mode),
		cmocka_unit_test(test_a_million_quantized_samples),
		cmocka_unit_test(test_too_few_samples_say_0),
		cmocka_unit_test(test_equal_samples_are_one_mode),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
