/* entry.c - one probes[i] entry of a config, validated against the probe's own --list
 * description: the probe, its cases, transports, timeout, interpreters and parameters, each
 * message at the value's line and column.  The valid entry goes to the plan (plan/plan.c). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config/loader.h"
#include "common/suggest.h"
#include "plan/plan.h"

/* The names in an array of {"name":...} objects, NULL-terminated, into out (max entries). */
static void names_of(json_t *array, const char **out, int max)
{
	size_t i;
	json_t *v;
	int n = 0;
	json_array_foreach(array, i, v) {
		if (n < max - 1)
			out[n++] = json_string_value(json_object_get(v, "name"));
	}
	out[n] = NULL;
}



static const char *const entry_keys[] = { "probe", "cases", "transports", "timeout", "params",
					  "interpreters", NULL };

/* An interpreter is named, never given as a path or with options: python3, python3.11,
 * pypy3.  The runner finds it on PATH when the case runs. */
static int interpreter_name_ok(const char *s)
{
	if (strncmp(s, "python", 6) == 0)
		s += 6;
	else if (strncmp(s, "pypy", 4) == 0)
		s += 4;
	else
		return 0;
	for (; *s; s++)
		if (!((*s >= '0' && *s <= '9') || *s == '.'))
			return 0;
	return 1;
}

/* Is the probe a script (its file starts with "#!")?  Only those take interpreters. */
static int probe_is_script(const struct probe_info *p)
{
	char head[2] = { 0 };
	FILE *f = fopen(p->path, "rb");
	if (f) {
		if (fread(head, 1, 2, f) != 2)
			head[0] = 0;
		fclose(f);
	}
	return head[0] == '#' && head[1] == '!';
}

/* The same value twice in a list (64 and 64B are one size) would plan the same case twice,
 * which a case listed twice is refused for: refuse it the same way, at the second one. */
static int refuse_repeated_values(struct loader *L, struct entry *E, int k, const char *pkey)
{
	json_t *jp = NULL;
	for (int c = 0; c < E->ncases && !jp; c++)
		jp = case_find_param(E->cases[c], E->keys[k]);
	char *canon[MAX_LIST] = { 0 }, e[256];
	int n = E->nvals[k], rc = 0;
	for (int v = 0; jp && v < n && rc == 0; v++) {
		json_t *cj = NULL;
		if (param_canonical(jp, scalar(E->vals[k][v]), &canon[v], &cj, e, sizeof(e)) < 0)
			break;
		json_decref(cj);
		for (int w = 0; w < v && rc == 0; w++)
			if (!strcmp(canon[v], canon[w]))
				rc = load_fail(L, E->vals[k][v], pkey, "\"%s\" listed twice (the same "
					  "value as \"%s\")", scalar(E->vals[k][v]),
					  scalar(E->vals[k][w]));
	}
	for (int v = 0; v < n; v++)
		free(canon[v]);
	return rc;
}

/* probes[i].probe: a probe this runner was built with. */
static int entry_probe(struct loader *L, struct entry *E, yaml_node_t *en)
{
	char key[160], e[1024];
	yaml_node_t *pn = load_lookup(L, en, "probe");
	snprintf(key, sizeof(key), "%s.probe", E->where);
	if (!pn)
		return load_fail(L, en, key, "missing; name the probe to run (see ipcprobe list)");
	if (!scalar(pn))
		return load_fail(L, pn, key, "expected a probe name, got %s", node_kind(pn));
	E->probe = probes_get(scalar(pn), e, sizeof(e));
	if (!E->probe && probes_env_failure()) {	/* not the config's fault: no line */
		L->fatal = 1;
		return load_note(L, "%s: cannot check the config here: %s", L->path, e);
	}
	if (!E->probe)
		return load_fail(L, pn, key, "%s", e);
	return 0;
}

