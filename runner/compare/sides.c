/* sides.c - BASE's and NEW's runs read for compare (sides.h). */
#include "compare/sides.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/util.h"
#include "store/records.h"
#include "store/reps.h"

static struct entry *find_or_add(struct comparison *c, char *key, json_t *r)
{
	if (!c->index)
		c->index = json_object();
	json_t *at = json_object_get(c->index, key);
	if (at) {
		free(key);
		return &c->e[json_integer_value(at)];
	}
	json_object_set_new_nocheck(c->index, key, json_integer((json_int_t)c->n));
	if (c->n == c->cap) {
		c->cap = c->cap ? 2 * c->cap : 64;
		c->e = realloc(c->e, c->cap * sizeof(*c->e));
		if (!c->e)
			abort();
	}
	struct entry *e = &c->e[c->n++];
	memset(e, 0, sizeof(*e));
	e->key = key;
	e->sample = json_incref(r);
	for (int k = 0; k < 2; k++) {
		e->recs[k] = json_array();
		e->vals[k] = json_array();
	}
	return e;
}

static void add_run(struct comparison *c, json_t *recs, int run)
{
	json_t *r;
	size_t i;
	json_array_foreach(recs, i, r) {
		struct entry *e = find_or_add(c, record_key(r), r);
		const char *st = json_string_value(json_object_get(r, "status"));
		e->present[run] = 1;
		if (!strcmp(st, "ok"))
			json_array_append(e->recs[run], r);
		else if (!strcmp(st, "failed") || !strcmp(st, "timeout"))
			e->failed[run]++;
		if (!strcmp(st, "ok"))
			continue;
		/* The first reason of each kind, for the verdict of a figure NEW lost: a feature
		 * test that a compiler change broke says so here. */
		char **why = strcmp(st, "unsupported") ? &e->why_failed[run] :
							 &e->why_unsupported[run];
		const char *reason = json_string_value(json_object_get(r, "reason"));
		if (!*why)
			*why = xstrdup_printable(reason ? reason : "no reason given");
	}
}

/* Rule 1 on one side, once every run of it is in: its values are those of the repetitions
 * store/reps.h makes the figure of; a side whose every repetition was disturbed keeps none,
 * so the figure is not judged. */
static void choose_side(struct entry *e, int run)
{
	struct reps reps;
	json_t *r;
	size_t i;
	reps_choose(e->recs[run], &reps);
	e->disturbed[run] = (int)(reps.all_disturbed ? json_array_size(reps.chosen) :
						       reps.left_out);
	json_array_foreach(reps.chosen, i, r)
		if (!reps.all_disturbed)
			json_array_append(e->vals[run], json_object_get(r, "value"));
	reps_release(&reps);
}

/* What makes a run unfit to judge a change by: not complete (killed, stopped, or no run.json),
 * records cut (a .partial file), or no records although run.json lists case runs.  Appends a
 * sentence per problem to problems; returns how many. */
static int run_problems(const char *which, const char *dir, json_t *meta, json_t *recs,
			int partial, json_t *problems)
{
	int n = 0;
	const char *status = json_string_value(json_object_get(meta, "status"));
	/* A foreign run.json's words reach the terminal: printable copies only. */
	char *reason = json_is_string(json_object_get(meta, "reason")) ?
			       xstrdup_printable(json_string_value(json_object_get(meta, "reason"))) :
			       NULL;
	char *st = status ? xstrdup_printable(status) : NULL;
	size_t ncases = json_array_size(json_object_get(meta, "cases"));
	if (!status) {
		json_array_append_new(problems, json_sprintf("%s (%s) has no run.json: whether it "
							     "ended is unknown", which, dir));
		n++;
	} else if (strcmp(status, "complete")) {
		json_array_append_new(problems, json_sprintf("%s (%s) is %s%s%s", which, dir, st,
							     reason ? ": " : "", reason ? reason : ""));
		n++;
	} else if (partial) {
		json_array_append_new(problems, json_sprintf("%s (%s) says complete but its records "
							     "are only in records.jsonl.partial", which,
							     dir));
		n++;
	}
	if (json_array_size(recs) == 0) {
		json_array_append_new(problems, json_sprintf("%s (%s) has no records%s", which, dir,
							     ncases ? " although run.json lists case "
								      "runs" : ""));
		n++;
	}
	free(reason);
	free(st);
	return n;
}

/* Renumber a run's repetitions to follow those already loaded for its side (*next), so that
 * several runs of one side read as one run with more repetitions. */
static void renumber_reps(json_t *recs, json_int_t *next)
{
	json_int_t top = -1;
	json_t *r;
	size_t i;
	json_array_foreach(recs, i, r) {
		json_int_t rep = json_integer_value(json_object_get(r, "rep"));
		json_object_set_new(r, "rep", json_integer(*next + rep));
		if (rep > top)
			top = rep;
	}
	*next += top + 1;
}

/* Load one run directory into side k of c, noting what makes it unfit to judge by.
 * 0, or -1 after saying why the run cannot be read at all. */
