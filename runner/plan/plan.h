/* plan.h - the plan: what a config expands to, one case run per probe case, transport,
 * interpreter and combination of list-valued parameters, in a fixed order (each case in the
 * probe's order, each of its transports in the probe's order, the last list turning fastest).
 * The run repeats the whole plan, interleaved, `repetitions` times. */
#ifndef IPCPROBE_PLAN_H
#define IPCPROBE_PLAN_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#include "config/probes.h"

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

struct loader;
struct entry;

/* Append the case runs of one validated config entry to the loader's config (config/loader.h).
 * 0, or -1 with the error (a plan over MAX_PLAN cases, pointed at the longest list). */
int plan_entry(struct loader *L, struct entry *E);
/* Free one planned case's strings and JSON. */
void plan_case_free(struct plan_case *pc);

#endif
