/* schedule.c - see schedule.h. */
#include "run/schedule.h"

#include <fcntl.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ci.h"
#include "common/util.h"
#include "store/records.h"
#include "timing.h"

/* splitmix64: a tiny generator with a fixed definition, so that a seed means one order on
 * every platform (rand() differs between libcs). */
static uint64_t next_u64(uint64_t *state)
{
	uint64_t z = (*state += 0x9e3779b97f4a7c15ULL);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

/* A uniform integer in [0, bound): rejection, so no index is favoured. */
static uint64_t below(uint64_t *state, uint64_t bound)
{
	uint64_t limit = UINT64_MAX - UINT64_MAX % bound, x;
	do
		x = next_u64(state);
	while (x >= limit);
	return x % bound;
}

static uint64_t fresh_seed(void)
{
	uint64_t s = 0;
	int fd = open("/dev/urandom", O_RDONLY | O_CLOEXEC);
	if (fd < 0 || read(fd, &s, sizeof(s)) != (ssize_t)sizeof(s))
		s = (uint64_t)now_ns() ^ ((uint64_t)getpid() << 32);
	if (fd >= 0)
		close(fd);
	return s >> 11;	/* 53 bits: a JSON number every reader keeps exact */
}

void sched_init(struct sched *S, const struct config *cfg)
{
	memset(S, 0, sizeof(*S));
	S->seed = cfg->has_seed ? cfg->seed : fresh_seed();
	S->state = S->seed;
	S->n = cfg->ncases;
	S->c = calloc(S->n ? S->n : 1, sizeof(*S->c));
	if (!S->c)
		abort();
	for (size_t i = 0; i < S->n; i++) {
		S->c[i].values = json_object();
		S->c[i].pending = json_object();
		S->c[i].worst = NAN;
	}
	S->precision = cfg->precision;
	S->max_time_ns = cfg->max_time_ns;
	S->min_reps = cfg->repetitions;
	S->plan_order = cfg->plan_order;
}

void sched_free(struct sched *S)
{
	for (size_t i = 0; i < S->n; i++) {
		json_decref(S->c[i].values);
		json_decref(S->c[i].pending);
	}
	free(S->c);
}

size_t sched_round(struct sched *S, size_t *order)
{
	size_t k = 0;
	for (size_t i = 0; i < S->n; i++)
		if (!S->c[i].ended)
			order[k++] = i;
	for (size_t j = k; j > 1 && !S->plan_order; j--) {
		size_t r = (size_t)below(&S->state, j), t = order[j - 1];
		order[j - 1] = order[r];
		order[r] = t;
	}
	return k;
}

void sched_note_record(struct sched *S, size_t i, json_t *r)
{
	const char *dir = json_string_value(json_object_get(r, "direction"));
	const char *st = json_string_value(json_object_get(r, "status"));
	json_t *v = json_object_get(r, "value");
	if (!dir || !st || strcmp(st, "ok") || !strcmp(dir, "none") || !json_is_number(v))
		return;
	char *key = record_key(r);
	json_t *a = json_object_get(S->c[i].pending, key);
	if (!a)
		json_object_set_new(S->c[i].pending, key, a = json_array());
	json_array_append(a, v);
	free(key);
}

/* Move the running repetition's values into the case's (or drop them). */
static void settle(struct sched_case *c, int keep)
{
	const char *key;
	json_t *a;
	json_object_foreach(c->pending, key, a) {
		json_t *all = json_object_get(c->values, key);
		if (!all)
			json_object_set_new(c->values, key, all = json_array());
		if (keep)
			json_array_extend(all, a);
	}
	json_object_clear(c->pending);
}

/* The relative half-width of the median's 95% interval over values; INFINITY when the values
 * are too few to reach 95% (an interval that does not exist is not narrow). */
static double relative_half_width(json_t *values)
{
	size_t n;
	double *d = json_numbers(values, &n), m = ci_sort_median(d, n);
	struct median_ci ci;
	ci_median(d, n, CI_LEVEL, &ci);
	/* None yet (every repetition so far was disturbed) or too few: not narrow. */
	double w = ci.reached ? ci_relative_half_width(&ci, m) : INFINITY;
	free(d);
	return isnan(w) ? INFINITY : w;
}

/* The widest relative half-width among case c's timings; NAN when it records none. */
static double widest(const struct sched_case *c)
{
	const char *key;
	json_t *a;
	double worst = NAN;
	json_object_foreach(c->values, key, a) {
		double w = relative_half_width(a);
		if (isnan(worst) || w > worst)
			worst = w;
	}
	return worst;
}

void sched_note_case(struct sched *S, size_t i, const char *status, int disturbed,
		     int64_t duration_ns)
{
	struct sched_case *c = &S->c[i];
	settle(c, !disturbed);
	c->reps++;
	c->spent_ns += duration_ns;
	c->worst = widest(c);
	/* A fixed count runs every repetition, whatever each ended with (a case that fails
	 * once may not fail again); the precision loop stops a case that is not ok, since more
	 * repetitions of it would not narrow anything. */
	if (S->precision <= 0) {
		if (c->reps >= S->min_reps)
			c->ended = "the repetitions asked for";
	} else if (strcmp(status, "ok"))
		c->ended = "not ok: repeating would not make it precise";
	else if (c->reps < S->min_reps)
		return;
	else if (isnan(c->worst))
		c->ended = "no timing to make precise";
	else if (c->worst <= S->precision)
		c->ended = "precision reached";
	else if (c->spent_ns >= S->max_time_ns)
		c->ended = "max_time reached first";
}

json_t *sched_json(const struct sched *S, const struct config *cfg)
{
	json_t *cases = json_array();
	for (size_t i = 0; i < S->n; i++) {
		const struct sched_case *c = &S->c[i];
		json_array_append_new(cases, json_pack("{s:I, s:s, s:i, s:f, s:o, s:s?}", "index",
						       (json_int_t)i, "label", cfg->cases[i].label,
						       "repetitions", c->reps, "seconds",
						       (double)c->spent_ns / 1e9, "half_width",
						       isfinite(c->worst) ? json_real(c->worst) :
									    json_null(),
						       "ended", c->ended));
	}
	return json_pack("{s:I, s:s, s:i, s:o, s:o, s:o}", "seed", (json_int_t)S->seed, "order",
			 S->plan_order ? "rounds; each round in the config's order (order: plan)" :
			 "rounds; each round's order shuffled (Fisher-Yates, splitmix64 from the "
			 "seed)", "min_repetitions", S->min_reps, "precision",
			 S->precision > 0 ? json_real(S->precision) : json_null(), "max_time_s",
			 S->precision > 0 ? json_real((double)S->max_time_ns / 1e9) : json_null(),
			 "cases", cases);
}