/* probes[i].cases: the probe's cases named, each once; all of them when absent. */
static int entry_cases(struct loader *L, struct entry *E, yaml_node_t *en)
{
	char key[160], list[512], dym[128];
	json_t *all_cases = json_object_get(E->probe->list, "cases");
	const char *case_names[MAX_LIST + 1];
	names_of(all_cases, case_names, MAX_LIST + 1);
	yaml_node_t *cn = load_lookup(L, en, "cases"), *items[MAX_LIST];
	snprintf(key, sizeof(key), "%s.cases", E->where);
	if (!cn) {
		for (size_t k = 0; k < json_array_size(all_cases) && k < MAX_LIST; k++)
			E->cases[E->ncases++] = json_array_get(all_cases, k);
		return 0;
	}
	int n = load_scalars(L, cn, key, items, MAX_LIST), rc = n < 0 ? -1 : 0;
	for (int k = 0; k < n; k++) {
		json_t *c = probe_find_case(E->probe, scalar(items[k]));
		int j = 0;
		while (c && j < E->ncases && E->cases[j] != c)
			j++;
		if (!c)
			rc = load_fail(L, items[k], key, "probe %s has no case \"%s\"%s (cases: %s)",
				       E->probe->name, scalar(items[k]),
				       did_you_mean(scalar(items[k]), case_names, dym, sizeof(dym)),
				       join_names(case_names, list, sizeof(list)));
		else if (j < E->ncases)
			rc = load_fail(L, items[k], key, "case \"%s\" listed twice", scalar(items[k]));
		else
			E->cases[E->ncases++] = c;
	}
	return rc;
}

/* probes[i].transports: each run by at least one selected case. */
static int entry_transports(struct loader *L, struct entry *E, yaml_node_t *en)
{
	char key[160], list[512], dym[128];
	yaml_node_t *tn = load_lookup(L, en, "transports");
	snprintf(key, sizeof(key), "%s.transports", E->where);
	if (!tn)
		return 0;
	E->ntrs = load_scalars(L, tn, key, E->trs, MAX_LIST);
	if (E->ntrs < 0)
		return E->ntrs = 0, -1;
	const char *offered[MAX_LIST * 4] = { NULL };
	int no = 0;
	for (int c = 0; c < E->ncases; c++) {
		json_t *t;
		size_t ti;
		json_array_foreach(json_object_get(E->cases[c], "transports"), ti, t)
			add_name(offered, &no, MAX_LIST * 4, json_string_value(t));
	}
	int rc = 0;
	for (int k = 0; k < E->ntrs; k++) {
		const char *tr = scalar(E->trs[k]);
		int any = 0;
		for (int q = 0; q < no; q++)
			any |= strcmp(offered[q], tr) == 0;
		if (any)
			continue;
		if (no == 0)
			return load_fail(L, E->trs[k], key, "the selected cases of %s take no transport",
					 E->probe->name);
		rc = load_fail(L, E->trs[k], key, "transport \"%s\" is not run by the selected cases%s "
			       "(they run on: %s)", tr, did_you_mean(tr, offered, dym, sizeof(dym)),
			       join_names(offered, list, sizeof(list)));
	}
	return rc;
}

/* probes[i].interpreters: only for a script probe, each an interpreter's name. */
static int entry_interpreters(struct loader *L, struct entry *E, yaml_node_t *en)
{
	char key[160];
	yaml_node_t *in = load_lookup(L, en, "interpreters");
	snprintf(key, sizeof(key), "%s.interpreters", E->where);
	if (!in)
		return 0;
	if (!probe_is_script(E->probe))
		return load_fail(L, in, key, "probe %s is a compiled program; only script probes "
					     "(python) take interpreters", E->probe->name);
	E->ninterps = load_scalars(L, in, key, E->interps, MAX_LIST);
	if (E->ninterps < 0)
		return E->ninterps = 0, -1;
	int rc = 0;
	for (int k = 0; k < E->ninterps; k++)
		if (!interpreter_name_ok(scalar(E->interps[k])))
			rc = load_fail(L, E->interps[k], key, "expected an interpreter's name (python3, "
				       "python3.11, pypy3), got \"%s\"", scalar(E->interps[k]));
	return rc;
}

