/* export.h - what the exporters (export.c: Google Benchmark; gab.c: github-action-benchmark;
 * csv.c: CSV) share: names, the measurement knobs, and the groups of one figure's repetitions. */
#ifndef IPCPROBE_EXPORT_H
#define IPCPROBE_EXPORT_H

#include <jansson.h>
#include <stdio.h>

/* `ipcprobe export --format F DIR`; the exit status (common/exit.h). */
int cmd_export(int argc, char **argv);

/* Whether a parameter sets how long or how much is measured (warmup, min_time, ...) rather
 * than what: such knobs leave github-action-benchmark's names so a change starts no new series. */
int export_is_knob(const char *param);

/* "probe/case/transport/metric/param:value.../interpreter:NAME"; knobs only with with_knobs.
 * Caller frees. */
char *export_name(json_t *r, int with_knobs);

/* A parameter or fact value as text: strings bare, the rest as compact JSON.  Caller frees. */
char *export_value_text(json_t *v);

/* One figure (one record_key): the repetitions it is made of (store/reps.h: the undisturbed
 * ones where there are any, as the report, summary.json and compare), in run order. */
struct export_group {
	char *key;
	json_t *recs;		/* the chosen repetitions */
	size_t left_out;	/* disturbed repetitions left out */
	int all_disturbed;	/* no undisturbed repetition: recs holds the disturbed ones */
};

/* Group the ok records of recs by record_key; *n gets how many groups. */
struct export_group *export_groups(json_t *recs, size_t *n);
void export_groups_free(struct export_group *g, size_t n);

/* What the disturbed repetitions did to the figures a format wrote: export_note each figure
 * written (under the name the format gave it), then export_say_disturbed says on say, in a
 * line each, what was left out and which figures had nothing else; nothing when neither. */
json_t *export_notes(void);
void export_note(json_t *notes, const struct export_group *g, const char *name);
void export_say_disturbed(FILE *say, json_t *notes);

/* github-action-benchmark's JSON of recs' figures of one direction; what it left out is said
 * on say (NULL: nothing said). */
json_t *export_gab(json_t *recs, int bigger, FILE *say);
/* Google Benchmark's JSON (compare.py's input) for the timings of recs, meta the run's
 * run.json; the facts and untimed rates it must leave out, and the disturbed repetitions, are
 * said on say (NULL: nothing said, as for the run's gbench.json). */
json_t *export_gbench(json_t *recs, json_t *meta, FILE *say);
/* Every record of recs as a CSV row, with meta's (run.json) run, host and kernel. */
int export_csv(json_t *recs, json_t *meta, FILE *out);

#endif
