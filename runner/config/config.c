/* config.c - load, validate and expand a YAML run configuration; see config.h.
 *
 * libyaml's document API gives every node its position, so every message can name
 * file:line:column.  The walker knows the config's fixed shape (top level, probe entries,
 * params) and checks each value against the probes' own --list descriptions.
 */
#include "config/config.h"
#include "config/loader.h"
#include "plan/plan.h"

#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

#include "param.h"
#include "common/util.h"

#define DEFAULT_TIMEOUT_NS (60LL * 1000000000)
#define MAX_DEPTH 32
#define MAX_CONFIG_BYTES (1024 * 1024)





/* A quoted scalar may hold "\0", which every C string after it would cut short silently:
 * refuse it where it is. */
static int find_nul_scalar(struct loader *L)
{
	for (yaml_node_t *n = L->doc.nodes.start; n < L->doc.nodes.top; n++) {
		if (n->type == YAML_SCALAR_NODE &&
		    strlen((const char *)n->data.scalar.value) != n->data.scalar.length)
			return load_fail(L, n, "(YAML)", "a NUL character (\\0) inside a value; remove "
						  "it");
	}
	return 0;
}


















/* ---- the document ------------------------------------------------------------------------ */

static const char *const top_keys[] = { "name", "repetitions", "precision", "max_time", "seed",
					"order", "timeout", "output", "probes", NULL };

static json_t *to_json(struct loader *L, yaml_node_t *n, int depth)
{
	if (depth > MAX_DEPTH)	/* prescan() has made this unreachable */
		return json_null();
	if (n->type == YAML_SCALAR_NODE)
		return json_string(scalar(n));
	if (n->type == YAML_SEQUENCE_NODE) {
		json_t *a = json_array();
		for (yaml_node_item_t *i = n->data.sequence.items.start;
		     i < n->data.sequence.items.top; i++)
			json_array_append_new(a, to_json(L, load_node(L, *i), depth + 1));
		return a;
	}
	json_t *o = json_object();
	for (yaml_node_pair_t *p = n->data.mapping.pairs.start; p < n->data.mapping.pairs.top; p++)
		if (scalar(load_node(L, p->key)))
			json_object_set_new(o, scalar(load_node(L, p->key)),
					    to_json(L, load_node(L, p->value), depth + 1));
	return o;
}

/* A config must not send results anywhere on the machine: its output is relative and never
 * climbs out with "..".  Places elsewhere are the user's to choose, with -o. */
static int path_stays_below(const char *p)
{
	if (p[0] == '/')
		return 0;
	for (const char *c = p; *c; c = strchr(c, '/') ? strchr(c, '/') + 1 : c + strlen(c))
		if (c[0] == '.' && c[1] == '.' && (c[2] == '/' || c[2] == '\0'))
			return 0;
	return 1;
}

static char *default_name(const char *path)
{
	const char *base = strrchr(path, '/');
	char *n = xstrdup(base ? base + 1 : path);
	char *dot = strrchr(n, '.');
	if (dot && (strcmp(dot, ".yaml") == 0 || strcmp(dot, ".yml") == 0))
		*dot = '\0';
	return n;
}

/* "order: plan" keeps the config's order in each round (shuffled is the default);
 * "precision: 2%" asks for each timing's interval to be that narrow; "max_time: 60s" bounds
 * what a case may spend trying (it is required with precision: a noisy case would otherwise
 * repeat for ever); "seed: N" replays a run's order.  Each is said when wrong, and the others
 * checked all the same. */
