/* report_claims.c - "Claims checked on this platform": each statement of configs/claims.yaml
 * decided by the records of this run and its rule; see that file for the format. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config/config.h"
#include "ci.h"
#include "param.h"
#include "common/vocab.h"
#include "report/charts.h"
#include "report/claims.h"
#include "report/doc.h"
#include "report/lookup.h"
#include "report/section.h"
#include "common/util.h"

enum { CLAIM_UNSUPPORTED = -2, CLAIM_NOT_MEASURED = -1, CLAIM_FAILS = 0, CLAIM_HOLDS = 1,
       CLAIM_UNDECIDED = 2 };

/* Does a record's parameter equal the text a claim gives for it? */
static int param_matches(json_t *v, const char *want)
{
	char err[128];
	int64_t n;
	if (json_is_string(v))
		return !strcmp(json_string_value(v), want);
	if (json_is_boolean(v))
		return !strcmp(want, json_is_true(v) ? "true" : "false");
	if (json_is_integer(v))
		return (parse_size(want, &n, err, sizeof(err)) == 0 ||
			parse_duration(want, &n, err, sizeof(err)) == 0) &&
		       n == json_integer_value(v);
	return 0;
}

static int str_eq(json_t *r, const char *key, json_t *sel)
{
	json_t *w = json_object_get(sel, key);
	return !w || (json_is_string(json_object_get(r, key)) &&
		      !strcmp(json_string_value(json_object_get(r, key)), json_string_value(w)));
}

static json_t *fact_at(json_t *facts, const char *path)
{
	char buf[256], *save, *tok;
	snprintf(buf, sizeof(buf), "%s", path);
	json_t *v = facts;
	for (tok = strtok_r(buf, ".", &save); tok && v; tok = strtok_r(NULL, ".", &save))
		v = json_object_get(v, tok);
	return v;
}

/* The statistic a selector names: "value" (the default) or "dist.<key>" of the record's
 * distribution; NULL when it names neither. */
static const char *stat_key(json_t *sel)
{
	const char *st = json_string_value(json_object_get(sel, "stat"));
	if (!st || !strcmp(st, "value"))
		return "value";
	if (strncmp(st, "dist.", 5))
		return NULL;
	static const char *const keys[] = { "n", "min", "p50", "p90", "p99", "p999", "max",
					    "mean", "stddev", NULL };
	for (int i = 0; keys[i]; i++)
		if (!strcmp(st + 5, keys[i]))
			return st;
	return NULL;
}

/* One side of a claim: a text (a fact or a literal word), or a number and its interval. */
struct figure {
	json_t *text;		/* a string figure; NULL for a number */
	double mid, lo, hi;	/* the number and its interval: lo = hi = mid but for a median */
	const char *unit;
	const char *st;		/* a statistic over repetitions; NULL for a literal or a fact */
	size_t calm, disturbed;	/* over repetitions: how many were undisturbed, disturbed */
	char interval[160];	/* a median's interval, as the tables' interval cells write it */
	char why[160];		/* why no verdict may rest on it; "" when one may */
};

/* Statistic st of hits over the repetitions the report's tables take (report_median_values:
 * the disturbed ones left out when others are there): the largest dist.max or the smallest
 * dist.min (a claim about "never" or "always" is about the extreme of them all, a figure
 * observed, not estimated, so its interval is itself), else the median with its interval
 * over repetitions (ci.h, what the tables' interval cells and compare use).  0 when no
 * record has st. */
