/* config.c - load, validate and expand a YAML run configuration; see config.h.
 *
 * libyaml's document API gives every node its position, so every message can name
 * file:line:column.  The walker knows the config's fixed shape (top level, probe entries,
 * params) and checks each value against the probes' own --list descriptions.
 */
#include "config/config.h"

#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

#include "param.h"
#include "common/util.h"

#define DEFAULT_TIMEOUT_NS (60LL * 1000000000)
#define MAX_PLAN 100000
#define MAX_DEPTH 32
#define MAX_CONFIG_BYTES (1024 * 1024)

struct loader {
	const char *path;
	yaml_document_t doc;
	char *err;
	size_t errlen;
	struct config *cfg;
	size_t cap;
};

/* Record the one error: "FILE:LINE:COL: KEY: message".  Always returns -1. */
static int fail(struct loader *L, const yaml_node_t *at, const char *key, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
static int fail(struct loader *L, const yaml_node_t *at, const char *key, const char *fmt, ...)
{
	char msg[1024];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	snprintf(L->err, L->errlen, "%s:%zu:%zu: %s: %s", L->path,
		 at ? at->start_mark.line + 1 : 1, at ? at->start_mark.column + 1 : 1, key, msg);
	return -1;
}

static yaml_node_t *node(struct loader *L, int id)
{
	return yaml_document_get_node(&L->doc, id);
}

static const char *scalar(const yaml_node_t *n)
{
	return n && n->type == YAML_SCALAR_NODE ? (const char *)n->data.scalar.value : NULL;
}

/* A quoted scalar may hold "\0", which every C string after it would cut short silently:
 * refuse it where it is. */
static int find_nul_scalar(struct loader *L)
{
	for (yaml_node_t *n = L->doc.nodes.start; n < L->doc.nodes.top; n++) {
		if (n->type == YAML_SCALAR_NODE &&
		    strlen((const char *)n->data.scalar.value) != n->data.scalar.length)
			return fail(L, n, "(YAML)", "a NUL character (\\0) inside a value; remove "
						  "it");
	}
	return 0;
}

static const char *kind(const yaml_node_t *n)
{
	switch (n->type) {
	case YAML_SCALAR_NODE:
		return "a scalar";
	case YAML_SEQUENCE_NODE:
		return "a list";
	case YAML_MAPPING_NODE:
		return "a mapping";
	default:
		return "nothing";
	}
}

/* Check a mapping: keys are scalars, none twice (libyaml accepts duplicates silently), each
 * one of allowed (with a "did you mean" for a near miss). */
static int check_mapping(struct loader *L, const yaml_node_t *map, const char *where,
			 const char *const *allowed)
{
	for (yaml_node_pair_t *p = map->data.mapping.pairs.start; p < map->data.mapping.pairs.top;
	     p++) {
		yaml_node_t *k = node(L, p->key);
		const char *name = scalar(k);
		char path[256];
		if (!name)
			return fail(L, k, where, "expected a key name, got %s", kind(k));
		snprintf(path, sizeof(path), "%s%s%s", where, *where ? "." : "", name);
		for (yaml_node_pair_t *q = map->data.mapping.pairs.start; q < p; q++) {
			const char *prev = scalar(node(L, q->key));
			if (prev && strcmp(prev, name) == 0)
				return fail(L, k, path, "duplicate key (first given on line %zu)",
					    node(L, q->key)->start_mark.line + 1);
		}
		if (!allowed)
			continue;
		int ok = 0;
		char list[256] = "";
		for (int i = 0; allowed[i]; i++) {
			ok |= strcmp(allowed[i], name) == 0;
			snprintf(list + strlen(list), sizeof(list) - strlen(list), "%s%s", i ? ", " : "",
				 allowed[i]);
		}
		if (!ok) {
			const char *near = closest_name(name, allowed);
			if (near)
				return fail(L, k, path, "unknown key; did you mean %s? (expected one of "
							"%s)", near, list);
			return fail(L, k, path, "unknown key (expected one of %s)", list);
		}
	}
	return 0;
}

static yaml_node_t *lookup(struct loader *L, const yaml_node_t *map, const char *key)
{
	for (yaml_node_pair_t *p = map->data.mapping.pairs.start; p < map->data.mapping.pairs.top;
	     p++)
		if (scalar(node(L, p->key)) && strcmp(scalar(node(L, p->key)), key) == 0)
			return node(L, p->value);
	return NULL;
}

/* A scalar or a list of scalars, as an array of nodes (at most max).  Returns the count. */
static int scalars_of(struct loader *L, yaml_node_t *n, const char *key, yaml_node_t **out,
		      int max)
{
	if (n->type == YAML_SCALAR_NODE) {
		out[0] = n;
		return 1;
	}
	if (n->type != YAML_SEQUENCE_NODE)
		return fail(L, n, key, "expected a value or a list of values, got %s", kind(n));
	int c = 0;
	for (yaml_node_item_t *i = n->data.sequence.items.start; i < n->data.sequence.items.top;
	     i++) {
		yaml_node_t *v = node(L, *i);
		if (v->type != YAML_SCALAR_NODE)
			return fail(L, v, key, "expected a value in the list, got %s", kind(v));
		if (c >= max)
			return fail(L, v, key, "more than %d values in one list", max);
		out[c++] = v;
	}
	if (c == 0)
		return fail(L, n, key, "empty list; give at least one value or leave the key out");
	return c;
}

/* Build a param_desc from a --list parameter description (pointers into json). */
static int desc_from_json(json_t *jp, struct param_desc *d, const char **choices, int max)
{
	memset(d, 0, sizeof(*d));
	d->name = json_string_value(json_object_get(jp, "name"));
	if (param_type_from_name(json_string_value(json_object_get(jp, "type")) ?: "", &d->type) < 0)
		return -1;
	d->def = json_string_value(json_object_get(jp, "default"));
	d->min = json_string_value(json_object_get(jp, "min"));
	d->max = json_string_value(json_object_get(jp, "max"));
	json_t *ch = json_object_get(jp, "choices");
	if (json_is_array(ch)) {
		size_t i;
		json_t *v;
		int n = 0;
		json_array_foreach(ch, i, v) {
			if (n < max - 1)
				choices[n++] = json_string_value(v);
		}
		choices[n] = NULL;
		d->choices = choices;
	}
	return 0;
}

/* Parse text as --list parameter jp describes; canonical text and JSON out. */
static int canonical(json_t *jp, const char *text, char **ctext, json_t **cjson, char *err,
		     size_t errlen)
{
	struct param_desc d;
	const char *choices[64];
	struct param_value v;
	if (desc_from_json(jp, &d, choices, 64) < 0) {
		snprintf(err, errlen, "the probe describes this parameter with an unknown type");
		return -1;
	}
	if (param_parse(&d, text, &v, err, errlen) < 0)
		return -1;
	switch (d.type) {
	case PT_BOOL:
		*ctext = xstrdup(v.i ? "true" : "false");
		*cjson = json_boolean(v.i);
		break;
	case PT_ENUM:
	case PT_STRING:
		*ctext = xstrdup(v.s);
		*cjson = json_string(v.s);
		break;
	case PT_DURATION:	/* a bare number is not a duration: keep the unit */
		*ctext = xasprintf("%" PRId64 "ns", v.i);
		*cjson = json_integer(v.i);
		break;
	default:
		*ctext = xasprintf("%" PRId64, v.i);
		*cjson = json_integer(v.i);
		break;
	}
	return 0;
}

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

static void join(const char *const *names, char *buf, size_t len)
{
	buf[0] = '\0';
	for (int i = 0; names[i]; i++)
		snprintf(buf + strlen(buf), len - strlen(buf), "%s%s", i ? ", " : "", names[i]);
}

static int in_json_strings(json_t *array, const char *s)
{
	size_t i;
	json_t *v;
	json_array_foreach(array, i, v)
		if (json_is_string(v) && strcmp(json_string_value(v), s) == 0)
			return 1;
	return 0;
}

/* ---- one probe entry --------------------------------------------------------------------- */

#define MAX_LIST 64
#define MAX_KEYS 32

struct entry {
	struct probe_info *probe;
	json_t *cases[MAX_LIST];	/* the selected cases' descriptions */
	int ncases;
	yaml_node_t *trs[MAX_LIST];	/* the entry's transports, or none */
	int ntrs;
	int64_t timeout_ns;
	const char *keys[MAX_KEYS];	/* params given */
	yaml_node_t *vals[MAX_KEYS][MAX_LIST];
	int nvals[MAX_KEYS];
	int nkeys;
	char where[64];
	yaml_node_t *interps[MAX_LIST];	/* interpreters for a script probe, or none */
	int ninterps;
};

static struct plan_case *plan_add(struct loader *L)
{
	struct config *c = L->cfg;
	if (c->ncases == L->cap) {
		L->cap = L->cap ? L->cap * 2 : 64;
		struct plan_case *n = realloc(c->cases, L->cap * sizeof(*n));
		if (!n)
			abort();
		c->cases = n;
	}
	struct plan_case *pc = &c->cases[c->ncases++];
	memset(pc, 0, sizeof(*pc));
	return pc;
}

/* Expand one case over one transport and the cross product of its list-valued params. */
static int expand_case1(struct loader *L, struct entry *E, json_t *cas, const char *transport,
			const char *interp);

static int expand_case(struct loader *L, struct entry *E, json_t *cas, const char *transport)
{
	if (E->ninterps == 0)
		return expand_case1(L, E, cas, transport, NULL);
	for (int k = 0; k < E->ninterps; k++)
		if (expand_case1(L, E, cas, transport, scalar(E->interps[k])) < 0)
			return -1;
	return 0;
}

static int expand_case1(struct loader *L, struct entry *E, json_t *cas, const char *transport,
			const char *interp)
{
	int idx[MAX_KEYS] = { 0 }, has[MAX_KEYS];
	json_t *m0 = json_array_get(json_object_get(cas, "metrics"), 0);
	const char *cname = json_string_value(json_object_get(cas, "name"));
	for (int k = 0; k < E->nkeys; k++)
		has[k] = case_find_param(cas, E->keys[k]) != NULL;
	for (;;) {
		if (L->cfg->ncases >= MAX_PLAN) {
			/* Point at the longest list of the entry that went over. */
			int best = -1;
			for (int k = 0; k < E->nkeys; k++)
				if (best < 0 || E->nvals[k] > E->nvals[best])
					best = k;
			return fail(L, best >= 0 ? E->vals[best][0] : NULL, E->where,
				    "the config expands to more than %d cases (here with the %d "
				    "values of %s); make the lists shorter", MAX_PLAN,
				    best >= 0 ? E->nvals[best] : 0, best >= 0 ? E->keys[best] : "-");
		}
		struct plan_case *pc = plan_add(L);
		pc->probe = E->probe;
		pc->case_name = xstrdup(cname);
		pc->transport = transport ? xstrdup(transport) : NULL;
		pc->timeout_ns = E->timeout_ns;
		pc->metric = json_string_value(json_object_get(m0, "name"));
		pc->unit = json_string_value(json_object_get(m0, "unit"));
		pc->direction = json_string_value(json_object_get(m0, "direction"));
		pc->params = calloc(MAX_KEYS, sizeof(*pc->params));
		pc->params_json = json_object();
		char label[1024];
		snprintf(label, sizeof(label), "%s/%s%s%s", E->probe->name, cname,
			 transport ? " " : "", transport ? transport : "");
		/* Every parameter the case has appears in params_json, as the probe will echo it:
		 * the given value, else the default. */
		json_t *jps = json_object_get(cas, "params"), *jp;
		size_t i;
		json_array_foreach(jps, i, jp) {
			const char *pname = json_string_value(json_object_get(jp, "name"));
			const char *text = json_string_value(json_object_get(jp, "default"));
			int given = -1;
			for (int k = 0; k < E->nkeys; k++)
				if (has[k] && strcmp(E->keys[k], pname) == 0)
					given = k;
			if (given >= 0)
				text = scalar(E->vals[given][idx[given]]);
			char *ctext, e[512];
			json_t *cj;
			if (canonical(jp, text ? text : "", &ctext, &cj, e, sizeof(e)) < 0) {
				char key[128];
				snprintf(key, sizeof(key), "%s.params.%s", E->where, pname);
				return fail(L, given >= 0 ? E->vals[given][idx[given]] : NULL, key, "%s",
					    e);
			}
			json_object_set_new(pc->params_json, pname, cj);
			if (given >= 0) {
				pc->params[pc->nparams].key = xstrdup(pname);
				pc->params[pc->nparams].text = ctext;
				pc->nparams++;
				snprintf(label + strlen(label), sizeof(label) - strlen(label), " %s=%s",
					 pname, text);
			} else {
				free(ctext);
			}
		}
		if (interp) {
			pc->interpreter = xstrdup(interp);
			snprintf(label + strlen(label), sizeof(label) - strlen(label), " [%s]", interp);
		}
		pc->label = xstrdup(label);
		/* Next combination: the last given list turns fastest. */
		int k = E->nkeys - 1;
		while (k >= 0) {
			if (has[k] && ++idx[k] < E->nvals[k])
				break;
			idx[k] = 0;
			k--;
		}
		if (k < 0)
			return 0;
	}
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
static int refuse_repeated_values(struct loader *L, struct entry *E, const char *pname,
				  const char *pkey)
{
	json_t *jp = NULL;
	for (int c = 0; c < E->ncases && !jp; c++)
		jp = case_find_param(E->cases[c], pname);
	char *canon[MAX_LIST] = { 0 }, e[256];
	int n = E->nvals[E->nkeys], rc = 0;
	for (int v = 0; jp && v < n && rc == 0; v++) {
		json_t *cj = NULL;
		if (canonical(jp, scalar(E->vals[E->nkeys][v]), &canon[v], &cj, e, sizeof(e)) < 0)
			break;
		json_decref(cj);
		for (int w = 0; w < v && rc == 0; w++)
			if (!strcmp(canon[v], canon[w]))
				rc = fail(L, E->vals[E->nkeys][v], pkey, "\"%s\" listed twice (the same "
					  "value as \"%s\")", scalar(E->vals[E->nkeys][v]),
					  scalar(E->vals[E->nkeys][w]));
	}
	for (int v = 0; v < n; v++)
		free(canon[v]);
	return rc;
}

/* Validate one probes[i] entry and append its cases to the plan. */
static int load_entry(struct loader *L, yaml_node_t *en, int i, int64_t timeout_ns)
{
	struct entry E;
	memset(&E, 0, sizeof(E));
	E.timeout_ns = timeout_ns;
	snprintf(E.where, sizeof(E.where), "probes[%d]", i);
	char key[160], e[1024];
	if (en->type != YAML_MAPPING_NODE)
		return fail(L, en, E.where, "expected a mapping with a probe key, got %s",
			    kind(en));
	if (check_mapping(L, en, E.where, entry_keys) < 0)
		return -1;

	yaml_node_t *pn = lookup(L, en, "probe");
	snprintf(key, sizeof(key), "%s.probe", E.where);
	if (!pn)
		return fail(L, en, key, "missing; name the probe to run (see ipcprobe list)");
	if (!scalar(pn))
		return fail(L, pn, key, "expected a probe name, got %s", kind(pn));
	E.probe = probes_get(scalar(pn), e, sizeof(e));
	if (!E.probe && probes_env_failure()) {	/* not the config's fault: no line */
		snprintf(L->err, L->errlen, "%s: cannot check the config here: %s", L->path, e);
		return -1;
	}
	if (!E.probe)
		return fail(L, pn, key, "%s", e);
	json_t *all_cases = json_object_get(E.probe->list, "cases");
	const char *case_names[MAX_LIST + 1];
	names_of(all_cases, case_names, MAX_LIST + 1);

	yaml_node_t *cn = lookup(L, en, "cases"), *items[MAX_LIST];
	snprintf(key, sizeof(key), "%s.cases", E.where);
	if (cn) {
		int n = scalars_of(L, cn, key, items, MAX_LIST);
		if (n < 0)
			return -1;
		for (int k = 0; k < n; k++) {
			json_t *c = probe_find_case(E.probe, scalar(items[k]));
			char list[512];
			join(case_names, list, sizeof(list));
			if (!c) {
				const char *near = closest_name(scalar(items[k]), case_names);
				return fail(L, items[k], key, "probe %s has no case \"%s\"%s%s%s "
							      "(cases: %s)", E.probe->name,
					    scalar(items[k]), near ? "; did you mean " : "",
					    near ? near : "", near ? "?" : "", list);
			}
			for (int j = 0; j < E.ncases; j++)
				if (E.cases[j] == c)
					return fail(L, items[k], key, "case \"%s\" listed twice",
						    scalar(items[k]));
			E.cases[E.ncases++] = c;
		}
	} else {
		for (size_t k = 0; k < json_array_size(all_cases) && k < MAX_LIST; k++)
			E.cases[E.ncases++] = json_array_get(all_cases, k);
	}

	yaml_node_t *tn = lookup(L, en, "transports");
	snprintf(key, sizeof(key), "%s.transports", E.where);
	if (tn) {
		E.ntrs = scalars_of(L, tn, key, E.trs, MAX_LIST);
		if (E.ntrs < 0)
			return -1;
		for (int k = 0; k < E.ntrs; k++) {
			int any = 0;
			const char *offered[MAX_LIST * 4];
			int no = 0;
			for (int c = 0; c < E.ncases; c++) {
				json_t *trs = json_object_get(E.cases[c], "transports"), *t;
				size_t ti;
				any |= in_json_strings(trs, scalar(E.trs[k]));
				json_array_foreach(trs, ti, t) {
					int dup = 0;
					for (int q = 0; q < no; q++)
						dup |= strcmp(offered[q], json_string_value(t)) == 0;
					if (!dup && no < MAX_LIST * 4 - 1)
						offered[no++] = json_string_value(t);
				}
			}
			offered[no] = NULL;
			if (!any) {
				char list[512];
				join(offered, list, sizeof(list));
				const char *near = closest_name(scalar(E.trs[k]), offered);
				if (no == 0)
					return fail(L, E.trs[k], key, "the selected cases of %s take no "
								      "transport", E.probe->name);
				return fail(L, E.trs[k], key, "transport \"%s\" is not run by the "
							      "selected cases%s%s%s (they run on: %s)",
					    scalar(E.trs[k]), near ? "; did you mean " : "",
					    near ? near : "", near ? "?" : "", list);
			}
		}
	}

	yaml_node_t *ton = lookup(L, en, "timeout");
	snprintf(key, sizeof(key), "%s.timeout", E.where);
	if (ton) {
		if (!scalar(ton))
			return fail(L, ton, key, "expected a duration, got %s", kind(ton));
		if (parse_duration(scalar(ton), &E.timeout_ns, e, sizeof(e)) < 0)
			return fail(L, ton, key, "%s", e);
		if (E.timeout_ns < 1000000 || E.timeout_ns > 24LL * 3600 * 1000000000)
			return fail(L, ton, key, "expected a duration between 1 ms and 24 h, got %s",
				    scalar(ton));
	}

	yaml_node_t *in = lookup(L, en, "interpreters");
	snprintf(key, sizeof(key), "%s.interpreters", E.where);
	if (in) {
		if (!probe_is_script(E.probe))
			return fail(L, in, key, "probe %s is a compiled program; only script probes "
						"(python) take interpreters", E.probe->name);
		E.ninterps = scalars_of(L, in, key, E.interps, MAX_LIST);
		if (E.ninterps < 0)
			return -1;
		for (int k = 0; k < E.ninterps; k++)
			if (!interpreter_name_ok(scalar(E.interps[k])))
				return fail(L, E.interps[k], key, "expected an interpreter's name "
								  "(python3, python3.11, pypy3), "
								  "got \"%s\"", scalar(E.interps[k]));
	}

	yaml_node_t *params = lookup(L, en, "params");
	snprintf(key, sizeof(key), "%s.params", E.where);
	if (params) {
		if (params->type != YAML_MAPPING_NODE)
			return fail(L, params, key, "expected a mapping of parameter: value, got %s",
				    kind(params));
		if (check_mapping(L, params, key, NULL) < 0)
			return -1;
		for (yaml_node_pair_t *p = params->data.mapping.pairs.start;
		     p < params->data.mapping.pairs.top; p++) {
			const char *pname = scalar(node(L, p->key));
			char pkey[256];
			snprintf(pkey, sizeof(pkey), "%s.%s", key, pname);
			if (E.nkeys >= MAX_KEYS)
				return fail(L, node(L, p->key), pkey, "more than %d parameters",
					    MAX_KEYS);
			int any = 0;
			const char *known[MAX_LIST * 4];
			int nk = 0;
			for (int c = 0; c < E.ncases; c++) {
				json_t *jp = case_find_param(E.cases[c], pname), *q;
				size_t qi;
				any |= jp != NULL;
				json_array_foreach(json_object_get(E.cases[c], "params"), qi, q) {
					const char *nm = json_string_value(json_object_get(q, "name"));
					int dup = 0;
					for (int z = 0; z < nk; z++)
						dup |= strcmp(known[z], nm) == 0;
					if (!dup && nk < MAX_LIST * 4 - 1)
						known[nk++] = nm;
				}
			}
			known[nk] = NULL;
			if (!any) {
				char list[512];
				join(known, list, sizeof(list));
				const char *near = closest_name(pname, known);
				return fail(L, node(L, p->key), pkey, "no selected case of %s has this "
								      "parameter%s%s%s (parameters: %s)",
					    E.probe->name, near ? "; did you mean " : "",
					    near ? near : "", near ? "?" : "", nk ? list : "none");
			}
			E.keys[E.nkeys] = pname;
			E.nvals[E.nkeys] = scalars_of(L, node(L, p->value), pkey, E.vals[E.nkeys],
						      MAX_LIST);
			if (E.nvals[E.nkeys] < 0)
				return -1;
			/* Check every value now against every selected case that has it, so the
			 * error points at the value, whichever combination would meet it first. */
			for (int v = 0; v < E.nvals[E.nkeys]; v++) {
				for (int c = 0; c < E.ncases; c++) {
					json_t *jp = case_find_param(E.cases[c], pname), *cj;
					char *ct;
					if (!jp)
						continue;
					if (canonical(jp, scalar(E.vals[E.nkeys][v]), &ct, &cj, e,
						      sizeof(e)) < 0)
						return fail(L, E.vals[E.nkeys][v], pkey, "%s", e);
					free(ct);
					json_decref(cj);
				}
			}
			if (refuse_repeated_values(L, &E, pname, pkey) < 0)
				return -1;
			E.nkeys++;
		}
	}

	/* Expand: each case in the probe's order, each of its transports in the probe's order
	 * (those the entry names, when it names some), each combination of the lists. */
	for (int c = 0; c < E.ncases; c++) {
		json_t *trs = json_object_get(E.cases[c], "transports"), *t;
		size_t ti;
		if (json_array_size(trs) == 0) {
			if (E.ntrs == 0 && expand_case(L, &E, E.cases[c], NULL) < 0)
				return -1;
			continue;
		}
		json_array_foreach(trs, ti, t) {
			int want = E.ntrs == 0;
			for (int k = 0; k < E.ntrs; k++)
				want |= strcmp(scalar(E.trs[k]), json_string_value(t)) == 0;
			if (want && expand_case(L, &E, E.cases[c], json_string_value(t)) < 0)
				return -1;
		}
	}
	return 0;
}

/* ---- the document ------------------------------------------------------------------------ */

static const char *const top_keys[] = { "name", "repetitions", "timeout", "output", "probes",
					NULL };

static json_t *to_json(struct loader *L, yaml_node_t *n, int depth)
{
	if (depth > MAX_DEPTH)	/* prescan() has made this unreachable */
		return json_null();
	if (n->type == YAML_SCALAR_NODE)
		return json_string(scalar(n));
	if (n->type == YAML_SEQUENCE_NODE) {
		json_t *a = json_array();
		for (yaml_node_item_t *i = n->data.sequence.items.start;
		     i < n->data.sequence.items.top; i++)
			json_array_append_new(a, to_json(L, node(L, *i), depth + 1));
		return a;
	}
	json_t *o = json_object();
	for (yaml_node_pair_t *p = n->data.mapping.pairs.start; p < n->data.mapping.pairs.top; p++)
		if (scalar(node(L, p->key)))
			json_object_set_new(o, scalar(node(L, p->key)),
					    to_json(L, node(L, p->value), depth + 1));
	return o;
}

/* A config must not send results anywhere on the machine: its output is relative and never
 * climbs out with "..".  Places elsewhere are the user's to choose, with -o. */
static int path_stays_below(const char *p)
{
	if (p[0] == '/')
		return 0;
	for (const char *c = p; *c; c = strchr(c, '/') ? strchr(c, '/') + 1 : c + strlen(c))
		if (c[0] == '.' && c[1] == '.' && (c[2] == '/' || c[2] == '\0'))
			return 0;
	return 1;
}

static char *default_name(const char *path)
{
	const char *base = strrchr(path, '/');
	char *n = xstrdup(base ? base + 1 : path);
	char *dot = strrchr(n, '.');
	if (dot && (strcmp(dot, ".yaml") == 0 || strcmp(dot, ".yml") == 0))
		*dot = '\0';
	return n;
}

static int load_top(struct loader *L, yaml_node_t *root)
{
	struct config *cfg = L->cfg;
	char e[512];
	if (root->type != YAML_MAPPING_NODE)
		return fail(L, root, "(top level)", "expected a mapping with name, repetitions, "
						    "timeout, output and probes; got %s", kind(root));
	if (check_mapping(L, root, "", top_keys) < 0)
		return -1;

	yaml_node_t *n = lookup(L, root, "name");
	if (n && (!scalar(n) || !*scalar(n)))
		return fail(L, n, "name", "expected a run name, got %s", n ? kind(n) : "nothing");
	for (const char *c = n ? scalar(n) : ""; *c; c++)
		if ((unsigned char)*c < 0x20 || *c == 0x7f)
			return fail(L, n, "name", "a run name cannot contain control characters "
						  "(they would reach the terminal raw)");
	if (n && strpbrk(scalar(n), "/\\"))
		return fail(L, n, "name", "a run name cannot contain a slash, got \"%s\"", scalar(n));
	cfg->name = n ? xstrdup(scalar(n)) : default_name(L->path);

	cfg->repetitions = 1;
	n = lookup(L, root, "repetitions");
	if (n) {
		static const struct param_desc reps = { "repetitions", PT_INT, "1", "1", "1000" };
		struct param_value v;
		if (!scalar(n))
			return fail(L, n, "repetitions", "expected an integer, got %s", kind(n));
		if (param_parse(&reps, scalar(n), &v, e, sizeof(e)) < 0)
			return fail(L, n, "repetitions", "%s", e);
		cfg->repetitions = (int)v.i;
	}

	cfg->timeout_ns = DEFAULT_TIMEOUT_NS;
	n = lookup(L, root, "timeout");
	if (n) {
		if (!scalar(n))
			return fail(L, n, "timeout", "expected a duration, got %s", kind(n));
		if (parse_duration(scalar(n), &cfg->timeout_ns, e, sizeof(e)) < 0)
			return fail(L, n, "timeout", "%s", e);
		if (cfg->timeout_ns < 1000000 || cfg->timeout_ns > 24LL * 3600 * 1000000000)
			return fail(L, n, "timeout", "expected a duration between 1 ms and 24 h, got "
						     "%s", scalar(n));
	}

	n = lookup(L, root, "output");
	if (n && (!scalar(n) || !*scalar(n)))
		return fail(L, n, "output", "expected a directory path, got %s", kind(n));
	if (n && !path_stays_below(scalar(n)))
		return fail(L, n, "output", "expected a relative directory without \"..\" (a config "
					    "writes below where ipcprobe runs; choose any other place "
					    "with -o DIR), got \"%s\"", scalar(n));
	cfg->output = xstrdup(n ? scalar(n) : "results");

	n = lookup(L, root, "probes");
	if (!n)
		return fail(L, root, "probes", "missing; list the probes to run, e.g. "
					       "\"probes: [{probe: capacity}]\"");
	if (n->type != YAML_SEQUENCE_NODE)
		return fail(L, n, "probes", "expected a list of probe entries, got %s", kind(n));
	int i = 0;
	for (yaml_node_item_t *it = n->data.sequence.items.start; it < n->data.sequence.items.top;
	     it++, i++)
		if (load_entry(L, node(L, *it), i, cfg->timeout_ns) < 0)
			return -1;
	if (i == 0)
		return fail(L, n, "probes", "empty list; name at least one probe");
	if (cfg->ncases == 0)
		return fail(L, n, "probes", "the entries select no case to run (check cases and "
					    "transports)");
	cfg->json = to_json(L, root, 0);
	return 0;
}

/* Where the first invalid UTF-8 sequence in text is (1-based line and column), for libyaml
 * reports encoding errors at the wrong place.  Returns 0 when the text is valid. */
static int find_bad_utf8(const unsigned char *t, size_t len, size_t *line, size_t *col)
{
	*line = 1;
	*col = 1;
	for (size_t i = 0; i < len;) {
		unsigned c = t[i];
		size_t n = c < 0x80 ? 1 : (c & 0xe0) == 0xc0 ? 2 : (c & 0xf0) == 0xe0 ? 3 :
			   (c & 0xf8) == 0xf0 ? 4 : 0;
		if (n == 0 || i + n > len)
			return -1;
		for (size_t k = 1; k < n; k++)
			if ((t[i + k] & 0xc0) != 0x80)
				return -1;
		if (c == '\n') {
			(*line)++;
			*col = 1;
		} else {
			(*col)++;
		}
		i += n;
	}
	return 0;
}

/* libyaml's loader has no depth limit and expands aliases wherever they are used, so a small
 * hostile file could make a huge document (a "billion laughs").  One pass over the events
 * first rejects nesting beyond MAX_DEPTH and any alias, at the place where it occurs.
 * Returns 0, or -1 with the message in err (a YAML syntax error is left to the loader). */
static int prescan(const char *path, const char *text, size_t len, char *err, size_t errlen)
{
	yaml_parser_t parser;
	yaml_event_t ev;
	int depth = 0, docs = 0, rc = 0;
	if (!yaml_parser_initialize(&parser))
		return 0;
	yaml_parser_set_input_string(&parser, (const unsigned char *)text, len);
	for (;;) {
		if (!yaml_parser_parse(&parser, &ev))
			break;
		yaml_event_type_t t = ev.type;
		size_t line = ev.start_mark.line + 1, col = ev.start_mark.column + 1;
		yaml_event_delete(&ev);
		if (t == YAML_STREAM_END_EVENT)
			break;
		if (t == YAML_ALIAS_EVENT) {
			snprintf(err, errlen, "%s:%zu:%zu: (YAML): aliases (*name) are not accepted in "
				 "a config; write the value out", path, line, col);
			rc = -1;
			break;
		}
		/* yaml_parser_load reads the first document only: a second would be dropped
		 * without a word. */
		if (t == YAML_DOCUMENT_START_EVENT && ++docs > 1) {
			snprintf(err, errlen, "%s:%zu:%zu: (YAML): a second document (after \"---\"); "
				 "a config is one document: split it into two files", path, line,
				 col);
			rc = -1;
			break;
		}
		if (t == YAML_SEQUENCE_START_EVENT || t == YAML_MAPPING_START_EVENT)
			depth++;
		else if (t == YAML_SEQUENCE_END_EVENT || t == YAML_MAPPING_END_EVENT)
			depth--;
		if (depth > MAX_DEPTH) {
			snprintf(err, errlen, "%s:%zu:%zu: (YAML): nested deeper than %d levels; a "
				 "config needs 5 at most", path, line, col, MAX_DEPTH);
			rc = -1;
			break;
		}
	}
	yaml_parser_delete(&parser);
	return rc;
}

int config_load_text(const char *path, const char *text, size_t len, struct config *cfg,
		     char *err, size_t errlen)
{
	struct loader L = { .path = path, .err = err, .errlen = errlen, .cfg = cfg };
	yaml_parser_t parser;
	int rc = -1;
	memset(cfg, 0, sizeof(*cfg));
	cfg->path = xstrdup(path);
	if (prescan(path, text, len, err, errlen) < 0)
		goto free_cfg;
	if (!yaml_parser_initialize(&parser)) {
		snprintf(err, errlen, "%s: cannot start the YAML parser", path);
		goto free_cfg;
	}
	yaml_parser_set_input_string(&parser, (const unsigned char *)text, len);
	if (!yaml_parser_load(&parser, &L.doc)) {
		size_t line = parser.problem_mark.line + 1, col = parser.problem_mark.column + 1;
		if (parser.error == YAML_READER_ERROR)
			find_bad_utf8((const unsigned char *)text, len, &line, &col);
		snprintf(err, errlen, "%s:%zu:%zu: (YAML): %s%s%s", path, line, col,
			 parser.problem ? parser.problem : "syntax error",
			 parser.context ? " " : "", parser.context ? parser.context : "");
		goto delete_parser;
	}
	yaml_node_t *root = yaml_document_get_root_node(&L.doc);
	if (root && find_nul_scalar(&L) < 0)
		rc = -1;
	else if (!root)
		rc = fail(&L, NULL, "(document)", "the file is empty; a config is a mapping with "
						  "at least \"probes\"");
	else
		rc = load_top(&L, root);
	yaml_document_delete(&L.doc);
delete_parser:
	yaml_parser_delete(&parser);
free_cfg:
	if (rc < 0)
		config_free(cfg);
	return rc;
}

int config_load(const char *path, struct config *cfg, char *err, size_t errlen)
{
	size_t len;
	memset(cfg, 0, sizeof(*cfg));
	/* The size is checked before reading: a FIFO or /dev/zero is never read at all. */
	char *text = read_file_max(path, MAX_CONFIG_BYTES, 0, &len, err, errlen);
	if (!text)
		return -1;
	int rc = config_load_text(path, text, len, cfg, err, errlen);
	free(text);
	return rc;
}

json_t *yaml_load_json(const char *path, char *err, size_t errlen)
{
	struct loader L = { .path = path, .err = err, .errlen = errlen };
	yaml_parser_t parser;
	size_t len;
	json_t *out = NULL;
	char *text = read_file_max(path, MAX_CONFIG_BYTES, 0, &len, err, errlen);
	if (!text)
		return NULL;
	if (prescan(path, text, len, err, errlen) < 0) {
		free(text);
		return NULL;
	}
	if (!yaml_parser_initialize(&parser)) {
		snprintf(err, errlen, "%s: cannot start the YAML parser", path);
		free(text);
		return NULL;
	}
	yaml_parser_set_input_string(&parser, (const unsigned char *)text, len);
	if (!yaml_parser_load(&parser, &L.doc)) {
		snprintf(err, errlen, "%s:%zu:%zu: (YAML): %s", path, parser.problem_mark.line + 1,
			 parser.problem_mark.column + 1, parser.problem ? parser.problem : "syntax error");
	} else {
		yaml_node_t *root = yaml_document_get_root_node(&L.doc);
		if (root)
			out = to_json(&L, root, 0);
		else
			snprintf(err, errlen, "%s: the file is empty", path);
		yaml_document_delete(&L.doc);
	}
	yaml_parser_delete(&parser);
	free(text);
	return out;
}

void config_free(struct config *cfg)
{
	for (size_t i = 0; i < cfg->ncases; i++) {
		struct plan_case *pc = &cfg->cases[i];
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
	free(cfg->cases);
	free(cfg->path);
	free(cfg->name);
	free(cfg->output);
	json_decref(cfg->json);
	memset(cfg, 0, sizeof(*cfg));
}
