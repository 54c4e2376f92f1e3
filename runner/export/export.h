/* export.h - what the exporters (export.c: Google Benchmark; gab.c: github-action-benchmark;
 * csv.c: CSV) share: names, the measurement knobs, and the groups of one figure's repetitions. */
#ifndef IPCPROBE_EXPORT_H
#define IPCPROBE_EXPORT_H

#include <jansson.h>
#include <stdio.h>

/* Whether a parameter sets how long or how much is measured (warmup, min_time, ...) rather
 * than what: such knobs leave github-action-benchmark's names so a change starts no new series. */
int export_is_knob(const char *param);

/* "probe/case/transport/metric/param:value.../interpreter:NAME"; knobs only with with_knobs.
 * Caller frees. */
char *export_name(json_t *r, int with_knobs);

/* A parameter or fact value as text: strings bare, the rest as compact JSON.  Caller frees. */
char *export_value_text(json_t *v);

/* The ok records of one figure (one record_key), in run order. */
struct export_group {
	char *key;
	json_t *recs;
};

/* Group the ok records of recs by record_key; *n gets how many groups. */
struct export_group *export_groups(json_t *recs, size_t *n);
void export_groups_free(struct export_group *g, size_t n);

json_t *export_gab(json_t *recs, int bigger);
/* Google Benchmark's JSON (compare.py's input) for the timings of recs, meta the run's
 * run.json; the facts and untimed rates it must leave out are counted. */
json_t *export_gbench(json_t *recs, json_t *meta, size_t *left_facts, size_t *left_rates);
int export_csv(json_t *recs, FILE *out);

#endif