static int over_repetitions(json_t *hits, const char *st, struct figure *f)
{
	json_t *vals = report_values_of(hits, strcmp(st, "value") ? st + 5 : NULL);
	double *v = malloc((json_array_size(vals) + 1) * sizeof(*v));
	size_t n = report_median_values(vals, v, &f->calm, &f->disturbed);
	int is_max = !strcmp(st, "dist.max"), is_min = !strcmp(st, "dist.min");
	struct median_ci ci;
	f->st = st;
	f->mid = ci_sort_median(v, n);
	ci_median(v, n, CI_LEVEL, &ci);
	f->lo = ci.lo;
	f->hi = ci.hi;
	if (is_max || is_min)
		f->mid = f->lo = f->hi = n ? v[is_max ? n - 1 : 0] : NAN;
	report_fmt_interval(vals, f->unit ? f->unit : "", f->interval, sizeof(f->interval));
	/* Disturbed repetitions stand in for none: a verdict on them would be the load's. */
	if (n && !f->calm)
		snprintf(f->why, sizeof(f->why), "no undisturbed repetition: all %zu were disturbed",
			 f->disturbed);
	else if (n && f->calm < 2 && !is_max && !is_min)
		snprintf(f->why, sizeof(f->why), "1 undisturbed repetition: an interval over "
						 "repetitions needs 2 or more");
	json_decref(vals);
	free(v);
	return n > 0;
}

/* Does record r fall under selector sel (status aside)? */
static int selects(json_t *r, json_t *sel)
{
	if (!str_eq(r, "probe", sel) || !str_eq(r, "case", sel) || !str_eq(r, "metric", sel) ||
	    !str_eq(r, "transport", sel))
		return 0;
	json_t *want = json_object_get(sel, "params"), *v;
	const char *k;
	int ok = 1;
	json_object_foreach(want, k, v)
		ok &= param_matches(json_object_get(json_object_get(r, "params"), k),
				    json_string_value(v) ?: "");
	return ok;
}

/* Why a selector has no ok record: the status and whole reason of the first record it does
 * select (an interpreter missing or failing to start), else that there is none.  Returns
 * CLAIM_UNSUPPORTED when every record it selects is unsupported, else CLAIM_NOT_MEASURED. */
static int why_none(json_t *records, json_t *sel, char *why, size_t wl)
{
	json_t *r, *first = NULL, *any_metric = json_deep_copy(sel);
	size_t i;
	int all_unsupported = 1;
	/* A case that did not run has one status record, of its headline metric: any metric of
	 * the case explains why the selected one is missing. */
	json_object_del(any_metric, "metric");
	json_array_foreach(records, i, r) {
		if (!selects(r, any_metric) ||
		    !strcmp(json_string_value(json_object_get(r, "status")) ?: "", "ok"))
			continue;
		first = first ? first : r;
		all_unsupported &= !strcmp(json_string_value(json_object_get(r, "status")) ?: "",
					   "unsupported");
	}
	json_decref(any_metric);
	if (!first) {
		snprintf(why, wl, "no ok record of %s/%s %s",
			 json_string_value(json_object_get(sel, "probe")) ?: "?",
			 json_string_value(json_object_get(sel, "case")) ?: "?",
			 json_string_value(json_object_get(sel, "metric")) ?: "?");
		return CLAIM_NOT_MEASURED;
	}
	const char *reason = json_string_value(json_object_get(first, "reason")) ?: "no reason given";
	if (all_unsupported)
		snprintf(why, wl, "%s", reason);	/* the verdict says unsupported */
	else
		snprintf(why, wl, "%s: %s", json_string_value(json_object_get(first, "status")) ?: "?",
			 reason);
	return all_unsupported ? CLAIM_UNSUPPORTED : CLAIM_NOT_MEASURED;
}

/* A fact as a figure: text, or a number (its one value, taken as exact). */
static int fact_figure(json_t *v, const char *path, struct figure *f, char *why, size_t wl)
{
	if (json_is_string(v))
		f->text = json_incref(v);
	else if (json_is_number(v))
		f->mid = f->lo = f->hi = json_number_value(v);
	else if (v)
		snprintf(why, wl, "the fact %s is neither a number nor text", path);
	else
		snprintf(why, wl, "the fact is not in the records");
	return json_is_string(v) || json_is_number(v);
}

