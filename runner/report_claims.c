/* report_claims.c - "Claims checked on this platform": each statement of configs/claims.yaml
 * decided by the records of this run and its rule; see that file for the format. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "param.h"
#include "report.h"
#include "util.h"

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

/* The figure a selector picks: a number (median over repetitions) or a string (a fact).
 * NULL with why when it picks nothing or more than one combination of parameters. */
static json_t *pick(json_t *records, json_t *sel, const char **unit, char *why, size_t wl)
{
	if (json_is_string(sel)) {	/* a literal: a number, or text */
		char *end;
		double d = strtod(json_string_value(sel), &end);
		return *end ? json_incref(sel) : json_real(d);
	}
	json_t *hits = json_array(), *seen = json_object(), *r;
	size_t i;
	json_array_foreach(records, i, r) {
		if (!str_eq(r, "probe", sel) || !str_eq(r, "case", sel) || !str_eq(r, "metric", sel) ||
		    !str_eq(r, "transport", sel) || strcmp(json_string_value(json_object_get(r, "status")), "ok"))
			continue;
		json_t *want = json_object_get(sel, "params"), *v;
		const char *k;
		int ok = 1;
		json_object_foreach(want, k, v)
			ok &= param_matches(json_object_get(json_object_get(r, "params"), k),
					    json_string_value(v) ?: "");
		if (!ok)
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
		snprintf(why, wl, "no ok record of %s/%s %s", json_string_value(json_object_get(sel, "probe")) ?: "?",
			 json_string_value(json_object_get(sel, "case")) ?: "?",
			 json_string_value(json_object_get(sel, "metric")) ?: "?");
	else if (combos > 1)
		snprintf(why, wl, "the selector matches %d combinations of parameters; name more", combos);
	else if (json_is_string(json_object_get(sel, "fact")))
		out = json_incref(fact_at(json_object_get(json_array_get(hits, 0), "facts"),
					  json_string_value(json_object_get(sel, "fact"))));
	else {
		out = json_real(report_median(hits));
		*unit = json_string_value(json_object_get(json_array_get(hits, 0), "unit"));
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

static void show(json_t *v, const char *unit, char *buf, size_t len)
{
	if (json_is_string(v))
		snprintf(buf, len, "%s", json_string_value(v));
	else
		report_fmt(json_number_value(v), unit ? unit : "", buf, len);
}

int claim_judge(json_t *records, json_t *c, char *text, size_t len)
{
	char rule[16] = "", why[512] = "", figs[1024] = "";
	const char *unit = NULL;
	sscanf(json_string_value(json_object_get(c, "holds_if")) ?: "", "a %15s b", rule);
	double factor = json_is_string(json_object_get(c, "factor")) ?
				atof(json_string_value(json_object_get(c, "factor"))) : 1;
	json_t *a = pick(records, json_object_get(c, "a"), &unit, why, sizeof(why));
	json_t *bs = json_object_get(c, "b"), *b;
	if (!json_is_array(bs))
		bs = json_pack("[O]", bs);
	else
		json_incref(bs);
	int verdict = a ? 1 : -1;
	char fa[96];
	if (a) {
		show(a, unit, fa, sizeof(fa));
		snprintf(figs, sizeof(figs), "a = %s", fa);
	}
	size_t k;
	json_array_foreach(bs, k, b) {
		if (verdict < 0)
			break;
		const char *bu = unit;
		json_t *bv = pick(records, b, &bu, why, sizeof(why));
		if (!bv) {
			verdict = -1;
			break;
		}
		char fb[96];
		show(bv, bu, fb, sizeof(fb));
		snprintf(figs + strlen(figs), sizeof(figs) - strlen(figs), "; b%s = %s%s",
			 json_array_size(bs) > 1 ? "[i]" : "", fb,
			 factor != 1 ? " (times the factor)" : "");
		int h = holds(rule, a, bv, factor);
		json_decref(bv);
		if (h < 0) {
			snprintf(why, sizeof(why), "the rule \"%s\" cannot compare these",
				 json_string_value(json_object_get(c, "holds_if")) ?: "");
			verdict = -1;
		} else if (!h) {
			verdict = 0;
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
	return verdict > 0 ? "holds" : verdict == 0 ? "does not hold" : "not measured";
}

void report_claims(struct report_ctx *ctx, const char *path)
{
	char err[1024], text[1024];
	json_t *doc = yaml_load_json(path, err, sizeof(err)), *c;
	size_t i;
	if (!doc) {
		doc_p(ctx->doc, "No claims checked: %s", err);
		return;
	}
	json_t *plat = json_object_get(ctx->meta, "platform");
	doc_h2(ctx->doc, "Claims checked on this platform");
	doc_p(ctx->doc, "Each claim from %s, decided by this run's records on %s %s (%s). Add your "
			"own to that file.", path, json_string_value(json_object_get(plat, "os")) ?: "?",
	      json_string_value(json_object_get(plat, "kernel")) ?: "?",
	      json_string_value(json_object_get(plat, "arch")) ?: "?");
	static const char *const hd[] = { "claim", "verdict", "figures" };
	doc_table(ctx->doc, 3, hd);
	json_array_foreach(json_object_get(doc, "claims"), i, c) {
		int v = claim_judge(ctx->records, c, text, sizeof(text));
		const char *cells[3] = { json_string_value(json_object_get(c, "claim")) ?: "(no text)",
					 claim_verdict_name(v), text };
		doc_row(ctx->doc, cells);
	}
	doc_table_end(ctx->doc);
	json_decref(doc);
}
