/* loader.h - what the config room's files share while one config is read: the libyaml
 * document, the errors said so far, the entry being validated, and helpers that name
 * FILE:LINE:COLUMN for every node.  Internal to runner/config/ and runner/plan/.
 *
 * Every error is said and the walk goes on, as a compiler's does: a check that fails records
 * its message (load_fail) and returns -1, and its caller carries on with what does not depend
 * on the value refused (the other top-level keys, the other entries, an entry's transports and
 * parameters after a bad timeout, the other values of a list), never with what does (an
 * entry's cases when its probe is not known, its parameters when a case is not).  A config
 * with errors is refused whole, with its first CONFIG_MAX_ERRORS errors in err, one a line. */
#ifndef IPCPROBE_LOADER_H
#define IPCPROBE_LOADER_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>
#include <yaml.h>

#include "config/config.h"
#include "plan/plan.h"

#define MAX_LIST PLAN_MAX_LIST	/* values in one list */
#define MAX_KEYS PLAN_MAX_KEYS	/* parameters in one entry */

/* One `run --param KEY=VALUE[,VALUE...]`: its values as scalar nodes of their own, which
 * stand in an entry's list where the YAML's would (load_fail names the option for them). */
struct param_override {
	const char *arg;		/* as given: "size=64,4KiB" */
	char *key;			/* "size" */
	char *text;			/* the values, each NUL-terminated */
	yaml_node_t vals[MAX_LIST];
	int nvals;
	int used;			/* the entries it was put in */
	int refused;			/* a value of it was refused: said once, not per entry */
};

struct loader {
	const char *path;
	yaml_document_t doc;
	char *err;
	size_t errlen;
	struct config *cfg;
	size_t cap;
	struct param_override *ovr;	/* the --param overrides, or none */
	int novr;
	json_t *planned;		/* each planned case's identity -> the entry that planned it */
	int nerr;			/* errors found */
	int shown;			/* ... of them in err */
	int fatal;			/* the config cannot be checked here at all: stop */
};


/* One probes[i] entry as it is checked, with the YAML nodes its messages point at; entry.c
 * hands it to the plan as a struct plan_entry. */
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
	char where[64];			/* "probes[3]" */
	yaml_node_t *interps[MAX_LIST];	/* interpreters for a script probe, or none */
	int ninterps;
};

static inline yaml_node_t *load_node(struct loader *L, int id)
{
	return yaml_document_get_node(&L->doc, id);
}

static inline const char *scalar(const yaml_node_t *n)
{
	return n && n->type == YAML_SCALAR_NODE ? (const char *)n->data.scalar.value : NULL;
}

/* "a scalar", "a list", "a mapping": what was found, for messages. */
const char *node_kind(const yaml_node_t *n);

/* Record an error: "FILE:LINE:COL: KEY: message" (at NULL: line 1; at a --param value:
 * "--param ARG: KEY: message").  Always -1. */
int load_fail(struct loader *L, const yaml_node_t *at, const char *key, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
/* Record an error as it is worded (no place in the file).  Always -1. */
int load_note(struct loader *L, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* After the walk: when more errors were found than err holds, a last line says how many. */
void load_errors_end(struct loader *L);
/* Check a mapping: keys are scalars, none twice (libyaml accepts duplicates silently), each
 * one of allowed (NULL: any), with a "did you mean" for a near miss.  Every bad key is said;
 * -1 when there was one. */
int load_check_mapping(struct loader *L, const yaml_node_t *map, const char *where,
		       const char *const *allowed);
/* The value of key in map, or NULL. */
yaml_node_t *load_lookup(struct loader *L, const yaml_node_t *map, const char *key);
/* A scalar or a list of scalars, as an array of nodes (at most max).  The count, or -1. */
int load_scalars(struct loader *L, yaml_node_t *n, const char *key, yaml_node_t **out, int max);
/* A timeout: a duration between 1 ms and 24 h, into *ns.  0, or -1. */
int load_timeout(struct loader *L, yaml_node_t *n, const char *key, int64_t *ns);

/* params.c: parse the --param arguments into L->ovr (a message in L->err on a bad one), and
 * free them.  0, or -1. */
int load_overrides_parse(struct loader *L, const char *const *args, int nargs);
void load_overrides_free(struct loader *L);
/* After every entry: each override was put in at least one; the cases they made identical
 * run once (L->cfg->merged_cases counts them).  0, or -1 naming an override no case takes. */
int load_overrides_finish(struct loader *L);

/* entry.c: validate probes[i] and append its cases to the plan (plan/plan.c). */
int load_entry(struct loader *L, yaml_node_t *en, int i, int64_t timeout_ns);

#endif
