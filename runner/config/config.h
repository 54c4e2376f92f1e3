/* config.h - a YAML run configuration (read with libyaml), validated against the probes'
 * --list descriptions and expanded into a plan: one entry per probe case, transport and
 * combination of list-valued parameters.  See README.md "Config". */
#ifndef IPCPROBE_CONFIG_H
#define IPCPROBE_CONFIG_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#include "catalog/probes.h"
#include "plan/plan.h"

struct config {
	char *path;
	char *name;
	int repetitions;	/* the fixed count; with precision, the least */
	double precision;	/* the interval's half-width asked of each timing, relative to its
				 * median (0.02 for "2%"); 0: a fixed count of repetitions */
	int64_t max_time_ns;	/* with precision: a case's own time, summed over its repetitions,
				 * after which it stops repeating */
	int plan_order;		/* order: plan (each round in the plan's order, not shuffled) */
	int has_seed;		/* seed given: the order of a run to replay */
	uint64_t seed;
	int64_t timeout_ns;
	char *output;		/* results root from the config ("results" when absent) */
	json_t *json;		/* the config as JSON, for run.json */
	struct plan_case *cases;
	size_t ncases;
	size_t merged_cases;	/* cases the --param overrides made identical to another, dropped */
};

/* The errors of one config said at most (after them, a line says how many more there were),
 * and an err buffer that holds them. */
#define CONFIG_MAX_ERRORS 20
#define CONFIG_ERRLEN (CONFIG_MAX_ERRORS * 1200 + 512)

/* Load, validate and expand path.  Returns 0, or -1 with every error found (the first
 * CONFIG_MAX_ERRORS, as many as errlen holds), one a line, in err, each of the form
 * "FILE:LINE:COLUMN: KEY: what was expected, what was found[; did you mean X?]": the file is
 * walked whole, as a compiler reads a source, not stopped at its first mistake.  A file that
 * cannot be read or parsed as YAML, or cannot be checked here, has one message. */
int config_load(const char *path, struct config *cfg, char *err, size_t errlen);
/* The same, with `run --param KEY=VALUE[,VALUE...]` overrides: each parameter's values in
 * place of the config's in every entry whose selected cases have it, checked like the YAML's;
 * an override no planned case takes is an error ("--param ARG: ..."), and cases it makes
 * identical run once (merged_cases). */
int config_load_params(const char *path, const char *const *params, int nparams,
		       struct config *cfg, char *err, size_t errlen);
/* The same for a config already in memory; path only names it in messages (for the fuzzer). */
int config_load_text(const char *path, const char *text, size_t len, struct config *cfg,
		     char *err, size_t errlen);
void config_free(struct config *cfg);

/* Any YAML file as JSON (every scalar a string), for files that are data rather than run
 * configs (configs/claims.yaml).  NULL with "FILE:LINE:COL: ..." in err. */
json_t *yaml_load_json(const char *path, char *err, size_t errlen);

#endif