/* The figure a selector picks into f: a literal, a statistic over repetitions (see
 * over_repetitions) or a fact.  0 with why, and *none the verdict, when it picks nothing or
 * more than one combination of parameters. */
static int pick(json_t *records, json_t *sel, struct figure *f, char *why, size_t wl,
		int *none)
{
	*none = CLAIM_NOT_MEASURED;
	if (json_is_string(sel)) {	/* a literal: a number, or text */
		char *end;
		double d = strtod(json_string_value(sel), &end);
		if (*end)
			f->text = json_incref(sel);
		f->mid = f->lo = f->hi = d;
		return 1;
	}
	const char *st = stat_key(sel);
	if (!st) {
		snprintf(why, wl, "stat: expected value or dist.<n|min|p50|p90|p99|p999|max|mean|"
				  "stddev>, got \"%s\"",
			 json_string_value(json_object_get(sel, "stat")) ?: "?");
		return 0;
	}
	json_t *hits = json_array(), *seen = json_object(), *r;
	size_t i;
	json_array_foreach(records, i, r) {
		if (!selects(r, sel) || strcmp(json_string_value(json_object_get(r, "status")), "ok"))
			continue;
		char *c = json_dumps(json_object_get(r, "params"), JSON_SORT_KEYS | JSON_COMPACT);
		json_object_set_new(seen, c ? c : "", json_true());
		free(c);
		json_array_append(hits, r);
	}
	int combos = (int)json_object_size(seen), ok = 0;
	json_decref(seen);
	const char *fact = json_string_value(json_object_get(sel, "fact"));
	if (json_array_size(hits) == 0)
		*none = why_none(records, sel, why, wl);
	else if (combos > 1)
		snprintf(why, wl, "the selector matches %d combinations of parameters; name more", combos);
	else if (fact)
		ok = fact_figure(fact_at(json_object_get(json_array_get(hits, 0), "facts"), fact),
				 fact, f, why, wl);
	else {
		f->unit = json_string_value(json_object_get(json_array_get(hits, 0), "unit"));
		ok = over_repetitions(hits, st, f);
		if (!ok)
			snprintf(why, wl, "the records have no %s", st);
	}
	json_decref(hits);
	return ok;
}

/* The rule on two figures (b's interval times factor), decided only when it gives the same
 * answer for every number in a's interval against every number in b's: for an order, when
 * the intervals are apart (or meet where the rule fails throughout); for == and !=, when they
 * are apart or one same point.  Text is compared by == and != alone.  CLAIM_HOLDS,
 * CLAIM_FAILS or CLAIM_UNDECIDED (why says why, naming b as bname); -1 when the rule cannot
 * compare these figures. */
static int decide(const char *op, const struct figure *a, const struct figure *b,
		  double factor, const char *bname, char *why, size_t wl)
{
	if (a->text || b->text) {
		int eq = a->text && b->text &&
			 !strcmp(json_string_value(a->text), json_string_value(b->text));
		return !strcmp(op, "==") ? eq : !strcmp(op, "!=") ? !eq : -1;
	}
	if (a->why[0] || b->why[0]) {
		snprintf(why, wl, "%s has %s", a->why[0] ? "a" : bname, a->why[0] ? a->why : b->why);
		return CLAIM_UNDECIDED;
	}
	double blo = fmin(b->lo * factor, b->hi * factor), bhi = fmax(b->lo * factor, b->hi * factor);
	int same = a->lo == a->hi && blo == bhi && a->lo == blo;
	int apart = a->hi < blo || bhi < a->lo, all, none;	/* holds for every pair, for none */
	if (!strcmp(op, "<"))
		all = a->hi < blo, none = a->lo >= bhi;
	else if (!strcmp(op, "<="))
		all = a->hi <= blo, none = a->lo > bhi;
	else if (!strcmp(op, ">"))
		all = a->lo > bhi, none = a->hi <= blo;
	else if (!strcmp(op, ">="))
		all = a->lo >= bhi, none = a->hi < blo;
	else if (!strcmp(op, "==") || !strcmp(op, "!="))
		all = op[0] == '=' ? same : apart, none = op[0] == '=' ? apart : same;
	else
		return -1;
	if (all || none)
		return all ? CLAIM_HOLDS : CLAIM_FAILS;
	if (blo == bhi)
		snprintf(why, wl, "%s lies within a's interval", bname);
	else if (a->lo == a->hi)
		snprintf(why, wl, "a lies within %s's interval", bname);
	else
		snprintf(why, wl, "a's interval and %s's overlap", bname);
	return CLAIM_UNDECIDED;
}

