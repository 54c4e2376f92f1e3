/* compare.c - `ipcprobe compare BASE NEW` (or BASE... --vs NEW...): regressions and
 * improvements between two runs, with an exit status for CI.
 *
 * The rules, in the order they decide, for a figure measured in both runs (the verdict's
 * "rule" names the one that decided):
 *   1. disturbed: repetitions of a timing (or a ratio of timings; a fact does not move with
 *      the load) whose case run was disturbed (store/reps.h; run.json: someone else's CPU time
 *      or a hypervisor's steal, store/machine.h) are left out; a figure with none left on a
 *      side is "disturbed: not judged", and the gate fails unless --allow-disturbed.
 *   2. intervals: each side's median gets its distribution-free 95% interval over its
 *      repetitions (ci.h; with 5 repetitions that is min..max at 93.8%, said as such).  Two
 *      intervals that overlap never make a regression, an improvement or a change.
 *   3. for a timing (direction lower or higher): Mann-Whitney p < alpha, and the change (how
 *      much worse NEW's median is, a fraction) beyond both the threshold and the noise (the
 *      larger relative spread of either run's repetitions, less the most extreme at each end
 *      once there are 5): what the machine itself shows between repetitions of the same code.
 *      When the repetitions are too few for p ever to fall below alpha, the verdict says so.
 *      The change is never a fraction of a median of 0 (a count, a rate): "not comparable:
 *      zero median", which fails the gate (the intervals apart, NEW is the worse).
 *   4. for a figure without a direction (a fact such as a capacity, or a ratio of two
 *      timings): "changed" when the intervals are apart; a fact's interval is its one value.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/exit.h"
#include "common/options.h"
#include "compare/compare.h"
#include "ci.h"
#include "compare/mwu.h"
#include "compare/sides.h"
#include "param.h"
#include "common/vocab.h"
#include "common/util.h"

#define ALPHA 0.05

/* One run's side of a figure: its values sorted, median, interval and spread. */
struct side {
	double *v;
	size_t n;
	double median, spread;
	struct median_ci ci;
};

/* The relative spread of sorted samples: (max - min) / median, without the most extreme sample
 * at each end once there are 5 or more.  One stray repetition (this VM's round trips are
 * bimodal: 15 us or 90 us) must not make every real change look like noise. */
static double spread(const double *sorted, size_t n, double med)
{
	size_t trim = n >= 5 ? 1 : 0;
	return n > 1 && med != 0 ? (sorted[n - 1 - trim] - sorted[trim]) / fabs(med) : 0;
}

static void side_of(json_t *vals, struct side *s)
{
	s->v = json_numbers(vals, &s->n);
	s->median = ci_sort_median(s->v, s->n);
	s->spread = spread(s->v, s->n, s->median);
	ci_median(s->v, s->n, CI_LEVEL, &s->ci);
}

static json_t *ci_json(const struct side *s)
{
	return json_pack("{s:f, s:f, s:f, s:b, s:I}", "lo", s->ci.lo, "hi", s->ci.hi, "level",
			 s->ci.level, "reached", s->ci.reached, "n", (json_int_t)s->n);
}

static int overlap(const struct side *a, const struct side *b)
{
	return a->ci.lo <= b->ci.hi && b->ci.lo <= a->ci.hi;
}