static int add_one_run(struct comparison *c, int k, int idx, int nruns, const char *dir,
		       json_int_t *next_rep, json_t *problems, int *nproblems)
{
	char err[1024], which[32];
	int partial = 0;
	json_t *recs = records_load_run(dir, &partial, err, sizeof(err)), *meta = NULL;
	if (recs)
		meta = records_load_meta(dir, err, sizeof(err));
	if (!recs || !meta) {
		fprintf(stderr, "ipcprobe compare: %s\n", err);
		json_decref(recs);
		return -1;
	}
	if (nruns > 1)
		snprintf(which, sizeof(which), "%s run %d", k ? "NEW" : "BASE", idx + 1);
	else
		snprintf(which, sizeof(which), "%s", k ? "NEW" : "BASE");
	*nproblems += run_problems(which, dir, meta, recs, partial, problems);
	renumber_reps(recs, next_rep);
	add_run(c, recs, k);
	json_decref(recs);
	json_decref(meta);
	return 0;
}

/* What identifies a run: run.json "ipc_token", 64 random bits drawn for each run (16 hex
 * digits, exec/sweep.c), which a copy of its directory keeps; and the directory's real path,
 * for a run without one.  Either may be NULL (no token, or none of that shape: nothing else
 * from a foreign run.json is printed; or a path that cannot be resolved: loading says why). */
struct run_id {
	char *token, *path;
};

static void run_id_of(const char *dir, struct run_id *id)
{
	char err[256];
	json_t *meta = records_load_meta(dir, err, sizeof(err));
	const char *tok = json_string_value(json_object_get(meta, "ipc_token"));
	size_t n = tok ? strlen(tok) : 0;
	id->token = n >= 1 && n <= 16 && strspn(tok, "0123456789abcdef") == n ? xstrdup(tok) : NULL;
	id->path = realpath(dir, NULL);
	json_decref(meta);
}

/* "(why a and b are one run)" into buf, or "" when they are two runs. */
static const char *same_run(const struct run_id *a, const struct run_id *b, char *buf,
			    size_t len)
{
	buf[0] = '\0';
	if (a->token && b->token && !strcmp(a->token, b->token))
		snprintf(buf, len, " (run.json ipc_token %s)", a->token);
	else if (a->path && b->path && !strcmp(a->path, b->path))
		snprintf(buf, len, " (the directory %s)", a->path);
	return buf;
}

/* The same run given twice on one side would be pooled as two runs' independent repetitions:
 * `compare A A A --vs B` made 3 false regressions at p = 0.000.  Refused, naming both
 * arguments, before any record is read.  0, or -1 after saying so. */
static int refuse_duplicates(const struct sides *sd)
{
	char why[4200];
	int rc = 0;
	for (int k = 0; k < 2 && !rc; k++) {
		if (sd->n[k] < 2)
			continue;
		struct run_id *id = calloc((size_t)sd->n[k], sizeof(*id));
		if (!id)
			abort();
		for (int j = 0; j < sd->n[k]; j++)
			run_id_of(sd->dirs[k][j], &id[j]);
		for (int i = 0; i < sd->n[k] && !rc; i++) {
			for (int j = i + 1; j < sd->n[k] && !rc; j++) {
				if (!*same_run(&id[i], &id[j], why, sizeof(why)))
					continue;
				fprintf(stderr, "ipcprobe compare: %s run %d (%s) and %s run %d (%s) are "
					"the same run%s: its repetitions would count twice\n",
					k ? "NEW" : "BASE", i + 1, sd->dirs[k][i], k ? "NEW" : "BASE",
					j + 1, sd->dirs[k][j], why);
				rc = -1;
			}
		}
		for (int j = 0; j < sd->n[k]; j++) {
			free(id[j].token);
			free(id[j].path);
		}
		free(id);
	}
	return rc;
}

int sides_load(struct comparison *c, const struct sides *sd, json_t *problems, int *nproblems)
{
	if (refuse_duplicates(sd) < 0)
		return -1;
	for (int k = 0; k < 2; k++) {
		json_int_t next_rep = 0;
		for (int j = 0; j < sd->n[k]; j++)
			if (add_one_run(c, k, j, sd->n[k], sd->dirs[k][j], &next_rep, problems,
					nproblems) < 0)
				return -1;
	}
	for (size_t i = 0; i < c->n; i++)
		for (int k = 0; k < 2; k++)
			choose_side(&c->e[i], k);
	return 0;
}

void comparison_free(struct comparison *c)
{
	for (size_t i = 0; i < c->n; i++) {
		free(c->e[i].key);
		json_decref(c->e[i].sample);
		for (int k = 0; k < 2; k++) {
			json_decref(c->e[i].recs[k]);
			json_decref(c->e[i].vals[k]);
			free(c->e[i].why_failed[k]);
			free(c->e[i].why_unsupported[k]);
		}
	}
	free(c->e);
	json_decref(c->index);
	c->index = NULL;
}
