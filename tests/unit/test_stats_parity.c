/* test_stats_parity.c - the python probe's pyprobe/stats.py ports the median's interval
 * (probes/lib/ci.c) and the modes (probes/lib/modes.c).  The same fixed samples go to both:
 * the interval's bounds, whether it reached 95%, and the modes (count, shares, centers,
 * ranges) must be identical; the level to 1e-12 (CPython's lgamma is its own, not libm's).
 * The package is imported from the built probe (BUILD/probes/python) when it is there, else
 * from probes/python.  Skips (saying so) where python3 or both are missing. */
#include <limits.h>
#include <math.h>
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

#include "ci.h"
#include "modes.h"

#define MAX_MODES 16

static uint64_t seed;

static uint64_t splitmix64(void)
{
	uint64_t z = (seed += 0x9e3779b97f4a7c15ULL);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static double uniform(void)
{
	return ((double)(splitmix64() >> 11) + 0.5) / 9007199254740992.0;
}

static double lognormal(double median, double sigma)
{
	double u = uniform(), v = uniform();
	return median * exp(sigma * sqrt(-2 * log(u)) * cos(6.283185307179586 * v));
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

/* Sample set `which` of n values into v (sorted): the shapes of test_modes and a few more. */
static void fill(int which, double *v, size_t n)
{
	seed = (uint64_t)which + 100;
	for (size_t i = 0; i < n; i++) {
		double a = (double)i / (double)n;
		switch (which) {
		case 0: v[i] = lognormal(20000, 0.3); break;
		case 1: v[i] = a < 0.7 ? lognormal(15000, 0.1) : lognormal(95000, 0.1); break;
		case 2: v[i] = a < 0.85 ? lognormal(20000, 0.2) : 25000 * pow(uniform(), -1 / 1.2);
			break;
		case 3: v[i] = a < 0.5 ? lognormal(2000, 0.1) : a < 0.8 ? lognormal(10000, 0.1)
								      : lognormal(60000, 0.1);
			break;
		case 4: v[i] = floor(a < 0.6 ? lognormal(300, 0.05) : lognormal(1400, 0.05)); break;
		case 5: v[i] = 5000; break;
		case 7: v[i] = floor(lognormal(1000, 0.05)); break;	/* h at its floor */
		default: v[i] = floor(lognormal(40000, 0.5)); break;
		}
	}
	qsort(v, n, sizeof(*v), cmp_double);
}

static const struct {
	int which;
	size_t n;
} sets[] = { { 0, 2000 }, { 1, 1000 }, { 2, 3000 }, { 3, 1500 }, { 4, 50000 }, { 5, 100 },
	     { 6, 5 }, { 6, 19 }, { 6, 20 }, { 6, 2500 }, { 1, 37 }, { 0, 200000 },
	     { 7, 100000 } };

/* The C answer for one set, in the form the script prints. */
static json_t *c_answer(const double *v, size_t n)
{
	struct median_ci ci;
	struct mode m[MAX_MODES];
	ci_median(v, n, CI_LEVEL, &ci);
	size_t k = stats_modes(v, n, m, MAX_MODES);
	json_t *modes = json_array();
	for (size_t i = 0; i < k && i < MAX_MODES; i++)
		json_array_append_new(modes, json_pack("{s:f, s:f, s:f, s:f}", "center", m[i].center,
						       "lo", m[i].lo, "hi", m[i].hi, "share",
						       m[i].share));
	return json_pack("{s:{s:f, s:f, s:f, s:b}, s:o}", "ci", "lo", ci.lo, "hi", ci.hi, "level",
			 ci.level, "reached", ci.reached, "modes", modes);
}

static const char script[] =
	"import json, sys\n"
	"sys.path.insert(0, sys.argv[1])\n"
	"from pyprobe import stats\n"
	"for line in open(sys.argv[2]):\n"
	"    v = json.loads(line)\n"
	"    ci = stats.median_ci(v)\n"
	"    print(json.dumps({'ci': {k: ci[k] for k in ('lo', 'hi', 'level', 'reached')},\n"
	"                      'modes': stats.modes(v)}))\n";

static char probe[PATH_MAX] = "probes/python";

/* Write each set's samples, one JSON array per line (17 digits: every double round-trips),
 * and collect the C answers. */
static json_t *write_sets(FILE *f)
{
	json_t *want = json_array();
	for (size_t s = 0; s < sizeof(sets) / sizeof(sets[0]); s++) {
		double *v = malloc(sets[s].n * sizeof(*v));
		assert_non_null(v);
		fill(sets[s].which, v, sets[s].n);
		for (size_t i = 0; i < sets[s].n; i++)
			fprintf(f, "%s%.17g", i ? "," : "[", v[i]);
		fputs("]\n", f);
		json_array_append_new(want, c_answer(v, sets[s].n));
		free(v);
	}
	return want;
}

/* Equal, but the level to 1e-12. */
static int same(json_t *c, json_t *py)
{
	json_t *cc = json_deep_copy(c), *pc = json_deep_copy(py);
	double lc = json_number_value(json_object_get(json_object_get(cc, "ci"), "level"));
	double lp = json_number_value(json_object_get(json_object_get(pc, "ci"), "level"));
	json_object_del(json_object_get(cc, "ci"), "level");
	json_object_del(json_object_get(pc, "ci"), "level");
	int eq = json_equal(cc, pc) && fabs(lc - lp) < 1e-12;
	json_decref(cc);
	json_decref(pc);
	return eq;
}

static void test_python_probe_has_the_same_interval_and_modes(void **state)
{
	(void)state;
	if (access(probe, R_OK) != 0 || system("python3 -c pass > /dev/null 2>&1") != 0) {
		printf("test_stats_parity: skipped: python3 or %s is not here\n", probe);
		skip();
	}
	char in[] = "/tmp/ipcprobe-sparity-XXXXXX", py[] = "/tmp/ipcprobe-sparity-py-XXXXXX";
	int fi = mkstemp(in), fp = mkstemp(py);
	assert_true(fi >= 0 && fp >= 0);
	FILE *f = fdopen(fi, "w"), *g = fdopen(fp, "w");
	fputs(script, g);
	fclose(g);
	json_t *want = write_sets(f);
	fclose(f);
	char cmd[PATH_MAX + 128];
	snprintf(cmd, sizeof(cmd), "python3 -B %s '%s' %s", py, probe, in);
	FILE *p = popen(cmd, "r");
	assert_non_null(p);
	static char buf[1 << 16];
	size_t i = 0, differ = 0, multi = 0;
	while (fgets(buf, sizeof(buf), p)) {
		json_t *got = json_loads(buf, 0, NULL), *w = json_array_get(want, i++);
		assert_non_null(got);
		assert_non_null(w);
		multi += json_array_size(json_object_get(w, "modes")) >= 2;
		if (!same(w, got)) {
			char *gs = json_dumps(got, JSON_COMPACT), *ws = json_dumps(w, JSON_COMPACT);
			printf("set %zu: C %s\n       python %s\n", i - 1, ws, gs);
			free(gs);
			free(ws);
			differ++;
		}
		json_decref(got);
	}
	assert_int_equal(pclose(p), 0);
	unlink(in);
	unlink(py);
	assert_int_equal(i, json_array_size(want));
	json_decref(want);
	assert_int_equal(differ, 0);
	assert_true(multi >= 3);	/* the sets do exercise the merging, not only one mode */
	printf("test_stats_parity: %zu sample sets, %zu multi-modal, pyprobe from %s\n", i, multi,
	       probe);
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
		cmocka_unit_test(test_python_probe_has_the_same_interval_and_modes),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