/* A figure for the reader, naming what decided it when a selector picked it: the fact, or
 * the statistic, how repetitions were combined, how many were undisturbed and a median's
 * interval ("110 ns (value, median of 3 undisturbed repetitions, interval [100 ns – 120 ns]
 * 75.0%)", "6.1 ms (dist.max, largest of 3 undisturbed repetitions)"). */
static void show(const struct figure *f, json_t *sel, char *buf, size_t len)
{
	char num[64], dist[48] = "";
	if (f->text)
		snprintf(num, sizeof(num), "%s", json_string_value(f->text));
	else
		fmt_value(f->mid, f->unit ? f->unit : "", num, sizeof(num));
	const char *fact = json_string_value(json_object_get(sel, "fact")), *st = f->st;
	if (!st) {
		snprintf(buf, len, "%s%s%s%s", num, fact ? " (fact " : "", fact ? fact : "",
			 fact ? ")" : "");
		return;
	}
	const char *how = !strcmp(st, "dist.max") ? "largest" :
			  !strcmp(st, "dist.min") ? "smallest" : "median";
	size_t n = f->calm ? f->calm : f->disturbed;
	const char *s = n == 1 ? "" : "s";
	if (f->calm && f->disturbed)
		snprintf(dist, sizeof(dist), ", disturbed %zu/%zu", f->disturbed,
			 f->disturbed + f->calm);
	if (!f->calm)
		snprintf(buf, len, "%s (%s, %s of %zu repetition%s, every one disturbed)", num, st,
			 how, n, s);
	else if (strcmp(how, "median"))
		snprintf(buf, len, "%s (%s, %s of %zu undisturbed repetition%s%s)", num, st, how, n,
			 s, dist);
	else	/* the interval cell's text counts the disturbed ones itself */
		snprintf(buf, len, "%s (%s, median of %zu undisturbed repetition%s, interval %s)", num,
			 st, n, s, f->interval);
}

/* Claim c's rule: its operator into op ("<" of "a < b") and its factor (1 without one). */
static double claim_rule(json_t *c, char op[16])
{
	op[0] = '\0';
	sscanf(json_string_value(json_object_get(c, "holds_if")) ?: "", "a %15s b", op);
	return json_is_string(json_object_get(c, "factor")) ?
		       atof(json_string_value(json_object_get(c, "factor"))) : 1;
}

/* One b of claim c against a (figs gets its figure): the verdict so far, updated; the first
 * reason a b is not decided into undecided. */
static int judge_b(json_t *records, json_t *c, const struct figure *a, json_t *b,
		   const char *bname, int verdict, char *figs, size_t flen, char *why, size_t wl,
		   char *undecided, size_t ul)
{
	char rule[16], fb[320], one[320];
	double factor = claim_rule(c, rule);
	struct figure bf = { .unit = a->unit };	/* a literal b is in a's unit */
	int none, h;
	if (!pick(records, b, &bf, why, wl, &none))
		return none;
	show(&bf, b, fb, sizeof(fb));
	snprintf(figs + strlen(figs), flen - strlen(figs), "; %s = %s%s", bname, fb,
		 factor != 1 ? " (times the factor)" : "");
	h = decide(rule, a, &bf, factor, bname, one, sizeof(one));
	json_decref(bf.text);
	if (h < 0) {
		snprintf(why, wl, "the rule \"%s\" cannot compare these",
			 json_string_value(json_object_get(c, "holds_if")) ?: "");
		return CLAIM_NOT_MEASURED;
	}
	if (h == CLAIM_UNDECIDED && !undecided[0])
		snprintf(undecided, ul, "%s", one);
	/* One b that decidedly fails the rule fails the claim; one undecided leaves it open. */
	return h == CLAIM_FAILS ? CLAIM_FAILS :
	       h == CLAIM_UNDECIDED && verdict == CLAIM_HOLDS ? CLAIM_UNDECIDED : verdict;
}

