/* probe.c - the shared probe main: --list, --case, parameters, records, exit codes. */
#include "probe.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "alloc.h"
#include "cleanup.h"
#include "names.h"
#include "transport.h"

#define MAX_PARAMS 32

struct probe_ctx {
	const struct probe_desc *probe;
	const struct case_desc *cas;
	const struct transport *tr;
	int nparams;
	struct param_value values[MAX_PARAMS];
	json_t *params_json;	/* canonical values, copied into every record */
};

struct rec {
	json_t *obj;
};

const struct case_desc *probe_case(const struct probe_ctx *ctx)
{
	return ctx->cas;
}

const struct transport *probe_transport(const struct probe_ctx *ctx)
{
	return ctx->tr;
}

static int param_index(const struct probe_ctx *ctx, const char *name)
{
	for (int i = 0; ctx->cas->params && ctx->cas->params[i].name; i++)
		if (strcmp(ctx->cas->params[i].name, name) == 0)
			return i;
	fprintf(stderr, "%s/%s: no parameter named %s (a bug in the probe)\n", ctx->probe->name,
		ctx->cas->name, name);
	abort();
}

int64_t param_int(const struct probe_ctx *ctx, const char *name)
{
	return ctx->values[param_index(ctx, name)].i;
}

const char *param_str(const struct probe_ctx *ctx, const char *name)
{
	return ctx->values[param_index(ctx, name)].s;
}

/* ---- records ---------------------------------------------------------------------------- */

static const struct metric_desc *find_metric(const struct case_desc *c, const char *name)
{
	for (int i = 0; c->metrics && c->metrics[i].name; i++)
		if (strcmp(c->metrics[i].name, name) == 0)
			return &c->metrics[i];
	return NULL;
}

struct rec *rec_new(struct probe_ctx *ctx, const char *metric)
{
	const struct metric_desc *m = find_metric(ctx->cas, metric);
	if (!m) {
		fprintf(stderr, "%s/%s: metric %s is not in the case's table (a bug in the probe)\n",
			ctx->probe->name, ctx->cas->name, metric);
		abort();
	}
	struct rec *r = probe_alloc(sizeof(*r), "a record");
	r->obj = json_pack("{s:i, s:s, s:s, s:o, s:O, s:s, s:s, s:s, s:s, s:n, s:n}",
			   "schema", PROBE_SCHEMA, "probe", ctx->probe->name, "case", ctx->cas->name,
			   "transport", ctx->tr ? json_string(ctx->tr->name) : json_null(),
			   "params", ctx->params_json, "metric", m->name, "unit", m->unit,
			   "direction", m->direction, "status", "ok", "reason", "value");
	if (!r->obj)
		abort();	/* not memory (that ends in json_alloc): a bad format, a bug */
	return r;
}

void rec_value(struct rec *r, double v)
{
	json_object_set_new(r->obj, "value", json_real(v));
}

static void rec_vstatus(struct rec *r, const char *status, const char *fmt, va_list ap)
	__attribute__((format(printf, 3, 0)));
static void rec_vstatus(struct rec *r, const char *status, const char *fmt, va_list ap)
{
	char reason[1024];
	vsnprintf(reason, sizeof(reason), fmt, ap);
	json_object_set_new(r->obj, "status", json_string(status));
	json_object_set_new(r->obj, "reason", json_string(reason));
}

void rec_status(struct rec *r, const char *status, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	rec_vstatus(r, status, fmt, ap);
	va_end(ap);
}

void rec_os_reported(struct rec *r, const char *source, double value)
{
	json_object_set_new(r->obj, "os_reported",
			    json_pack("{s:s, s:f}", "source", source, "value", value));
}

void rec_fact(struct rec *r, const char *key, json_t *v)
{
	json_t *facts = json_object_get(r->obj, "facts");
	if (!facts) {
		facts = json_object();
		json_object_set_new(r->obj, "facts", facts);
	}
	json_object_set_new(facts, key, v ? v : json_null());
}

json_t *errno_json(int e)
{
	return json_pack("{s:s, s:i, s:s}", "errno", errno_name(e), "errno_num", e, "message",
			 strerror(e));
}

void rec_dist(struct rec *r, json_t *dist)
{
	json_object_set_new(r->obj, "dist", dist);
}

void rec_set(struct rec *r, const char *key, json_t *v)
{
	static const char *const fixed[] = { "schema", "probe", "case", "transport", "params",
					     "metric", "unit", "direction", "status", "reason",
					     "value", "dist", "os_reported", "facts", "rep", NULL };
	for (int i = 0; fixed[i]; i++) {
		if (strcmp(fixed[i], key) == 0) {
			fprintf(stderr, "rec_set(%s): a fixed key (a bug in the probe)\n", key);
			abort();
		}
	}
	json_object_set_new(r->obj, key, v ? v : json_null());
}