/* A timing's verdict by rules 2 and 3 (see the top); the rule that decided into rule. */
static const char *judge_timing(const struct side *a, const struct side *b, const char *dir,
				double threshold, json_t *res, char *rule, size_t len, int *bad)
{
	double u, p = mwu_p(a->v, a->n, b->v, b->n, &u), min_p = mwu_min_p(a->n, b->n);
	double noise = fmax(a->spread, b->spread), bar = fmax(threshold, noise);
	/* How much worse NEW is, a fraction of the better one's time: of BASE's median when lower
	 * is better, of NEW's rate when higher is.  That median may be 0 (a count, a rate; never a
	 * duration, records.c), and is never divided by. */
	int higher = !strcmp(dir, "higher");
	double of = higher ? b->median : a->median;
	double change = of == 0 ? NAN : higher ? a->median / of - 1 : b->median / of - 1;
	json_object_set_new(res, "p", json_real(p));
	json_object_set_new(res, "u", json_real(u));
	json_object_set_new(res, "noise", json_real(noise));
	json_object_set_new(res, "worse_by", isfinite(change) ? json_real(change) : json_null());
	if (min_p >= ALPHA) {
		snprintf(rule, len, "%zu and %zu repetitions cannot give p < %.2f", a->n, b->n, ALPHA);
		return "too few repetitions";
	}
	if (overlap(a, b)) {
		snprintf(rule, len, "the medians' intervals overlap");
		return "no significant change";
	}
	if (p >= ALPHA) {
		snprintf(rule, len, "Mann-Whitney p = %.3f, not below %.2f", p, ALPHA);
		return "no significant change";
	}
	if (of == 0) {	/* apart, so the other median is not 0 and NEW is the worse */
		snprintf(rule, len, "intervals apart, p = %.3f: NEW is worse, and %s median is 0, "
			 "of which no change is a fraction", p, higher ? "NEW's" : "BASE's");
		*bad = 1;
		return "not comparable: zero median";
	}
	if (fabs(change) <= bar) {
		snprintf(rule, len, "%+.1f%% is within the %s (%.0f%%)", 100 * change,
			 noise > threshold ? "noise of the repetitions" : "threshold", 100 * bar);
		return "no significant change";
	}
	snprintf(rule, len, "intervals apart, p = %.3f, %+.1f%% beyond the threshold %.0f%% and "
		 "the noise %.0f%%", p, 100 * change, 100 * threshold, 100 * noise);
	*bad = change > 0;
	return change > 0 ? "regression" : "improvement";
}

/* A figure without a direction (rule 4): a fact, or a ratio of two timings. */
static const char *judge_plain(const struct side *a, const struct side *b, char *rule,
			       size_t len)
{
	if (overlap(a, b)) {
		snprintf(rule, len, a->median == b->median ? "the same value" :
				    "the values' intervals overlap");
		return "unchanged";
	}
	snprintf(rule, len, "the values' intervals are apart");
	return "changed";
}

/* Rules 1-4 for a figure with ok values on both sides. */
static const char *judge_values(struct entry *e, double threshold, json_t *res, char *rule,
				size_t len, int *bad)
{
	const char *dir = json_string_value(json_object_get(e->sample, "direction"));
	struct side a, b;
	side_of(e->vals[0], &a);
	side_of(e->vals[1], &b);
	double ratio = a.median != 0 ? b.median / a.median : NAN;
	json_object_set_new(res, "median_base", json_real(a.median));
	json_object_set_new(res, "median_new", json_real(b.median));
	json_object_set_new(res, "ci_base", ci_json(&a));
	json_object_set_new(res, "ci_new", ci_json(&b));
	json_object_set_new(res, "ratio", isnan(ratio) ? json_null() : json_real(ratio));
	const char *verdict = !strcmp(dir, "none") ?
				      judge_plain(&a, &b, rule, len) :
				      judge_timing(&a, &b, dir, threshold, res, rule, len, bad);
	free(a.v);
	free(b.v);
	return verdict;
}

/* What the gate counts over the figures; each count is said as a problem first. */
struct tally {
	int regressions;	/* NEW worse: regressions, now failing, not comparable */
	int missing;		/* figures of BASE that NEW has no record of */
	int lost;		/* figures ok in BASE with no ok repetition in NEW */
	int lost_unsupported;	/* of those, the ones NEW says are unsupported, not failing */
	int undisturbable;	/* figures no undisturbed repetition of a run measured */
	int new_ok;		/* ok records of NEW, disturbed or not */
};

/* A figure ok in BASE that no repetition of NEW measured: lost, as if it were missing from
 * NEW (a feature test broken by a compiler change makes a case unsupported, and that must not
 * pass as "not measured in both"); a regression when NEW failed or timed out. */