/* Is pname a parameter of a selected case?  If not, say so, with those there are. */
static int param_known(struct loader *L, struct entry *E, yaml_node_t *at, const char *pname,
		       const char *pkey)
{
	const char *known[MAX_LIST * 4] = { NULL };
	char list[512], dym[128];
	int nk = 0, any = 0;
	for (int c = 0; c < E->ncases; c++) {
		json_t *q;
		size_t qi;
		any |= case_find_param(E->cases[c], pname) != NULL;
		json_array_foreach(json_object_get(E->cases[c], "params"), qi, q)
			add_name(known, &nk, MAX_LIST * 4, json_string_value(json_object_get(q, "name")));
	}
	if (any)
		return 0;
	return load_fail(L, at, pkey, "no selected case of %s has this parameter%s (parameters: %s)",
			 E->probe->name, did_you_mean(pname, known, dym, sizeof(dym)),
			 nk ? join_names(known, list, sizeof(list)) : "none");
}

/* Check every value of parameter k now against every selected case that has it, so the error
 * points at the value, whichever combination would meet it first. */
static int param_values_valid(struct loader *L, struct entry *E, int k, const char *pkey)
{
	char e[1024];
	int rc = 0;
	for (int v = 0; v < E->nvals[k]; v++) {
		for (int c = 0; c < E->ncases; c++) {
			json_t *jp = case_find_param(E->cases[c], E->keys[k]), *cj;
			char *ct;
			if (!jp)
				continue;
			if (param_canonical(jp, scalar(E->vals[k][v]), &ct, &cj, e, sizeof(e)) < 0) {
				rc = load_fail(L, E->vals[k][v], pkey, "%s", e);
				break;	/* the next value: this one is said */
			}
			free(ct);
			json_decref(cj);
		}
	}
	return rc;
}

/* probes[i].params: each a parameter of a selected case, each value valid, none twice. */
static int entry_params(struct loader *L, struct entry *E, yaml_node_t *en)
{
	char key[160];
	yaml_node_t *params = load_lookup(L, en, "params");
	snprintf(key, sizeof(key), "%s.params", E->where);
	if (!params)
		return 0;
	if (params->type != YAML_MAPPING_NODE)
		return load_fail(L, params, key, "expected a mapping of parameter: value, got %s",
				 node_kind(params));
	if (load_check_mapping(L, params, key, NULL) < 0)
		return -1;
	int rc = 0;
	for (yaml_node_pair_t *p = params->data.mapping.pairs.start;
	     p < params->data.mapping.pairs.top; p++) {	/* each said, each on its own */
		const char *pname = scalar(load_node(L, p->key));
		char pkey[256];
		snprintf(pkey, sizeof(pkey), "%s.%s", key, pname);
		if (E->nkeys >= MAX_KEYS)
			return load_fail(L, load_node(L, p->key), pkey, "more than %d parameters",
					 MAX_KEYS);
		if (param_known(L, E, load_node(L, p->key), pname, pkey) < 0) {
			rc = -1;
			continue;
		}
		E->keys[E->nkeys] = pname;
		E->nvals[E->nkeys] = load_scalars(L, load_node(L, p->value), pkey, E->vals[E->nkeys],
						  MAX_LIST);
		if (E->nvals[E->nkeys] < 0 || param_values_valid(L, E, E->nkeys, pkey) < 0 ||
		    refuse_repeated_values(L, E, E->nkeys, pkey) < 0)
			rc = -1;
		else
			E->nkeys++;
	}
	return rc;
}

/* Does a selected case of E have parameter pname? */
static int entry_has_param(const struct entry *E, const char *pname)
{
	for (int c = 0; c < E->ncases; c++)
		if (case_find_param(E->cases[c], pname))
			return 1;
	return 0;
}

/* The --param overrides (override.c) in place of the YAML's values, in every entry whose
 * selected cases have the parameter; checked as the YAML's are. */
static int entry_overrides(struct loader *L, struct entry *E)
{
	int rc = 0;
	for (int o = 0; o < L->novr; o++) {
		struct param_override *ov = &L->ovr[o];
		char pkey[256];
		if (!entry_has_param(E, ov->key))
			continue;
		if (ov->refused) {	/* said at the entry that first took it */
			ov->used++;
			continue;
		}
		int k = 0;
		while (k < E->nkeys && strcmp(E->keys[k], ov->key))
			k++;
		snprintf(pkey, sizeof(pkey), "%s.params.%s", E->where, ov->key);
		if (k == MAX_KEYS)
			return load_fail(L, &ov->vals[0], pkey, "more than %d parameters", MAX_KEYS);
		E->keys[k] = ov->key;
		E->nvals[k] = ov->nvals;
		for (int v = 0; v < ov->nvals; v++)
			E->vals[k][v] = &ov->vals[v];
		if (param_values_valid(L, E, k, pkey) < 0 || refuse_repeated_values(L, E, k, pkey) < 0) {
			ov->refused = 1;
			rc = -1;
		}
		E->nkeys += k == E->nkeys;
		ov->used++;
	}
	return rc;
}