static void load_precision(struct loader *L, yaml_node_t *root)
{
	struct config *cfg = L->cfg;
	yaml_node_t *p = load_lookup(L, root, "precision"), *t = load_lookup(L, root, "max_time");
	yaml_node_t *s = load_lookup(L, root, "seed"), *o = load_lookup(L, root, "order");
	char *end;
	if (p) {
		const char *v = scalar(p);
		double d = v ? strtod(v, &end) : 0;
		if (!v || end == v || strcmp(end, "%") || !(d > 0 && d < 100))
			load_fail(L, p, "precision", "expected a percentage between 0%% and 100%% such "
				  "as 2%% (the 95%% interval's half-width against the median), got %s",
				  v ? v : node_kind(p));
		else
			cfg->precision = d / 100;
		if (!t)
			load_fail(L, p, "max_time", "missing: precision needs max_time, the longest a "
				  "case may spend reaching it (e.g. max_time: 60s)");
	}
	if (t && !p)
		load_fail(L, t, "max_time", "max_time bounds the repetitions that precision asks "
			  "for; give precision too (e.g. precision: 2%%)");
	else if (t)
		load_timeout(L, t, "max_time", &cfg->max_time_ns);
	if (o && (!scalar(o) || (strcmp(scalar(o), "shuffled") && strcmp(scalar(o), "plan"))))
		load_fail(L, o, "order", "expected shuffled (the default: each round in a fresh "
			  "random order) or plan (the config's order), got %s",
			  scalar(o) ? scalar(o) : node_kind(o));
	else
		cfg->plan_order = o && !strcmp(scalar(o), "plan");
	if (s) {
		const char *v = scalar(s);
		errno = 0;
		unsigned long long x = v ? strtoull(v, &end, 10) : 0;
		if (!v || end == v || *end || v[0] == '-' || errno == ERANGE)
			load_fail(L, s, "seed", "expected a non-negative integer below 2^64 (the seed "
				  "a run.json names, to replay its order), got %s", v ? v : node_kind(s));
		else
			cfg->seed = x, cfg->has_seed = 1;
	}
}

/* name: a run name (default: the file's); repetitions: 1 to 1000 (default 1). */
static void load_name_reps(struct loader *L, yaml_node_t *root)
{
	struct config *cfg = L->cfg;
	char e[512];
	yaml_node_t *n = load_lookup(L, root, "name");
	const char *bad = NULL;
	if (n && (!scalar(n) || !*scalar(n)))
		load_fail(L, n, "name", "expected a run name, got %s", node_kind(n));
	else if (n) {
		for (const char *c = scalar(n); *c && !bad; c++)
			if ((unsigned char)*c < 0x20 || *c == 0x7f)
				bad = c;
		if (bad)
			load_fail(L, n, "name", "a run name cannot contain control characters (they "
				  "would reach the terminal raw)");
		else if (strpbrk(scalar(n), "/\\"))
			load_fail(L, n, "name", "a run name cannot contain a slash, got \"%s\"",
				  scalar(n));
		else
			cfg->name = xstrdup(scalar(n));
	}
	if (!cfg->name)
		cfg->name = default_name(L->path);

	cfg->repetitions = 1;
	n = load_lookup(L, root, "repetitions");
	if (n) {
		static const struct param_desc reps = { "repetitions", PT_INT, "1", "1", "1000" };
		struct param_value v;
		if (!scalar(n))
			load_fail(L, n, "repetitions", "expected an integer, got %s", node_kind(n));
		else if (param_parse(&reps, scalar(n), &v, e, sizeof(e)) < 0)
			load_fail(L, n, "repetitions", "%s", e);
		else
			cfg->repetitions = (int)v.i;
	}
}

/* timeout (default 60 s) and output (a relative directory that stays below; default
 * results). */
static void load_timeout_output(struct loader *L, yaml_node_t *root)
{
	struct config *cfg = L->cfg;
	cfg->timeout_ns = DEFAULT_TIMEOUT_NS;
	yaml_node_t *n = load_lookup(L, root, "timeout");
	if (n && load_timeout(L, n, "timeout", &cfg->timeout_ns) < 0)
		cfg->timeout_ns = DEFAULT_TIMEOUT_NS;	/* the entries' default, meanwhile */

	n = load_lookup(L, root, "output");
	if (n && (!scalar(n) || !*scalar(n)))
		load_fail(L, n, "output", "expected a directory path, got %s", node_kind(n));
	else if (n && !path_stays_below(scalar(n)))
		load_fail(L, n, "output", "expected a relative directory without \"..\" (a config "
			  "writes below where ipcprobe runs; choose any other place with -o DIR), "
			  "got \"%s\"", scalar(n));
	cfg->output = xstrdup(n && scalar(n) && *scalar(n) ? scalar(n) : "results");
}

/* probes: a list of entries, each checked (and its errors said) whatever the others had. */
static void load_probes(struct loader *L, yaml_node_t *root)
{
	yaml_node_t *n = load_lookup(L, root, "probes");
	if (!n) {
		load_fail(L, root, "probes", "missing; list the probes to run, e.g. "
			  "\"probes: [{probe: capacity}]\"");
		return;
	}
	if (n->type != YAML_SEQUENCE_NODE) {
		load_fail(L, n, "probes", "expected a list of probe entries, got %s", node_kind(n));
		return;
	}
	int i = 0;
	for (yaml_node_item_t *it = n->data.sequence.items.start;
	     it < n->data.sequence.items.top && !L->fatal; it++, i++)
		load_entry(L, load_node(L, *it), i, L->cfg->timeout_ns);
	if (i == 0)
		load_fail(L, n, "probes", "empty list; name at least one probe");
	else if (L->cfg->ncases == 0 && !L->nerr)
		load_fail(L, n, "probes", "the entries select no case to run (check cases and "
			  "transports)");
}