static const char *lost(const struct entry *e, char *rule, size_t len, int *bad)
{
	if (e->failed[1]) {
		snprintf(rule, len, "ok in BASE, no repetition of NEW ok (%d failed or timed out): %s",
			 e->failed[1], e->why_failed[1]);
		*bad = 1;
		return "regression (now failing)";
	}
	snprintf(rule, len, "ok in BASE, unsupported in every repetition of NEW: %s",
		 e->why_unsupported[1]);
	return "lost (now unsupported)";
}

/* The verdict of a figure that one side has no undisturbed ok value of (NULL when both have):
 * removed or added, lost, now failing or no longer, disturbed, or not measured in both. */
static const char *judge_unmeasured(struct entry *e, char *rule, size_t len, int *bad,
				    struct tally *t)
{
	size_t n = json_array_size(e->vals[0]), m = json_array_size(e->vals[1]);
	int ok_base = n > 0 || e->disturbed[0], ok_new = m > 0 || e->disturbed[1];
	if (!e->present[0] || !e->present[1]) {
		snprintf(rule, len, "in one run only");
		return e->present[0] ? "removed" : "added";
	}
	if (ok_base && !ok_new) {
		const char *verdict = lost(e, rule, len, bad);
		t->lost++;
		t->lost_unsupported += !*bad;
		return verdict;
	}
	if (!e->failed[0] && e->failed[1] && !ok_new) {
		snprintf(rule, len, "every repetition of NEW failed");
		*bad = 1;
		return "regression (now failing)";
	}
	if (e->failed[0] && !e->failed[1] && m > 0) {
		snprintf(rule, len, "BASE failed, NEW did not");
		return "improvement (no longer failing)";
	}
	if ((n == 0 && e->disturbed[0]) || (m == 0 && e->disturbed[1])) {
		snprintf(rule, len, "every repetition of %s was disturbed (%d)",
			 n == 0 && e->disturbed[0] ? "BASE" : "NEW",
			 n == 0 && e->disturbed[0] ? e->disturbed[0] : e->disturbed[1]);
		t->undisturbable++;
		return "disturbed: not judged";
	}
	if (n == 0 || m == 0) {
		snprintf(rule, len, "no ok value in %s", n == 0 ? "BASE" : "NEW");
		return "not measured in both";
	}
	return NULL;
}

/* Decide one entry: fills the verdict, the rule that decided it and the figures, and counts
 * it in t. */
static void judge(struct entry *e, double threshold, json_t *out, struct tally *t)
{
	json_t *res = json_pack("{s:s, s:s, s:s, s:O, s:O, s:[i, i]}", "key", e->key, "unit",
				json_string_value(json_object_get(e->sample, "unit")), "direction",
				json_string_value(json_object_get(e->sample, "direction")), "base",
				e->vals[0], "new", e->vals[1], "disturbed_left_out", e->disturbed[0],
				e->disturbed[1]);
	char rule[256] = "";
	int bad = 0;
	const char *verdict = judge_unmeasured(e, rule, sizeof(rule), &bad, t);
	if (!verdict)
		verdict = judge_values(e, threshold, res, rule, sizeof(rule), &bad);
	t->regressions += bad;
	t->missing += e->present[0] && !e->present[1];
	t->new_ok += (int)json_array_size(e->vals[1]) + e->disturbed[1];
	json_object_set_new(res, "verdict", json_string(verdict));
	json_object_set_new(res, "rule", json_string(rule));
	json_array_append_new(out, res);
}

static const char *fig(json_t *res, const char *key, char *buf, size_t len)
{
	json_t *v = json_object_get(res, key);
	const char *unit = json_string_value(json_object_get(res, "unit"));
	return json_is_number(v) ? fmt_value(json_number_value(v), unit, buf, len) : "—";
}

/* The widest key of results: the text table prints every key whole (two figures may differ
 * only in a late parameter), and pads the column to it so that the rest stays aligned. */
static int key_width(json_t *results)
{
	json_t *r;
	size_t i;
	int w = 4;	/* "what" */
	json_array_foreach(results, i, r) {
		const char *key = json_string_value(json_object_get(r, "key"));
		int l = key ? (int)strlen(key) : 0;
		if (l > w)
			w = l;
	}
	return w;
}

