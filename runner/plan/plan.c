/* plan.c - a validated config entry expanded into case runs (plan.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/util.h"
#include "plan/plan.h"

static struct plan_case *plan_add(struct plan *P)
{
	if (P->ncases == P->cap) {
		P->cap = P->cap ? P->cap * 2 : 64;
		struct plan_case *n = realloc(P->cases, P->cap * sizeof(*n));
		if (!n)
			abort();
		P->cases = n;
	}
	struct plan_case *pc = &P->cases[P->ncases++];
	memset(pc, 0, sizeof(*pc));
	return pc;
}

/* Over PLAN_MAX_CASES: the error points at the longest list of the entry that went over. */
static int too_many_cases(const struct plan_entry *E, struct plan_error *err)
{
	int best = -1;
	for (int k = 0; k < E->nkeys; k++)
		if (best < 0 || E->nvals[k] > E->nvals[best])
			best = k;
	err->at = best >= 0 ? E->val_at[best][0] : NULL;
	snprintf(err->key, sizeof(err->key), "%s", E->where);
	snprintf(err->msg, sizeof(err->msg), "the config expands to more than %d cases (here with "
		 "the %d values of %s); make the lists shorter", PLAN_MAX_CASES,
		 best >= 0 ? E->nvals[best] : 0, best >= 0 ? E->keys[best] : "-");
	return -1;
}

/* A new case run of case cas on transport, without its parameters yet. */
static struct plan_case *new_case(struct plan *P, const struct plan_entry *E, json_t *cas,
				  const char *transport)
{
	json_t *m0 = json_array_get(json_object_get(cas, "metrics"), 0);
	struct plan_case *pc = plan_add(P);
	pc->probe = E->probe;
	pc->case_name = xstrdup(json_string_value(json_object_get(cas, "name")));
	pc->transport = transport ? xstrdup(transport) : NULL;
	pc->timeout_ns = E->timeout_ns;
	pc->metric = json_string_value(json_object_get(m0, "name"));
	pc->unit = json_string_value(json_object_get(m0, "unit"));
	pc->direction = json_string_value(json_object_get(m0, "direction"));
	pc->params = calloc(PLAN_MAX_KEYS, sizeof(*pc->params));
	if (!pc->params)
		abort();
	pc->params_json = json_object();
	return pc;
}

/* Every parameter the case has goes into params_json, as the probe will echo it: the given
 * value (combination idx of the entry's lists; has[k]: the case has list k), else the
 * default.  Given ones are also passed (pc->params) and named in the label. */
static int set_params(const struct plan_entry *E, json_t *cas, const int *idx, const int *has,
		      struct plan_case *pc, char *label, size_t len, struct plan_error *err)
{
	json_t *jp;
	size_t i;
	json_array_foreach(json_object_get(cas, "params"), i, jp) {
		const char *pname = json_string_value(json_object_get(jp, "name"));
		const char *text = json_string_value(json_object_get(jp, "default"));
		int given = -1;
		for (int k = 0; k < E->nkeys; k++)
			if (has[k] && strcmp(E->keys[k], pname) == 0)
				given = k;
		if (given >= 0)
			text = E->vals[given][idx[given]];
		char *ctext;
		json_t *cj;
		if (param_canonical(jp, text ? text : "", &ctext, &cj, err->msg, sizeof(err->msg)) < 0) {
			err->at = given >= 0 ? E->val_at[given][idx[given]] : NULL;
			snprintf(err->key, sizeof(err->key), "%s.params.%s", E->where, pname);
			return -1;
		}
		json_object_set_new(pc->params_json, pname, cj);
		if (given < 0) {
			free(ctext);
			continue;
		}
		pc->params[pc->nparams].key = xstrdup(pname);
		pc->params[pc->nparams].text = ctext;
		pc->nparams++;
		snprintf(label + strlen(label), len - strlen(label), " %s=%s", pname, text);
	}
	return 0;
}

/* The next combination of the lists the case has: the last turns fastest.  0 when done. */
static int next_combination(const struct plan_entry *E, const int *has, int *idx)
{
	for (int k = E->nkeys - 1; k >= 0; k--) {
		if (has[k] && ++idx[k] < E->nvals[k])
			return 1;
		idx[k] = 0;
	}
	return 0;
}

/* One case over one transport (or none) and one interpreter (or none), for every combination
 * of its list-valued parameters. */
static int expand_one(struct plan *P, const struct plan_entry *E, json_t *cas,
		      const char *transport, const char *interp, struct plan_error *err)
{
	int idx[PLAN_MAX_KEYS] = { 0 }, has[PLAN_MAX_KEYS];
	for (int k = 0; k < E->nkeys; k++)
		has[k] = case_find_param(cas, E->keys[k]) != NULL;
	do {
		if (P->ncases >= PLAN_MAX_CASES)
			return too_many_cases(E, err);
		struct plan_case *pc = new_case(P, E, cas, transport);
		char label[1024];
		snprintf(label, sizeof(label), "%s/%s%s%s", E->probe->name, pc->case_name,
			 transport ? " " : "", transport ? transport : "");
		if (set_params(E, cas, idx, has, pc, label, sizeof(label), err) < 0)
			return -1;
		if (interp) {
			pc->interpreter = xstrdup(interp);
			snprintf(label + strlen(label), sizeof(label) - strlen(label), " [%s]", interp);
		}
		pc->label = xstrdup(label);
	} while (next_combination(E, has, idx));
	return 0;
}

/* One case over one transport, for each interpreter the entry names (or none). */
static int expand_case(struct plan *P, const struct plan_entry *E, json_t *cas,
		       const char *transport, struct plan_error *err)
{
	if (E->ninterps == 0)
		return expand_one(P, E, cas, transport, NULL, err);
	for (int k = 0; k < E->ninterps; k++)
		if (expand_one(P, E, cas, transport, E->interps[k], err) < 0)
			return -1;
	return 0;
}

int plan_expand(struct plan *P, const struct plan_entry *E, struct plan_error *err)
{
	for (int c = 0; c < E->ncases; c++) {
		json_t *trs = json_object_get(E->cases[c], "transports"), *t;
		size_t ti;
		if (json_array_size(trs) == 0) {
			if (E->ntrs == 0 && expand_case(P, E, E->cases[c], NULL, err) < 0)
				return -1;
			continue;
		}
		json_array_foreach(trs, ti, t) {
			int want = E->ntrs == 0;
			for (int k = 0; k < E->ntrs; k++)
				want |= strcmp(E->trs[k], json_string_value(t)) == 0;
			if (want && expand_case(P, E, E->cases[c], json_string_value(t), err) < 0)
				return -1;
		}
	}
	return 0;
}

char *plan_case_identity(const struct plan_case *pc)
{
	char *params = json_dumps(pc->params_json, JSON_COMPACT | JSON_SORT_KEYS);
	char *id = xasprintf("%s/%s %s [%s] %s", pc->probe->name, pc->case_name,
			     pc->transport ? pc->transport : "-",
			     pc->interpreter ? pc->interpreter : "-", params ? params : "{}");
	free(params);
	return id;
}

void plan_case_free(struct plan_case *pc)
{
	free(pc->case_name);
	free(pc->transport);
	for (size_t k = 0; k < pc->nparams; k++) {
		free(pc->params[k].key);
		free(pc->params[k].text);
	}
	free(pc->params);
	json_decref(pc->params_json);
	free(pc->label);
	free(pc->interpreter);
}