int claim_judge(json_t *records, json_t *c, char *text, size_t len)
{
	char rule[16], why[1024] = "", figs[2048] = "", undecided[320] = "";
	int none, with_factor = claim_rule(c, rule) != 1;
	json_t *sa = json_object_get(c, "a");
	struct figure a = { 0 };
	json_t *bs = json_object_get(c, "b"), *b;
	if (!json_is_array(bs))
		bs = json_pack("[O]", bs);
	else
		json_incref(bs);
	int verdict = pick(records, sa, &a, why, sizeof(why), &none) ? CLAIM_HOLDS : none;
	char fa[320];
	if (verdict >= 0) {
		show(&a, sa, fa, sizeof(fa));
		snprintf(figs, sizeof(figs), "a = %s", fa);
	}
	size_t k;
	json_array_foreach(bs, k, b) {
		if (verdict < 0)
			break;
		char bname[32] = "b";
		if (json_array_size(bs) > 1)
			snprintf(bname, sizeof(bname), "b[%zu]", k + 1);
		verdict = judge_b(records, c, &a, b, bname, verdict, figs, sizeof(figs), why,
				  sizeof(why), undecided, sizeof(undecided));
	}
	char rule_txt[64];
	snprintf(rule_txt, sizeof(rule_txt), " (a %s %sb)", rule, with_factor ? "factor × " : "");
	if (verdict >= 0)
		strncat(figs, rule_txt, sizeof(figs) - strlen(figs) - 1);
	if (verdict == CLAIM_UNDECIDED)
		snprintf(figs + strlen(figs), sizeof(figs) - strlen(figs), ": %s", undecided);
	snprintf(text, len, "%s", verdict < 0 ? why : figs);
	json_decref(a.text);
	json_decref(bs);
	return verdict;
}

const char *claim_verdict_name(int verdict)
{
	return verdict == CLAIM_HOLDS ? "holds" : verdict == CLAIM_FAILS ? "does not hold" :
	       verdict == CLAIM_UNDECIDED ? "not decided" :
	       verdict == CLAIM_UNSUPPORTED ? "unsupported" : "not measured";
}

json_t *claims_interpreters(json_t *records)
{
	return distinct_strings(records, "interpreter");
}

json_t *claims_records_for(json_t *records, const char *interp)
{
	json_t *out = json_array(), *r;
	size_t i;
	json_array_foreach(records, i, r) {
		const char *in = json_string_value(json_object_get(r, "interpreter"));
		if (!in || !interp || !strcmp(in, interp))
			json_array_append(out, r);
	}
	return out;
}

void claim_cell(json_t *records, json_t *c, char *buf, size_t len)
{
	char text[2048];
	int v = claim_judge(records, c, text, sizeof(text));
	snprintf(buf, len, "%s: %s", claim_verdict_name(v), text);
}

/* "python3.11 (CPython 3.11.7)": an interpreter's name and what it said it is. */
static void interpreter_label(json_t *records, const char *in, char *buf, size_t len)
{
	json_t *r;
	size_t i;
	snprintf(buf, len, "%s", in);
	json_array_foreach(records, i, r) {
		json_t *py = json_object_get(json_object_get(r, "facts"), "python");
		if (!json_is_string(json_object_get(r, "interpreter")) ||
		    strcmp(json_string_value(json_object_get(r, "interpreter")), in) ||
		    !json_is_string(json_object_get(py, "version")))
			continue;
		snprintf(buf, len, "%s (%s %s)", in,
			 json_string_value(json_object_get(py, "implementation")) ?: "?",
			 json_string_value(json_object_get(py, "version")));
		return;
	}
}