/* Where a verdict goes in the table: 0 first, what fails the gate (a regression, a figure lost
 * unless allowed, one not comparable with NEW the worse); 1 improvements, changes and what
 * could not be judged; 2 the rest, which markdown only counts. */
static int rank_of(const char *v)
{
	if (!strncmp(v, "regression", 10) || !strncmp(v, "lost", 4) ||
	    !strncmp(v, "not comparable", 14))
		return 0;
	return !strncmp(v, "improvement", 11) || !strcmp(v, "changed") ||
	       !strncmp(v, "disturbed", 9) || !strcmp(v, "added") || !strcmp(v, "removed") ||
	       !strcmp(v, "too few repetitions") ? 1 : 2;
}

static void print_text(json_t *results, int md, double threshold, int regressions)
{
	json_t *r;
	size_t i, unchanged = 0;
	int kw = key_width(results);
	if (md)
		printf("**ipcprobe compare**: %d regression%s (threshold %.0f%%, p < %.2f, beyond the "
		       "noise of the repetitions, outside both 95%% intervals)\n\n| verdict | what | base | "
		       "new | worse by | p | noise | decided by |\n|---|---|---|---|---|---|---|---|\n",
		       regressions, regressions == 1 ? "" : "s", threshold * 100, ALPHA);
	else
		printf("%-27s %-*s %14s %14s %9s %7s %7s  %s\n", "verdict", kw, "what", "base", "new",
		       "worse by", "p", "noise", "decided by");
	for (int pass = 0; pass < 3; pass++) {
		json_array_foreach(results, i, r) {
			const char *v = json_string_value(json_object_get(r, "verdict"));
			int rank = rank_of(v);
			if (rank != pass)
				continue;
			if (md && rank == 2) {
				unchanged++;
				continue;
			}
			char b[64], n[64], w[32] = "—", p[16] = "—", z[16] = "—";
			if (json_is_number(json_object_get(r, "worse_by")))
				snprintf(w, sizeof(w), "%+.1f%%",
					 100 * json_number_value(json_object_get(r, "worse_by")));
			if (json_is_number(json_object_get(r, "p")))
				snprintf(p, sizeof(p), "%.3f", json_number_value(json_object_get(r, "p")));
			if (json_is_number(json_object_get(r, "noise")))
				snprintf(z, sizeof(z), "%.0f%%",
					 100 * json_number_value(json_object_get(r, "noise")));
			const char *key = json_string_value(json_object_get(r, "key"));
			const char *rule = json_string_value(json_object_get(r, "rule"));
			if (md)
				printf("| %s | `%s` | %s | %s | %s | %s | %s | %s |\n", v, key,
				       fig(r, "median_base", b, sizeof(b)),
				       fig(r, "median_new", n, sizeof(n)), w, p, z, rule);
			else
				printf("%-27s %-*s %14s %14s %9s %7s %7s  %s\n", v, kw, key,
				       fig(r, "median_base", b, sizeof(b)),
				       fig(r, "median_new", n, sizeof(n)), w, p, z, rule);
		}
	}
	if (md)
		printf("\n%zu more without a significant change.\n", unchanged);
}

/* Each problem on its own line: a quoted bold line in markdown, on stderr otherwise (so that
 * text and JSON on stdout stay what they were). */
static void print_problems(json_t *problems, int md)
{
	json_t *p;
	size_t i;
	json_array_foreach(problems, i, p) {
		if (md)
			printf("> **%s**\n", json_string_value(p));
		else
			fprintf(stderr, "ipcprobe compare: %s\n", json_string_value(p));
	}
	if (md && json_array_size(problems))
		printf("\n");
}

/* Judge every figure into results, counting them in t; what fails the gate besides a
 * regression is said as a problem. */