static int load_top(struct loader *L, yaml_node_t *root)
{
	if (root->type != YAML_MAPPING_NODE)
		return load_fail(L, root, "(top level)", "expected a mapping with name, repetitions, "
				 "timeout, output and probes; got %s", node_kind(root));
	load_check_mapping(L, root, "", top_keys);
	load_name_reps(L, root);
	load_precision(L, root);
	load_timeout_output(L, root);
	load_probes(L, root);
	if (L->nerr)
		return -1;
	L->cfg->json = to_json(L, root, 0);
	return 0;
}

/* Where the first invalid UTF-8 sequence in text is (1-based line and column), for libyaml
 * reports encoding errors at the wrong place.  Returns 0 when the text is valid. */
static int find_bad_utf8(const unsigned char *t, size_t len, size_t *line, size_t *col)
{
	*line = 1;
	*col = 1;
	for (size_t i = 0; i < len;) {
		unsigned c = t[i];
		size_t n = c < 0x80 ? 1 : (c & 0xe0) == 0xc0 ? 2 : (c & 0xf0) == 0xe0 ? 3 :
			   (c & 0xf8) == 0xf0 ? 4 : 0;
		if (n == 0 || i + n > len)
			return -1;
		for (size_t k = 1; k < n; k++)
			if ((t[i + k] & 0xc0) != 0x80)
				return -1;
		if (c == '\n') {
			(*line)++;
			*col = 1;
		} else {
			(*col)++;
		}
		i += n;
	}
	return 0;
}

/* libyaml's loader has no depth limit and expands aliases wherever they are used, so a small
 * hostile file could make a huge document (a "billion laughs").  One pass over the events
 * first rejects nesting beyond MAX_DEPTH and any alias, at the place where it occurs.
 * Returns 0, or -1 with the message in err (a YAML syntax error is left to the loader). */
static int prescan(const char *path, const char *text, size_t len, char *err, size_t errlen)
{
	yaml_parser_t parser;
	yaml_event_t ev;
	int depth = 0, docs = 0, rc = 0;
	if (!yaml_parser_initialize(&parser))
		return 0;
	yaml_parser_set_input_string(&parser, (const unsigned char *)text, len);
	for (;;) {
		if (!yaml_parser_parse(&parser, &ev))
			break;
		yaml_event_type_t t = ev.type;
		size_t line = ev.start_mark.line + 1, col = ev.start_mark.column + 1;
		yaml_event_delete(&ev);
		if (t == YAML_STREAM_END_EVENT)
			break;
		if (t == YAML_ALIAS_EVENT) {
			snprintf(err, errlen, "%s:%zu:%zu: (YAML): aliases (*name) are not accepted in "
				 "a config; write the value out", path, line, col);
			rc = -1;
			break;
		}
		/* yaml_parser_load reads the first document only: a second would be dropped
		 * without a word. */
		if (t == YAML_DOCUMENT_START_EVENT && ++docs > 1) {
			snprintf(err, errlen, "%s:%zu:%zu: (YAML): a second document (after \"---\"); "
				 "a config is one document: split it into two files", path, line,
				 col);
			rc = -1;
			break;
		}
		if (t == YAML_SEQUENCE_START_EVENT || t == YAML_MAPPING_START_EVENT)
			depth++;
		else if (t == YAML_SEQUENCE_END_EVENT || t == YAML_MAPPING_END_EVENT)
			depth--;
		if (depth > MAX_DEPTH) {
			snprintf(err, errlen, "%s:%zu:%zu: (YAML): nested deeper than %d levels; a "
				 "config needs 5 at most", path, line, col, MAX_DEPTH);
			rc = -1;
			break;
		}
	}
	yaml_parser_delete(&parser);
	return rc;
}