void rec_emit(struct rec *r)
{
	char *line = json_dumps(r->obj, JSON_COMPACT | JSON_REAL_PRECISION(17));
	if (line) {
		fputs(line, stdout);
		fputc('\n', stdout);
		fflush(stdout);
		free(line);
	}
	json_decref(r->obj);
	free(r);
}

static int emit_status(struct probe_ctx *ctx, const char *status, int code, const char *fmt,
		       va_list ap) __attribute__((format(printf, 4, 0)));
static int emit_status(struct probe_ctx *ctx, const char *status, int code, const char *fmt,
		       va_list ap)
{
	struct rec *r = rec_new(ctx, ctx->cas->metrics[0].name);
	rec_vstatus(r, status, fmt, ap);
	probe_log(ctx, "%s: %s", status, json_string_value(json_object_get(r->obj, "reason")));
	rec_emit(r);
	return code;
}

int probe_unsupported(struct probe_ctx *ctx, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int rc = emit_status(ctx, "unsupported", PROBE_UNSUPPORTED, fmt, ap);
	va_end(ap);
	return rc;
}

int probe_failed(struct probe_ctx *ctx, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int rc = emit_status(ctx, "failed", PROBE_FAILED, fmt, ap);
	va_end(ap);
	return rc;
}

void probe_log(const struct probe_ctx *ctx, const char *fmt, ...)
{
	va_list ap;
	fprintf(stderr, "%s/%s%s%s: ", ctx->probe->name, ctx->cas ? ctx->cas->name : "-",
		ctx->tr ? "/" : "", ctx->tr ? ctx->tr->name : "");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

/* ---- --list ----------------------------------------------------------------------------- */

static int case_takes(const struct case_desc *c, const struct transport *tr)
{
	return c->needs && (tr->caps & c->needs) == c->needs;
}

static json_t *describe_case(const struct case_desc *c)
{
	json_t *metrics = json_array(), *params = json_array(), *trs = json_array();
	for (int i = 0; c->metrics && c->metrics[i].name; i++) {
		const struct metric_desc *m = &c->metrics[i];
		json_array_append_new(metrics, json_pack("{s:s, s:s, s:s, s:s}", "name", m->name,
							 "unit", m->unit, "direction", m->direction,
							 "help", m->help ? m->help : ""));
	}
	for (int i = 0; c->params && c->params[i].name; i++) {
		const struct param_desc *p = &c->params[i];
		json_t *choices = json_null();
		if (p->choices) {
			choices = json_array();
			for (int k = 0; p->choices[k]; k++)
				json_array_append_new(choices, json_string(p->choices[k]));
		}
		json_array_append_new(params,
				      json_pack("{s:s, s:s, s:s?, s:s?, s:s?, s:o, s:s}", "name",
						p->name, "type", param_type_name(p->type), "default",
						p->def, "min", p->min, "max", p->max, "choices",
						choices, "help", p->help ? p->help : ""));
	}
	for (int i = 0; transports[i]; i++)
		if (case_takes(c, transports[i]))
			json_array_append_new(trs, json_string(transports[i]->name));
	return json_pack("{s:s, s:s, s:o, s:o, s:o}", "name", c->name, "help", c->help,
			 "metrics", metrics, "transports", trs, "params", params);
}

json_t *probe_describe(const struct probe_desc *desc)
{
	json_t *cases = json_array();
	for (int i = 0; desc->cases[i].name; i++)
		json_array_append_new(cases, describe_case(&desc->cases[i]));
	return json_pack("{s:i, s:s, s:s, s:o}", "schema", PROBE_SCHEMA, "probe", desc->name,
			 "help", desc->help, "cases", cases);
}

/* ---- argument parsing ------------------------------------------------------------------- */

static int usage(const struct probe_desc *desc, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
static int usage(const struct probe_desc *desc, const char *fmt, ...)
{
	va_list ap;
	/* The usage first and the error last: the runner quotes a probe's last line. */
	fprintf(stderr, "usage: %s --list\n       %s --case NAME [--transport T] "
			"[--param KEY=VALUE]...\n%s: ",
		desc->name, desc->name, desc->name);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	return PROBE_USAGE;
}

static const struct case_desc *find_case(const struct probe_desc *desc, const char *name)
{
	for (int i = 0; desc->cases[i].name; i++)
		if (strcmp(desc->cases[i].name, name) == 0)
			return &desc->cases[i];
	return NULL;
}

static json_t *canonical_json(const struct param_value *v)
{
	switch (v->type) {
	case PT_BOOL:
		return json_boolean(v->i);
	case PT_ENUM:
	case PT_STRING:
		return json_string(v->s);
	default:
		return json_integer(v->i);
	}
}

/* Apply defaults, then the KEY=VALUE arguments, into ctx->values and ctx->params_json. */
static int parse_params(struct probe_ctx *ctx, char **kv, int nkv)
{
	const struct param_desc *pd = ctx->cas->params;
	char err[512];
	int n = 0;
	while (pd && pd[n].name)
		n++;
	if (n > MAX_PARAMS)
		return usage(ctx->probe, "case %s has more than %d parameters", ctx->cas->name,
			     MAX_PARAMS);
	ctx->nparams = n;
	for (int i = 0; i < n; i++) {
		if (param_parse(&pd[i], pd[i].def, &ctx->values[i], err, sizeof(err)) < 0)
			return usage(ctx->probe, "default of %s is invalid (a bug): %s", pd[i].name,
				     err);
	}
	for (int k = 0; k < nkv; k++) {
		char *eq = strchr(kv[k], '=');
		if (!eq)
			return usage(ctx->probe, "--param %s: expected KEY=VALUE", kv[k]);
		*eq = '\0';
		int i;
		for (i = 0; i < n; i++)
			if (strcmp(pd[i].name, kv[k]) == 0)
				break;
		if (i == n)
			return usage(ctx->probe, "case %s has no parameter %s", ctx->cas->name,
				     kv[k]);
		if (param_parse(&pd[i], eq + 1, &ctx->values[i], err, sizeof(err)) < 0)
			return usage(ctx->probe, "--param %s: %s", kv[k], err);
	}
	ctx->params_json = json_object();
	for (int i = 0; i < n; i++)
		json_object_set_new(ctx->params_json, pd[i].name, canonical_json(&ctx->values[i]));
	return 0;
}

/* Jansson's allocator: a value that cannot be had ends the probe like any other allocation. */
static void *json_alloc(size_t n)
{
	void *p = malloc(n);
	if (!p)
		probe_out_of_memory(n, "a JSON value");
	return p;
}

static struct probe_ctx *running;	/* the case this process runs, for running out of memory */

/* alloc.h's hook: the running case fails with reason, its IPC objects are removed. */
static void fail_running_case(const char *reason)
{
	probe_failed(running, "%s", reason);
	cleanup_run();
	exit(PROBE_FAILED);
}

int probe_main(int argc, char **argv, const struct probe_desc *desc)
{
	struct probe_ctx ctx = { .probe = desc };
	const char *case_name = NULL, *tr_name = NULL;
	char *kv[64];
	int nkv = 0;
	json_set_alloc_funcs(json_alloc, free);

	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		if (strcmp(a, "--list") == 0) {
			json_t *d = probe_describe(desc);
			json_dumpf(d, stdout, JSON_INDENT(1));
			fputc('\n', stdout);
			json_decref(d);
			return PROBE_OK;
		}
		if (i + 1 >= argc)
			return usage(desc, "%s needs a value or is unknown", a);
		if (strcmp(a, "--case") == 0)
			case_name = argv[++i];
		else if (strcmp(a, "--transport") == 0)
			tr_name = argv[++i];
		else if (strcmp(a, "--param") == 0 && nkv < 64)
			kv[nkv++] = argv[++i];
		else
			return usage(desc, "unknown argument %s", a);
	}
	if (!case_name)
		return usage(desc, "--case or --list is required");
	ctx.cas = find_case(desc, case_name);
	if (!ctx.cas)
		return usage(desc, "no case named %s", case_name);
	if (ctx.cas->needs && !tr_name)
		return usage(desc, "case %s needs --transport", case_name);
	if (!ctx.cas->needs && tr_name)
		return usage(desc, "case %s takes no transport", case_name);
	if (tr_name) {
		ctx.tr = tr_find(tr_name);
		if (!ctx.tr || !case_takes(ctx.cas, ctx.tr))
			return usage(desc, "case %s does not run over transport %s", case_name,
				     tr_name);
	}
	int rc = parse_params(&ctx, kv, nkv);
	if (rc)
		return rc;

	cleanup_init();
	running = &ctx;
	alloc_set_failure_hook(fail_running_case);
	if (ctx.tr && ctx.tr->unsupported && ctx.tr->unsupported())
		rc = probe_unsupported(&ctx, "%s", ctx.tr->unsupported());
	else
		rc = ctx.cas->run(&ctx);
	alloc_set_failure_hook(NULL);
	running = NULL;
	cleanup_run();
	json_decref(ctx.params_json);
	return rc;
}