static void judge_all(struct comparison *c, double threshold, json_t *results,
		      json_t *problems, struct tally *t)
{
	for (size_t i = 0; i < c->n; i++)
		judge(&c->e[i], threshold, results, t);
	if (t->missing)
		json_array_append_new(problems, json_sprintf("%d figure%s of BASE %s missing from NEW "
							     "(cases lost or removed)", t->missing,
							     t->missing == 1 ? "" : "s",
							     t->missing == 1 ? "is" : "are"));
	if (t->lost)
		json_array_append_new(problems, json_sprintf("%d figure%s measured in BASE %s lost in "
							     "NEW: no repetition there is ok "
							     "(unsupported, failed or timed out)",
							     t->lost, t->lost == 1 ? "" : "s",
							     t->lost == 1 ? "is" : "are"));
	if (t->undisturbable)
		json_array_append_new(problems, json_sprintf("%d figure%s not judged: every "
							     "repetition of a run was disturbed (run.json "
							     "cases[].machine says by what)",
							     t->undisturbable,
							     t->undisturbable == 1 ? " was" : "s were"));
	if (!t->new_ok)
		json_array_append_new(problems, json_string("NEW has no ok figure: not one record of "
							    "it measured anything"));
}

#define bad_usage(...) opt_bad_usage("compare", __VA_ARGS__)

struct compare_opts {
	struct sides sd;
	const char *format;
	double threshold;
	int allow_incomplete, allow_missing, allow_disturbed;
};

/* One option of compare's (options.c) into o; *side becomes 1 at --vs.  0, or bad usage's
 * status. */
static int take_option(int id, const char *v, struct compare_opts *o, int *side)
{
	char *end;
	switch (id) {
	case OPT_THRESHOLD:
		o->threshold = strtod(v, &end) / 100;
		/* written so that nan% and inf% fail it too */
		if (end == v || (*end && strcmp(end, "%")) ||
		    !(o->threshold >= 0 && o->threshold <= 100))
			return bad_usage("--threshold takes a percentage, e.g. 10%%");
		return 0;
	case OPT_FORMAT:	/* one of its choices (args.c checks) */
		o->format = v;
		return 0;
	case OPT_ALLOW_INCOMPLETE:
		o->allow_incomplete = 1;
		return 0;
	case OPT_ALLOW_MISSING:
		o->allow_missing = 1;
		return 0;
	case OPT_ALLOW_DISTURBED:
		o->allow_disturbed = 1;
		return 0;
	case OPT_VS:
		if (*side)
			return bad_usage("--vs given twice: it divides BASE's runs from NEW's");
		*side = 1;
		return 0;
	}
	return bad_usage("an option the table has and compare does not");
}

/* The command line into o: `BASE NEW`, or `BASE... --vs NEW...`.  0, or the exit status in
 * *rc (bad usage said on stderr, or --help printed). */
static int parse_compare_args(int argc, char **argv, struct compare_opts *o, int *rc)
{
	struct opt_iter it;
	const char *v;
	int side = 0, c;
	*rc = 0;
	opt_begin(&it, argc, argv);
	while ((c = opt_next(&it, &v)) != OPT_END) {
		if (c == OPT_STOP)
			return *rc = it.status, -1;
		if (c == OPT_ARG)
			o->sd.dirs[side][o->sd.n[side]++] = v;
		else if ((*rc = take_option(c, v, o, &side)))
			return -1;
	}
	if (!side) {	/* BASE NEW: the second directory is NEW */
		if (o->sd.n[0] != 2)
			return *rc = bad_usage("two run directories are needed"), -1;
		o->sd.dirs[1][0] = o->sd.dirs[0][1];
		o->sd.n[0] = o->sd.n[1] = 1;
	} else if (!o->sd.n[0] || !o->sd.n[1]) {
		return *rc = bad_usage("--vs needs one run directory or more on each side"), -1;
	}
	return 0;
}

/* What fails the gate besides a regression, into why (5 at most), each with the option that
 * would judge anyway; NEW measuring nothing has none.  Returns how many. */