/* config_load_text() with --param overrides (override.c). */
static int load_text(const char *path, const char *text, size_t len,
		     const char *const *params, int nparams, struct config *cfg, char *err,
		     size_t errlen)
{
	struct loader L = { .path = path, .err = err, .errlen = errlen, .cfg = cfg };
	yaml_parser_t parser;
	int rc = -1;
	memset(cfg, 0, sizeof(*cfg));
	cfg->path = xstrdup(path);
	if (errlen)
		err[0] = '\0';	/* the errors are added to it, one a line (loader.c) */
	if (prescan(path, text, len, err, errlen) < 0 ||
	    load_overrides_parse(&L, params, nparams) < 0)
		goto free_cfg;
	if (!yaml_parser_initialize(&parser)) {
		snprintf(err, errlen, "%s: cannot start the YAML parser", path);
		goto free_cfg;
	}
	yaml_parser_set_input_string(&parser, (const unsigned char *)text, len);
	if (!yaml_parser_load(&parser, &L.doc)) {
		size_t line = parser.problem_mark.line + 1, col = parser.problem_mark.column + 1;
		if (parser.error == YAML_READER_ERROR)
			find_bad_utf8((const unsigned char *)text, len, &line, &col);
		snprintf(err, errlen, "%s:%zu:%zu: (YAML): %s%s%s", path, line, col,
			 parser.problem ? parser.problem : "syntax error",
			 parser.context ? " " : "", parser.context ? parser.context : "");
		goto delete_parser;
	}
	yaml_node_t *root = yaml_document_get_root_node(&L.doc);
	if (root && find_nul_scalar(&L) < 0)
		rc = -1;
	else if (!root)
		rc = load_fail(&L, NULL, "(document)", "the file is empty; a config is a mapping with "
						  "at least \"probes\"");
	else
		rc = load_top(&L, root) < 0 ? -1 : load_overrides_finish(&L);
	load_errors_end(&L);
	yaml_document_delete(&L.doc);
delete_parser:
	yaml_parser_delete(&parser);
free_cfg:
	load_overrides_free(&L);
	json_decref(L.planned);
	if (rc < 0)
		config_free(cfg);
	return rc;
}

int config_load_text(const char *path, const char *text, size_t len, struct config *cfg,
		     char *err, size_t errlen)
{
	return load_text(path, text, len, NULL, 0, cfg, err, errlen);
}

int config_load(const char *path, struct config *cfg, char *err, size_t errlen)
{
	return config_load_params(path, NULL, 0, cfg, err, errlen);
}

int config_load_params(const char *path, const char *const *params, int nparams,
		       struct config *cfg, char *err, size_t errlen)
{
	size_t len;
	memset(cfg, 0, sizeof(*cfg));
	/* The size is checked before reading: a FIFO or /dev/zero is never read at all. */
	char *text = read_file_max(path, MAX_CONFIG_BYTES, 0, &len, err, errlen);
	if (!text)
		return -1;
	int rc = load_text(path, text, len, params, nparams, cfg, err, errlen);
	free(text);
	return rc;
}

json_t *yaml_load_json(const char *path, char *err, size_t errlen)
{
	struct loader L = { .path = path, .err = err, .errlen = errlen };
	yaml_parser_t parser;
	size_t len;
	json_t *out = NULL;
	char *text = read_file_max(path, MAX_CONFIG_BYTES, 0, &len, err, errlen);
	if (!text)
		return NULL;
	if (prescan(path, text, len, err, errlen) < 0) {
		free(text);
		return NULL;
	}
	if (!yaml_parser_initialize(&parser)) {
		snprintf(err, errlen, "%s: cannot start the YAML parser", path);
		free(text);
		return NULL;
	}
	yaml_parser_set_input_string(&parser, (const unsigned char *)text, len);
	if (!yaml_parser_load(&parser, &L.doc)) {
		snprintf(err, errlen, "%s:%zu:%zu: (YAML): %s", path, parser.problem_mark.line + 1,
			 parser.problem_mark.column + 1, parser.problem ? parser.problem : "syntax error");
	} else {
		yaml_node_t *root = yaml_document_get_root_node(&L.doc);
		if (root)
			out = to_json(&L, root, 0);
		else
			snprintf(err, errlen, "%s: the file is empty", path);
		yaml_document_delete(&L.doc);
	}
	yaml_parser_delete(&parser);
	free(text);
	return out;
}

void config_free(struct config *cfg)
{
	for (size_t i = 0; i < cfg->ncases; i++)
		plan_case_free(&cfg->cases[i]);
	free(cfg->cases);
	free(cfg->path);
	free(cfg->name);
	free(cfg->output);
	json_decref(cfg->json);
	memset(cfg, 0, sizeof(*cfg));
}