/* One column per interpreter: each claim judged on that interpreter's records and those of
 * no interpreter (the C probes), the verdict and its figures in the cell. */
static void claims_by_interpreter(struct report_ctx *ctx, json_t *doc, json_t *interps)
{
	size_t n = json_array_size(interps), i, k;
	const char **hd = calloc(n + 1, sizeof(char *));
	char (*labels)[160] = calloc(n, sizeof(*labels));
	json_t **recs = calloc(n, sizeof(*recs)), *c;
	hd[0] = "claim";
	for (k = 0; k < n; k++) {
		const char *in = json_string_value(json_array_get(interps, k));
		interpreter_label(ctx->records, in, labels[k], sizeof(labels[k]));
		hd[k + 1] = labels[k];
		recs[k] = claims_records_for(ctx->records, in);
	}
	doc_table(ctx->doc, (int)n + 1, hd);
	char **cells = calloc(n + 1, sizeof(char *));
	json_array_foreach(json_object_get(doc, "claims"), i, c) {
		cells[0] = (char *)(json_string_value(json_object_get(c, "claim")) ?: "(no text)");
		for (k = 0; k < n; k++) {
			cells[k + 1] = malloc(2200);
			claim_cell(recs[k], c, cells[k + 1], 2200);
		}
		doc_row(ctx->doc, (const char *const *)cells);
		for (k = 0; k < n; k++)
			free(cells[k + 1]);
	}
	doc_table_end(ctx->doc);
	for (k = 0; k < n; k++)
		json_decref(recs[k]);
	free(cells);
	free(recs);
	free(labels);
	free(hd);
}

void report_claims(struct report_ctx *ctx, const char *path)
{
	char err[1024], text[2048];
	json_t *doc = yaml_load_json(path, err, sizeof(err)), *c;
	size_t i;
	doc_section(ctx->doc, "claims", "Claims checked on this platform");
	if (!doc) {
		doc_p(ctx->doc, "No claims checked: %s", err);
		return;
	}
	json_t *plat = json_object_get(ctx->meta, "platform");
	json_t *interps = claims_interpreters(ctx->records);
	doc_p(ctx->doc, "Each claim from %s, decided by this run's records on %s %s (%s)%s. Each "
			"figure says what decided it: the record's value or a statistic of its "
			"distribution, over the undisturbed repetitions (as in the tables, disturbed "
			"ones are left out and counted: \"disturbed k/n\") the median with its "
			"interval (the largest for dist.max, the smallest for dist.min), or a fact. A "
			"claim holds or does not hold only when the rule gives the same answer for "
			"every value within both sides' intervals. " CLAIM_UNDECIDED_MEANS " Add your "
			"own claims to that file.", path,
	      json_string_value(json_object_get(plat, "os")) ?: "?",
	      json_string_value(json_object_get(plat, "kernel")) ?: "?",
	      json_string_value(json_object_get(plat, "arch")) ?: "?",
	      json_array_size(interps) ? ", one column per Python interpreter (the C probes' "
					 "records count for each)" : "");
	if (json_array_size(interps)) {
		claims_by_interpreter(ctx, doc, interps);
	} else {
		static const char *const hd[] = { "claim", "verdict", "figures" };
		doc_table(ctx->doc, 3, hd);
		json_array_foreach(json_object_get(doc, "claims"), i, c) {
			int v = claim_judge(ctx->records, c, text, sizeof(text));
			const char *cells[3] = {
				json_string_value(json_object_get(c, "claim")) ?: "(no text)",
				claim_verdict_name(v), text };
			doc_row(ctx->doc, cells);
		}
		doc_table_end(ctx->doc);
	}
	json_decref(interps);
	json_decref(doc);
}
