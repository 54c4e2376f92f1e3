/* override.c - `ipcprobe run --param KEY=VALUE[,VALUE...]`: a parameter's values given on the
 * command line in place of the config's (Google Benchmark's habit of choosing what runs without
 * editing a file).  They go into every entry whose selected cases have the parameter, before
 * the plan is made, so that they are checked against the probe's description like the YAML's,
 * and the labels name them.  Cases the override makes identical (two entries that differed in
 * that parameter only) run once. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/util.h"
#include "config/loader.h"
#include "common/suggest.h"

/* "KEY=V1,V2": the key and the values, each non-empty.  0, or -1 with the message. */
static int parse_one(struct loader *L, struct param_override *o, const char *arg)
{
	const char *eq = strchr(arg, '=');
	o->arg = arg;
	if (!eq || eq == arg || !eq[1]) {
		snprintf(L->err, L->errlen, "--param %s: expected KEY=VALUE or KEY=VALUE,VALUE,... "
			 "(e.g. --param size=64,4KiB; ipcprobe list names every parameter)", arg);
		return -1;
	}
	o->key = xasprintf("%.*s", (int)(eq - arg), arg);
	o->text = xstrdup(eq + 1);
	for (char *v = o->text, *next; v; v = next) {
		next = strchr(v, ',');
		if (next)
			*next++ = '\0';
		if (!*v) {
			snprintf(L->err, L->errlen, "--param %s: an empty value in the list", arg);
			return -1;
		}
		if (o->nvals == MAX_LIST) {
			snprintf(L->err, L->errlen, "--param %s: more than %d values", arg, MAX_LIST);
			return -1;
		}
		yaml_node_t *n = &o->vals[o->nvals++];
		n->type = YAML_SCALAR_NODE;
		n->data.scalar.value = (yaml_char_t *)v;
		n->data.scalar.length = strlen(v);
	}
	return 0;
}

int load_overrides_parse(struct loader *L, const char *const *args, int nargs)
{
	if (nargs <= 0)
		return 0;
	L->ovr = calloc((size_t)nargs, sizeof(*L->ovr));
	if (!L->ovr)
		abort();
	for (L->novr = 0; L->novr < nargs; L->novr++) {
		if (parse_one(L, &L->ovr[L->novr], args[L->novr]) < 0) {
			L->novr++;
			return -1;
		}
		for (int k = 0; k < L->novr; k++)
			if (!strcmp(L->ovr[k].key, L->ovr[L->novr].key)) {
				snprintf(L->err, L->errlen, "--param %s: %s is given twice (also as "
					 "--param %s); give its values once, comma-separated",
					 args[L->novr], L->ovr[k].key, L->ovr[k].arg);
				L->novr++;
				return -1;
			}
	}
	return 0;
}

void load_overrides_free(struct loader *L)
{
	for (int k = 0; k < L->novr; k++) {
		free(L->ovr[k].key);
		free(L->ovr[k].text);
	}
	free(L->ovr);
	L->ovr = NULL;
	L->novr = 0;
}

/* An override no planned case takes: say which parameters they have, and the near miss. */
static int no_case_takes(struct loader *L, const struct param_override *o)
{
	const char *names[64];
	char known[1024], dym[128];
	int n = 0;
	names[0] = NULL;
	for (size_t i = 0; i < L->cfg->ncases; i++) {
		const char *k;
		json_t *v;
		json_object_foreach(L->cfg->cases[i].params_json, k, v)
			add_name(names, &n, 64, k);
	}
	join_names(names, known, sizeof(known));
	return load_note(L, "--param %s: no case of %s has the parameter %s%s (the planned cases "
			 "have: %s)", o->arg, L->path, o->key,
			 did_you_mean(o->key, names, dym, sizeof(dym)), known[0] ? known : "none");
}

/* Keep the first of each set of identical cases, in the plan's order. */
static size_t merge_identical(struct config *cfg)
{
	size_t kept = 0, merged = 0;
	json_t *seen = json_object();
	for (size_t i = 0; i < cfg->ncases; i++) {
		char *id = plan_case_identity(&cfg->cases[i]);
		if (json_object_get(seen, id)) {
			plan_case_free(&cfg->cases[i]);
			merged++;
		} else {
			json_object_set_new(seen, id, json_true());
			cfg->cases[kept++] = cfg->cases[i];
		}
		free(id);
	}
	json_decref(seen);
	cfg->ncases = kept;
	return merged;
}

int load_overrides_finish(struct loader *L)
{
	int rc = 0;
	for (int k = 0; k < L->novr; k++)
		if (!L->ovr[k].used)
			rc = no_case_takes(L, &L->ovr[k]);
	if (rc < 0)
		return -1;
	if (L->novr)
		L->cfg->merged_cases = merge_identical(L->cfg);
	return 0;
}
