/* plan.h - the plan: what a config expands to, one case run per probe case, transport,
 * interpreter and combination of list-valued parameters, in a fixed order (each case in the
 * probe's order, each of its transports in the probe's order, the last list turning fastest).
 * The run repeats the whole plan, interleaved, `repetitions` times. */
#ifndef IPCPROBE_PLAN_H
#define IPCPROBE_PLAN_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#include "catalog/probes.h"

struct plan_param {
	char *key;
	char *text;	/* passed as --param key=text; canonical (sizes in bytes, durations in ns) */
};

struct plan_case {
	const struct probe_info *probe;
	char *case_name;
	char *transport;		/* NULL when the case takes none */
	struct plan_param *params;
	size_t nparams;
	json_t *params_json;		/* the values as the probe will echo them in records */
	int64_t timeout_ns;
	const char *metric, *unit, *direction;	/* the case's headline metric (for failures) */
	char *label;			/* "capacity/fill_nonblocking pipe chunk=4096" */
	char *interpreter;		/* a script probe's interpreter ("python3"), or NULL */
};

#define PLAN_MAX_LIST 64	/* values in one list */
#define PLAN_MAX_KEYS 32	/* parameters in one entry */
#define PLAN_MAX_CASES 100000	/* case runs in one plan */

/* One config entry, checked (config/entry.c): what plan_expand() turns into case runs.  The
 * at[] pointers are opaque to the plan: they only come back in a plan_error, so that the
 * config can point at the value's line and column. */
struct plan_entry {
	const struct probe_info *probe;
	json_t *cases[PLAN_MAX_LIST];		/* the selected cases' --list descriptions */
	int ncases;
	const char *trs[PLAN_MAX_LIST];		/* the transports named, or none: all */
	int ntrs;
	const char *interps[PLAN_MAX_LIST];	/* a script probe's interpreters, or none */
	int ninterps;
	int64_t timeout_ns;
	const char *keys[PLAN_MAX_KEYS];	/* parameters given */
	const char *vals[PLAN_MAX_KEYS][PLAN_MAX_LIST];
	const void *val_at[PLAN_MAX_KEYS][PLAN_MAX_LIST];
	int nvals[PLAN_MAX_KEYS];
	int nkeys;
	const char *where;			/* "probes[3]" */
};

/* The cases planned so far. */
struct plan {
	struct plan_case *cases;
	size_t ncases, cap;
};

/* Why an entry could not be expanded: at (an entry's val_at, or NULL: the entry), the key
 * ("probes[3].params.size") and the message. */
struct plan_error {
	const void *at;
	char key[160];
	char msg[1024];
};

/* Append the case runs of entry E to P: each case in the probe's order, each of its
 * transports in the probe's order (those E names, when it names some), each interpreter, each
 * combination of the lists (the last turning fastest).  0, or -1 with err (a value the probe
 * refuses; a plan over PLAN_MAX_CASES, pointed at the longest list). */
int plan_expand(struct plan *P, const struct plan_entry *E, struct plan_error *err);

/* Parse text as the --list parameter description jp says: its canonical text (what the probe
 * is given: sizes in bytes, durations in ns) and JSON (what the probe echoes).  0, or -1 with
 * err (plan/params.c). */
int param_canonical(json_t *jp, const char *text, char **ctext, json_t **cjson, char *err,
		    size_t errlen);

/* What makes two planned cases the same measurement, as one string: probe, case, transport,
 * interpreter and every parameter's value (defaults included).  Caller frees. */
char *plan_case_identity(const struct plan_case *pc);

/* Free one planned case's strings and JSON. */
void plan_case_free(struct plan_case *pc);

#endif
