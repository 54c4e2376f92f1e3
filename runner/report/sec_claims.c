/* report_claims.c - "Claims checked on this platform": each statement of configs/claims.yaml
 * decided by the records of this run and its rule; see that file for the format. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config/config.h"
#include "param.h"
#include "common/vocab.h"
#include "report/charts.h"
#include "report/claims.h"
#include "report/doc.h"
#include "report/lookup.h"
#include "report/section.h"
#include "common/util.h"

enum { CLAIM_UNSUPPORTED = -2, CLAIM_NOT_MEASURED = -1, CLAIM_FAILS = 0, CLAIM_HOLDS = 1 };

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

/* The statistic st of hits over repetitions: the largest dist.max and the smallest dist.min
 * (a claim about "never" or "always" is about the extreme of them all), else the median. */
static double over_repetitions(json_t *hits, const char *st)
{
	json_t *vals = json_array(), *r;
	size_t i;
	double ext = NAN;
	int is_max = !strcmp(st, "dist.max"), is_min = !strcmp(st, "dist.min");
	json_array_foreach(hits, i, r) {
		json_t *v = !strcmp(st, "value") ? json_object_get(r, "value") :
			    json_object_get(json_object_get(r, "dist"), st + 5);
		if (!json_is_number(v))
			continue;
		double x = json_number_value(v);
		if ((is_max && !(x <= ext)) || (is_min && !(x >= ext)))
			ext = x;
		json_array_append_new(vals, json_pack("{s:O}", "value", v));
	}
	double m = is_max || is_min ? ext : report_median(vals);
	json_decref(vals);
	return m;
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

/* The figure a selector picks: a number (a statistic over repetitions, see
 * over_repetitions) or a string (a fact).  NULL with why, and *none the verdict, when it
 * picks nothing or more than one combination of parameters. */
static json_t *pick(json_t *records, json_t *sel, const char **unit, char *why, size_t wl,
		    int *none)
{
	*none = CLAIM_NOT_MEASURED;
	if (json_is_string(sel)) {	/* a literal: a number, or text */
		char *end;
		double d = strtod(json_string_value(sel), &end);
		return *end ? json_incref(sel) : json_real(d);
	}
	const char *st = stat_key(sel);
	if (!st) {
		snprintf(why, wl, "stat: expected value or dist.<n|min|p50|p90|p99|p999|max|mean|"
				  "stddev>, got \"%s\"",
			 json_string_value(json_object_get(sel, "stat")) ?: "?");
		return NULL;
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
	int combos = (int)json_object_size(seen);
	json_decref(seen);
	json_t *out = NULL;
	if (json_array_size(hits) == 0)
		*none = why_none(records, sel, why, wl);
	else if (combos > 1)
		snprintf(why, wl, "the selector matches %d combinations of parameters; name more", combos);
	else if (json_is_string(json_object_get(sel, "fact")))
		out = json_incref(fact_at(json_object_get(json_array_get(hits, 0), "facts"),
					  json_string_value(json_object_get(sel, "fact"))));
	else {
		double v = over_repetitions(hits, st);
		out = isnan(v) ? NULL : json_real(v);
		*unit = json_string_value(json_object_get(json_array_get(hits, 0), "unit"));
		if (!out)
			snprintf(why, wl, "the records have no %s", st);
	}
	if (!out && !why[0])
		snprintf(why, wl, "the fact is not in the records");
	json_decref(hits);
	return out;
}

static int holds(const char *op, json_t *a, json_t *b, double factor)
{
	if (json_is_string(a) || json_is_string(b)) {
		int eq = json_is_string(a) && json_is_string(b) &&
			 !strcmp(json_string_value(a), json_string_value(b));
		return !strcmp(op, "==") ? eq : !strcmp(op, "!=") ? !eq : -1;
	}
	double x = json_number_value(a), y = json_number_value(b) * factor;
	if (!strcmp(op, "<")) return x < y;
	if (!strcmp(op, "<=")) return x <= y;
	if (!strcmp(op, ">")) return x > y;
	if (!strcmp(op, ">=")) return x >= y;
	if (!strcmp(op, "==")) return x == y;
	if (!strcmp(op, "!=")) return x != y;
	return -1;
}

/* A figure for the reader, naming what decided it when a selector picked it: the fact, or
 * the statistic and how repetitions were combined ("6.1 ms (dist.max, largest of 3 runs)"). */
static void show(json_t *v, const char *unit, json_t *sel, json_t *records, char *buf,
		 size_t len)
{
	char num[64];
	if (json_is_string(v))
		snprintf(num, sizeof(num), "%s", json_string_value(v));
	else
		fmt_value(json_number_value(v), unit ? unit : "", num, sizeof(num));
	if (!json_is_object(sel)) {
		snprintf(buf, len, "%s", num);
		return;
	}
	const char *fact = json_string_value(json_object_get(sel, "fact"));
	const char *st = stat_key(sel);
	size_t reps = 0, i;
	json_t *r;
	json_array_foreach(records, i, r)
		reps += selects(r, sel) &&
			!strcmp(json_string_value(json_object_get(r, "status")) ?: "", "ok");
	const char *how = !strcmp(st, "dist.max") ? "largest" :
			  !strcmp(st, "dist.min") ? "smallest" : "median";
	if (fact)
		snprintf(buf, len, "%s (fact %s)", num, fact);
	else
		snprintf(buf, len, "%s (%s, %s of %zu repetition%s)", num, st, how, reps,
			 reps == 1 ? "" : "s");
}

int claim_judge(json_t *records, json_t *c, char *text, size_t len)
{
	char rule[16] = "", why[1024] = "", figs[2048] = "";
	const char *unit = NULL;
	int none;
	sscanf(json_string_value(json_object_get(c, "holds_if")) ?: "", "a %15s b", rule);
	double factor = json_is_string(json_object_get(c, "factor")) ?
				atof(json_string_value(json_object_get(c, "factor"))) : 1;
	json_t *sa = json_object_get(c, "a");
	json_t *a = pick(records, sa, &unit, why, sizeof(why), &none);
	json_t *bs = json_object_get(c, "b"), *b;
	if (!json_is_array(bs))
		bs = json_pack("[O]", bs);
	else
		json_incref(bs);
	int verdict = a ? CLAIM_HOLDS : none;
	char fa[256];
	if (a) {
		show(a, unit, sa, records, fa, sizeof(fa));
		snprintf(figs, sizeof(figs), "a = %s", fa);
	}
	size_t k;
	json_array_foreach(bs, k, b) {
		if (verdict < 0)
			break;
		const char *bu = unit;
		json_t *bv = pick(records, b, &bu, why, sizeof(why), &none);
		if (!bv) {
			verdict = none;
			break;
		}
		char fb[256];
		show(bv, bu, b, records, fb, sizeof(fb));
		snprintf(figs + strlen(figs), sizeof(figs) - strlen(figs), "; b%s = %s%s",
			 json_array_size(bs) > 1 ? "[i]" : "", fb,
			 factor != 1 ? " (times the factor)" : "");
		int h = holds(rule, a, bv, factor);
		json_decref(bv);
		if (h < 0) {
			snprintf(why, sizeof(why), "the rule \"%s\" cannot compare these",
				 json_string_value(json_object_get(c, "holds_if")) ?: "");
			verdict = CLAIM_NOT_MEASURED;
		} else if (!h) {
			verdict = CLAIM_FAILS;
		}
	}
	char rule_txt[64];
	snprintf(rule_txt, sizeof(rule_txt), " (a %s %sb)", rule, factor != 1 ? "factor × " : "");
	if (verdict >= 0)
		strncat(figs, rule_txt, sizeof(figs) - strlen(figs) - 1);
	snprintf(text, len, "%s", verdict < 0 ? why : figs);
	json_decref(a);
	json_decref(bs);
	return verdict;
}

const char *claim_verdict_name(int verdict)
{
	return verdict == CLAIM_HOLDS ? "holds" : verdict == CLAIM_FAILS ? "does not hold" :
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
			"distribution, over repetitions the median (the largest for dist.max, the "
			"smallest for dist.min), or a fact. Add your own claims to that file.", path,
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
