/* loader.c - walking a libyaml document with FILE:LINE:COLUMN in every message (loader.h). */
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "common/util.h"
#include "config/loader.h"
#include "common/suggest.h"
#include "param.h"

/* Room kept in err for load_errors_end()'s last line. */
#define ERR_RESERVE 160

/* One error's line into L->err, when it is among the first CONFIG_MAX_ERRORS and fits. */
static int add_error(struct loader *L, const char *line)
{
	size_t l = strlen(L->err), n = strlen(line);
	L->nerr++;
	if (L->shown < CONFIG_MAX_ERRORS && l + n + 2 + ERR_RESERVE <= L->errlen) {
		snprintf(L->err + l, L->errlen - l, "%s%s", l ? "\n" : "", line);
		L->shown++;
	} else if (!L->shown) {	/* a small buffer still gets the first error, cut */
		snprintf(L->err, L->errlen, "%s", line);
		L->shown++;
	}
	return -1;
}

int load_fail(struct loader *L, const yaml_node_t *at, const char *key, const char *fmt, ...)
{
	char msg[1024], line[2048];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	/* A value of a --param override: the option is where it was given. */
	for (int k = 0; k < L->novr; k++)
		if (at >= L->ovr[k].vals && at < L->ovr[k].vals + L->ovr[k].nvals) {
			snprintf(line, sizeof(line), "--param %s: %s: %s", L->ovr[k].arg, key, msg);
			return add_error(L, line);
		}
	snprintf(line, sizeof(line), "%s:%zu:%zu: %s: %s", L->path,
		 at ? at->start_mark.line + 1 : 1, at ? at->start_mark.column + 1 : 1, key, msg);
	return add_error(L, line);
}

int load_note(struct loader *L, const char *fmt, ...)
{
	char line[2048];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	return add_error(L, line);
}

void load_errors_end(struct loader *L)
{
	size_t l = strlen(L->err);
	if (L->nerr > L->shown)
		snprintf(L->err + l, L->errlen - l, "%s%s: %d more error%s not shown (the first %d "
			 "are above)", l ? "\n" : "", L->path, L->nerr - L->shown,
			 L->nerr - L->shown == 1 ? "" : "s", L->shown);
}

const char *node_kind(const yaml_node_t *n)
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
int load_check_mapping(struct loader *L, const yaml_node_t *map, const char *where,
			 const char *const *allowed)
{
	int rc = 0;
	for (yaml_node_pair_t *p = map->data.mapping.pairs.start; p < map->data.mapping.pairs.top;
	     p++) {
		yaml_node_t *k = load_node(L, p->key);
		const char *name = scalar(k);
		char path[256];
		if (!name) {
			rc = load_fail(L, k, where, "expected a key name, got %s", node_kind(k));
			continue;
		}
		snprintf(path, sizeof(path), "%s%s%s", where, *where ? "." : "", name);
		yaml_node_pair_t *q = map->data.mapping.pairs.start;
		while (q < p && !(scalar(load_node(L, q->key)) &&
				  !strcmp(scalar(load_node(L, q->key)), name)))
			q++;
		if (q < p) {
			rc = load_fail(L, k, path, "duplicate key (first given on line %zu)",
				       load_node(L, q->key)->start_mark.line + 1);
			continue;
		}
		int ok = !allowed;
		for (int i = 0; allowed && allowed[i]; i++)
			ok |= strcmp(allowed[i], name) == 0;
		if (!ok) {
			char list[256], dym[128];
			rc = load_fail(L, k, path, "unknown key%s (expected one of %s)",
				       did_you_mean(name, allowed, dym, sizeof(dym)),
				       join_names(allowed, list, sizeof(list)));
		}
	}
	return rc;
}

yaml_node_t *load_lookup(struct loader *L, const yaml_node_t *map, const char *key)
{
	for (yaml_node_pair_t *p = map->data.mapping.pairs.start; p < map->data.mapping.pairs.top;
	     p++)
		if (scalar(load_node(L, p->key)) && strcmp(scalar(load_node(L, p->key)), key) == 0)
			return load_node(L, p->value);
	return NULL;
}

/* A scalar or a list of scalars, as an array of nodes (at most max).  Returns the count. */
int load_scalars(struct loader *L, yaml_node_t *n, const char *key, yaml_node_t **out,
		      int max)
{
	if (n->type == YAML_SCALAR_NODE) {
		out[0] = n;
		return 1;
	}
	if (n->type != YAML_SEQUENCE_NODE)
		return load_fail(L, n, key, "expected a value or a list of values, got %s", node_kind(n));
	int c = 0;
	for (yaml_node_item_t *i = n->data.sequence.items.start; i < n->data.sequence.items.top;
	     i++) {
		yaml_node_t *v = load_node(L, *i);
		if (v->type != YAML_SCALAR_NODE)
			return load_fail(L, v, key, "expected a value in the list, got %s", node_kind(v));
		if (c >= max)
			return load_fail(L, v, key, "more than %d values in one list", max);
		out[c++] = v;
	}
	if (c == 0)
		return load_fail(L, n, key, "empty list; give at least one value or leave the key out");
	return c;
}

int load_timeout(struct loader *L, yaml_node_t *n, const char *key, int64_t *ns)
{
	char e[512];
	if (!scalar(n))
		return load_fail(L, n, key, "expected a duration, got %s", node_kind(n));
	if (parse_duration(scalar(n), ns, e, sizeof(e)) < 0)
		return load_fail(L, n, key, "%s", e);
	if (*ns < 1000000 || *ns > 24LL * 3600 * 1000000000)
		return load_fail(L, n, key, "expected a duration between 1 ms and 24 h, got %s",
				 scalar(n));
	return 0;
}