/* The checked entry handed to the plan (plan/plan.c); its error pointed at its node. */
static int expand(struct loader *L, const struct entry *E)
{
	struct plan_entry in = { .probe = E->probe, .ncases = E->ncases, .ntrs = E->ntrs,
				 .ninterps = E->ninterps, .timeout_ns = E->timeout_ns,
				 .nkeys = E->nkeys, .where = E->where };
	for (int c = 0; c < E->ncases; c++)
		in.cases[c] = E->cases[c];
	for (int k = 0; k < E->ntrs; k++)
		in.trs[k] = scalar(E->trs[k]);
	for (int k = 0; k < E->ninterps; k++)
		in.interps[k] = scalar(E->interps[k]);
	for (int k = 0; k < E->nkeys; k++) {
		in.keys[k] = E->keys[k];
		in.nvals[k] = E->nvals[k];
		for (int v = 0; v < E->nvals[k]; v++) {
			in.vals[k][v] = scalar(E->vals[k][v]);
			in.val_at[k][v] = E->vals[k][v];
		}
	}
	struct plan P = { .cases = L->cfg->cases, .ncases = L->cfg->ncases, .cap = L->cap };
	struct plan_error err;
	int rc = plan_expand(&P, &in, &err);
	L->cfg->cases = P.cases;
	L->cfg->ncases = P.ncases;
	L->cap = P.cap;
	if (rc < 0)
		return load_fail(L, err.at, err.key, "%s", err.msg);
	return 0;
}

/* A case this entry plans that an earlier entry planned too would run twice under one label,
 * its records pooled as if they were more repetitions: refused, naming both entries.  (Cases
 * that --param overrides make identical are merged instead: override.c.) */
static int refuse_planned_twice(struct loader *L, const struct entry *E, yaml_node_t *en,
				size_t first)
{
	if (L->novr)
		return 0;
	if (!L->planned)
		L->planned = json_object();
	for (size_t i = first; i < L->cfg->ncases; i++) {
		char *id = plan_case_identity(&L->cfg->cases[i]);
		json_t *by = json_object_get(L->planned, id);
		if (by) {
			free(id);
			return load_fail(L, en, E->where, "plans %s, which %s plans too: a case runs "
					 "once per repetition (raise repetitions to measure it more)",
					 L->cfg->cases[i].label, json_string_value(by));
		}
		json_object_set_new(L->planned, id, json_string(E->where));
		free(id);
	}
	return 0;
}

int load_entry(struct loader *L, yaml_node_t *en, int i, int64_t timeout_ns)
{
	struct entry E;
	int before = L->nerr;
	memset(&E, 0, sizeof(E));
	E.timeout_ns = timeout_ns;
	snprintf(E.where, sizeof(E.where), "probes[%d]", i);
	if (en->type != YAML_MAPPING_NODE)
		return load_fail(L, en, E.where, "expected a mapping with a probe key, got %s",
				 node_kind(en));
	load_check_mapping(L, en, E.where, entry_keys);
	/* The cases depend on the probe, and the transports and parameters on the cases: a
	 * wrong one ends the entry.  The rest is checked whatever the others had. */
	if (entry_probe(L, &E, en) < 0 || entry_cases(L, &E, en) < 0)
		return -1;
	entry_transports(L, &E, en);
	yaml_node_t *ton = load_lookup(L, en, "timeout");
	char key[160];
	snprintf(key, sizeof(key), "%s.timeout", E.where);
	if (ton && load_timeout(L, ton, key, &E.timeout_ns) < 0)
		E.timeout_ns = timeout_ns;
	entry_interpreters(L, &E, en);
	entry_params(L, &E, en);
	entry_overrides(L, &E);
	if (L->nerr > before)
		return -1;
	size_t first = L->cfg->ncases;
	return expand(L, &E) < 0 ? -1 : refuse_planned_twice(L, &E, en, first);
}