static int gate_reasons(const struct tally *t, int nproblems, const struct compare_opts *o,
			const char **why)
{
	int n = 0;
	if (nproblems && !o->allow_incomplete)
		why[n++] = "a run is incomplete or lost records (--allow-incomplete to judge anyway)";
	if (t->missing && !o->allow_missing)
		why[n++] = "figures of BASE are missing from NEW (--allow-missing when cases were "
			   "removed on purpose)";
	if (t->lost_unsupported && !o->allow_missing)
		why[n++] = "figures measured in BASE are lost in NEW, unsupported there "
			   "(--allow-missing when support was dropped on purpose)";
	if (t->undisturbable && !o->allow_disturbed)
		why[n++] = "figures could not be judged: every repetition of a run was disturbed by "
			   "other work on the machine (run again on a quiet machine, or "
			   "--allow-disturbed)";
	if (!t->new_ok)
		why[n++] = "NEW measured nothing (no option judges a run without one ok figure)";
	return n;
}

/* Why the gate fails when no figure regressed: gate_reasons' list, on one line. */
static void say_why_failing(const char **why, int n)
{
	fprintf(stderr, "ipcprobe compare: failing: ");
	for (int i = 0; i < n; i++)
		fprintf(stderr, "%s%s", i ? "; " : "", why[i]);
	fprintf(stderr, "\n");
}

static json_t *dir_list(const struct sides *sd, int k)
{
	json_t *a = json_array();
	for (int j = 0; j < sd->n[k]; j++)
		json_array_append_new(a, json_string(sd->dirs[k][j]));
	return a;
}

/* The JSON document: the runs, the rules' settings, the counts, the problems, the verdicts. */
static void print_json(const struct compare_opts *o, const struct tally *t, json_t *problems,
		       json_t *results, int gate)
{
	json_t *doc = json_pack("{s:s, s:s, s:o, s:o, s:f, s:f, s:i, s:i, s:i, s:i, s:O, s:b, "
				"s:b, s:b, s:O}", "base", o->sd.dirs[0][0], "new", o->sd.dirs[1][0],
				"base_runs", dir_list(&o->sd, 0), "new_runs", dir_list(&o->sd, 1),
				"threshold", o->threshold, "alpha", ALPHA, "regressions",
				t->regressions, "missing", t->missing, "lost", t->lost,
				"disturbed_not_judged", t->undisturbable, "problems", problems,
				"allow_incomplete", o->allow_incomplete, "allow_missing",
				o->allow_missing, "fails", gate, "results", results);
	json_dumpf(doc, stdout, JSON_INDENT(2));
	printf("\n");
	json_decref(doc);
}

int cmd_compare(int argc, char **argv)
{
	struct compare_opts o = { .format = "text", .threshold = 0.10 };
	o.sd.dirs[0] = calloc(argc, sizeof(char *));
	o.sd.dirs[1] = calloc(argc, sizeof(char *));
	if (!o.sd.dirs[0] || !o.sd.dirs[1])
		abort();
	int rc;
	if (parse_compare_args(argc, argv, &o, &rc) < 0) {
		free(o.sd.dirs[0]);
		free(o.sd.dirs[1]);
		return rc;
	}
	int md = !strcmp(o.format, "markdown"), nproblems = 0, nwhy = 0;
	struct comparison c = { 0 };
	struct tally t = { 0 };
	const char *why[5];
	json_t *results = json_array(), *problems = json_array();
	if (sides_load(&c, &o.sd, problems, &nproblems) < 0) {
		rc = EXIT_BAD_INPUT;
		goto free_entries;
	}
	judge_all(&c, o.threshold, results, problems, &t);
	nwhy = gate_reasons(&t, nproblems, &o, why);
	int gate = t.regressions || nwhy;
	if (!strcmp(o.format, "json"))
		print_json(&o, &t, problems, results, gate);
	print_problems(problems, md);
	if (strcmp(o.format, "json"))
		print_text(results, md, o.threshold, t.regressions);
	if (gate && !t.regressions)
		say_why_failing(why, nwhy);
	rc = gate ? EXIT_CASE_FAILED : EXIT_ALL_OK;
free_entries:
	json_decref(problems);
	comparison_free(&c);
	free(o.sd.dirs[0]);
	free(o.sd.dirs[1]);
	json_decref(results);
	return rc;
}
