/* runs.h - several run directories loaded for a report over runs (multi.c, history.c). */
#ifndef IPCPROBE_RUNS_H
#define IPCPROBE_RUNS_H

#include <jansson.h>
#include <stddef.h>

struct run_in {
	const char *dir;
	json_t *meta;		/* run.json */
	json_t *records;
	char label[160];	/* the run's column header */
};

/* Each directory's records and run.json (refused as records_load_run and records_load_meta
 * refuse them); NULL with err naming the first that could not be read. */
struct run_in *runs_load(const char *const *dirs, int n, char *err, size_t errlen);
void runs_free(struct run_in *r, int n);
/* A string field of a run's run.json, "?" when it has none. */
const char *meta_str(json_t *o, const char *key);
/* The median of the ok values of the records of run r whose key is key; *unit gets their
 * unit ("" when none). */
double run_median_of(const struct run_in *r, const char *key, const char **unit);

#endif
