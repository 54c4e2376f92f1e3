/* report_multi.c - several runs side by side (machines, OSes, kernels, settings): who ran
 * where, the kernel limits with the differing ones marked, every figure per run with its
 * ratio to the first run, and the claims' verdicts per platform. */
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config/config.h"
#include "store/records.h"
#include "common/vocab.h"
#include "report/charts.h"
#include "report/claims.h"
#include "report/doc.h"
#include "report/lookup.h"
#include "report/report.h"
#include "report/runs.h"
#include "report/section.h"
#include "common/util.h"



static void runs_table(struct doc *d, struct run_in *r, int n)
{
	/* executed: natively, in a VM with hardware virtualization, or emulated (run.json
	 * platform.cpu_execution, store/virt.c); "?" for runs from before it. */
	static const char *const hd[] = { "run", "directory", "host", "OS", "kernel", "CPU",
					  "executed", "started", "status" };
	int vms = 0;
	doc_table(d, 9, hd);
	for (int i = 0; i < n; i++) {
		json_t *p = json_object_get(r[i].meta, "platform");
		const char *cells[9] = { r[i].label, r[i].dir, meta_str(r[i].meta, "host"),
					 meta_str(p, "os_release"), meta_str(p, "kernel"),
					 meta_str(p, "cpu_model"), meta_str(p, "cpu_execution"),
					 meta_str(r[i].meta, "started"), meta_str(r[i].meta, "status") };
		doc_row(d, cells);
		vms += json_is_true(json_object_get(p, "virtual_machine"));
	}
	doc_table_end(d);
	if (vms)
		doc_warn(d, "Some runs ran inside a virtual machine (column executed): their timings "
			    "are the VM's, and an emulated CPU's are many times slower than any "
			    "hardware; their facts (capacities, limits, what blocks) are their kernel's "
			    "own.");
}

/* One row per kernel limit; "≠" marks a limit that differs between runs. */
static void limits_table(struct doc *d, struct run_in *r, int n)
{
	const char *hd[66] = { "limit", "" };
	char **cells = calloc((size_t)n + 2, sizeof(char *));
	for (int i = 0; i < n; i++)
		hd[i + 1] = r[i].label;
	hd[n + 1] = "differs";
	doc_table(d, n + 2, hd);
	const char *key;
	json_t *v;
	json_object_foreach(json_object_get(r[0].meta, "limits"), key, v) {
		int differs = 0;
		cells[0] = xstrdup(key);
		for (int i = 0; i < n; i++) {
			json_t *x = json_object_get(json_object_get(r[i].meta, "limits"), key);
			cells[i + 1] = json_is_integer(x) ?
					       xasprintf("%lld", (long long)json_integer_value(x)) :
					       xstrdup("unknown");
			differs |= i > 0 && strcmp(cells[i + 1], cells[1]) != 0;
		}
		cells[n + 1] = xstrdup(differs ? "≠ differs" : "");
		doc_row(d, (const char *const *)cells);
		for (int i = 0; i < n + 2; i++)
			free(cells[i]);
	}
	doc_table_end(d);
	free(cells);
}

/* Every record key of the first run that another run measured too: medians side by side. */
static void figures_table(struct doc *d, struct run_in *r, int n)
{
	const char *hd[66] = { "what" };
	for (int i = 0; i < n; i++)
		hd[i + 1] = r[i].label;
	hd[n + 1] = "last ÷ first";
	doc_table(d, n + 2, hd);
	json_t *seen = json_object(), *rec;
	size_t k;
	char **cells = calloc((size_t)n + 2, sizeof(char *));
	json_array_foreach(r[0].records, k, rec) {
		char *key = record_key(rec);
		if (json_object_get(seen, key) ||
		    !str_is(rec, "status", "ok")) {
			free(key);
			continue;
		}
		json_object_set_new(seen, key, json_true());
		const char *unit = json_string_value(json_object_get(rec, "unit"));
		double first = NAN, last = NAN;
		for (int i = 0; i < n; i++) {
			const char *u;
			double m = run_median_of(&r[i], key, &u);
			char buf[64];
			cells[i + 1] = xstrdup(fmt_value(m, unit, buf, sizeof(buf)));
			if (i == 0)
				first = m;
			last = m;
		}
		cells[0] = key;
		cells[n + 1] = !isnan(first) && !isnan(last) && first != 0 ?
				       xasprintf("%.2f", last / first) : xstrdup("—");
		doc_row(d, (const char *const *)cells);
		for (int i = 0; i < n + 2; i++)
			free(cells[i]);
	}
	free(cells);
	json_decref(seen);
	doc_table_end(d);
}

/* The claims' columns: one per run, or per run and interpreter where a run names
 * interpreters; each with its header and the records it is judged on. */
struct claim_col {
	char head[256];
	json_t *records;
};

static struct claim_col *claim_columns(struct run_in *r, int n, size_t *ncols)
{
	struct claim_col *cols = NULL;
	size_t m = 0;
	for (int i = 0; i < n; i++) {
		json_t *ins = claims_interpreters(r[i].records);
		size_t k, ni = json_array_size(ins);
		cols = realloc(cols, (m + (ni ? ni : 1)) * sizeof(*cols));
		if (!cols)
			abort();
		for (k = 0; k < (ni ? ni : 1); k++, m++) {
			const char *in = json_string_value(json_array_get(ins, k));
			snprintf(cols[m].head, sizeof(cols[m].head), "%s%s%s", r[i].label,
				 in ? " / " : "", in ? in : "");
			cols[m].records = claims_records_for(r[i].records, in);
		}
		json_decref(ins);
	}
	*ncols = m;
	return cols;
}

static void claims_table(struct doc *d, struct run_in *r, int n)
{
	char path[PATH_MAX], err[1024];
	snprintf(path, sizeof(path), "%s/../configs/claims.yaml", self_dir(NULL));
	const char *file = getenv("IPCPROBE_CLAIMS") ? getenv("IPCPROBE_CLAIMS") : path;
	json_t *claims = yaml_load_json(file, err, sizeof(err)), *c;
	if (!claims) {
		doc_p(d, "No claims checked: %s", err);
		return;
	}
	size_t ncols, k, q;
	struct claim_col *cols = claim_columns(r, n, &ncols);
	const char **hd = calloc(ncols + 1, sizeof(char *));
	hd[0] = "claim";
	for (q = 0; q < ncols; q++)
		hd[q + 1] = cols[q].head;
	doc_p(d, "One column per run, and per Python interpreter where a run names them; each "
		 "cell the verdict and the figures that decided it. " CLAIM_UNDECIDED_MEANS);
	doc_table(d, (int)ncols + 1, hd);
	char **cells = calloc(ncols + 1, sizeof(char *));
	json_array_foreach(json_object_get(claims, "claims"), k, c) {
		cells[0] = (char *)(json_string_value(json_object_get(c, "claim")) ?: "(no text)");
		for (q = 0; q < ncols; q++) {
			cells[q + 1] = malloc(2200);
			claim_cell(cols[q].records, c, cells[q + 1], 2200);
		}
		doc_row(d, (const char *const *)cells);
		for (q = 0; q < ncols; q++)
			free(cells[q + 1]);
	}
	doc_table_end(d);
	for (q = 0; q < ncols; q++)
		json_decref(cols[q].records);
	free(cells);
	free(hd);
	free(cols);
	json_decref(claims);
}

/* ---- grouped charts: a cluster (a row) per transport or case label, a bar per run ------ */

/* One chart: the figure probe/case/metric, with the parameter held (size, chunk) at one value
 * so that the bars compare like with like; clusters by transport, or when label is set by
 * those parameters (NULL-terminated). */
struct gchart {
	const char *name;	/* plots/<name>.* */
	const char *probe, *cas, *metric;
	const char *held;	/* NULL: nothing held */
	json_int_t prefer;	/* the held value wanted when runs measured it */
	const char *held_what;	/* after the held value in the title: " messages" */
	const char *const *label;
	const char *what;	/* the chart's title */
};

static const char *const manager_label[] = { "mode", "op", "clients", NULL };

static const struct gchart gcharts[] = {
	{ "grouped_latency", "latency", "roundtrip", "rtt", "size", 64, " messages", NULL,
	  "Round-trip latency p50 per transport" },
	{ "grouped_throughput", "throughput", "stream", "bandwidth", "chunk", 65536, " chunks",
	  NULL, "One-way bandwidth per transport" },
	{ "grouped_capacity", "capacity", "fill_nonblocking", "capacity", "chunk", 4096,
	  " writes", NULL, "Capacity per transport at its default size" },
	{ "grouped_capacity_raised", "capacity", "fill_raised", "capacity", "chunk", 4096,
	  " writes", NULL, "Capacity per transport raised as far as an unprivileged process may" },
	{ "grouped_manager", "manager", "ops", "throughput", NULL, 0, NULL, manager_label,
	  "Manager operations per second, all clients together" },
};

/* The integer value of params.<param> in rec; 0 when absent (or param NULL). */
static json_int_t held_of(json_t *rec, const char *param)
{
	return param ? json_integer_value(json_object_get(json_object_get(rec, "params"), param)) :
		       0;
}

/* The parameters of the records in sel (every run's) that take more than one value, other
 * than the held one and the label's: a new array of names.  Clusters are keyed on them too,
 * so that no bar is the median of, say, two CPU placements. */
static json_t *varying_params(json_t *const *sel, int n, const struct gchart *c)
{
	json_t *names = json_array(), *first = NULL, *r, *v;
	const char *k;
	size_t i;
	for (int q = 0; q < n && !first; q++)
		first = json_object_get(json_array_get(sel[q], 0), "params");
	json_object_foreach(first, k, v) {
		int skip = c->held && !strcmp(c->held, k), differs = 0;
		for (int q = 0; c->label && c->label[q]; q++)
			skip |= !strcmp(c->label[q], k);
		for (int q = 0; q < n; q++)
			json_array_foreach(sel[q], i, r)
				differs |= !json_equal(json_object_get(json_object_get(r, "params"), k), v);
		if (!skip && differs)
			json_array_append_new(names, json_string(k));
	}
	return names;
}

/* The cluster rec falls in: its transport, or the values of c->label ("broker incr
 * clients=2"), then the values of the varying parameters vary, written into buf. */
static void group_of(json_t *rec, const struct gchart *c, json_t *vary, char *buf, size_t len)
{
	json_t *p = json_object_get(rec, "params"), *name;
	size_t used = 0, k;
	if (!c->label) {
		used = (size_t)snprintf(buf, len, "%s", meta_str(rec, "transport"));
	} else {
		buf[0] = '\0';
	}
	json_array_foreach(vary, k, name) {
		json_t *v = json_object_get(p, json_string_value(name));
		if (used >= len)
			break;
		if (json_is_string(v))
			used += (size_t)snprintf(buf + used, len - used, "%s%s", used ? " " : "",
						 json_string_value(v));
		else if (json_is_integer(v))
			used += (size_t)snprintf(buf + used, len - used, "%s%s=%lld", used ? " " : "",
						 json_string_value(name), (long long)json_integer_value(v));
	}
	for (int i = 0; c->label && c->label[i] && used < len; i++) {
		json_t *v = json_object_get(p, c->label[i]);
		const char *sep = used ? " " : "";
		if (json_is_string(v))
			used += (size_t)snprintf(buf + used, len - used, "%s%s", sep,
						 json_string_value(v));
		else if (json_is_integer(v))
			used += (size_t)snprintf(buf + used, len - used, "%s%s=%lld", sep,
						 c->label[i], (long long)json_integer_value(v));
	}
}

/* The held value most runs measured (c->prefer when it is one of them, else the largest);
 * *runs gets how many runs measured it.  sel: each run's records of the figure. */
static json_int_t held_pick(json_t *const *sel, int n, const struct gchart *c, int *runs)
{
	json_t *count = json_object(), *rec, *v;	/* held value (as text) -> runs */
	json_int_t best = 0;
	const char *key;
	size_t k;
	*runs = 0;
	for (int i = 0; i < n; i++) {
		json_t *seen = json_object();
		json_array_foreach(sel[i], k, rec) {
			char kb[32];
			snprintf(kb, sizeof(kb), "%lld", (long long)held_of(rec, c->held));
			json_object_set_new(seen, kb, json_true());
		}
		json_object_foreach(seen, key, v)
			json_object_set_new(count, key, json_integer(
				json_integer_value(json_object_get(count, key)) + 1));
		json_decref(seen);
	}
	json_object_foreach(count, key, v) {
		json_int_t val = strtoll(key, NULL, 10);
		int m = (int)json_integer_value(v);
		int better = m > *runs || (m == *runs && best != c->prefer &&
					   (val == c->prefer || val > best));
		if (better) {
			*runs = m;
			best = val;
		}
	}
	json_decref(count);
	return best;
}

/* Each cluster's median per run at the held value: a new object, cluster label -> an array
 * of n numbers (null where the run has no record), clusters in the order first seen. */
static json_t *group_medians(json_t *const *sel, int n, const struct gchart *c, json_int_t held)
{
	json_t *groups = json_object(), *rec, *g, *vary = varying_params(sel, n, c);
	const char *label;
	size_t k;
	for (int i = 0; i < n; i++) {
		json_array_foreach(sel[i], k, rec) {
			char buf[160];
			if (held_of(rec, c->held) != held)
				continue;
			group_of(rec, c, vary, buf, sizeof(buf));
			if (!json_object_get(groups, buf)) {
				json_t *runs = json_array();
				for (int q = 0; q < n; q++)
					json_array_append_new(runs, json_array());
				json_object_set_new(groups, buf, runs);
			}
			json_array_append(json_array_get(json_object_get(groups, buf), (size_t)i),
					  rec);
		}
	}
	json_object_foreach(groups, label, g) {
		for (int i = 0; i < n; i++) {
			double m = report_median(json_array_get(g, (size_t)i));
			json_array_set_new(g, (size_t)i, isnan(m) ? json_null() : json_real(m));
		}
	}
	json_decref(vary);
	return groups;
}

/* The smallest and largest positive median in groups (NAN when none). */
static void group_span(json_t *groups, double *lo, double *hi)
{
	json_t *g, *v;
	const char *label;
	size_t i;
	*lo = *hi = NAN;
	json_object_foreach(groups, label, g) {
		json_array_foreach(g, i, v) {
			double x = json_number_value(v);
			if (!json_is_number(v) || x <= 0)
				continue;
			*lo = isnan(*lo) || x < *lo ? x : *lo;
			*hi = isnan(*hi) || x > *hi ? x : *hi;
		}
	}
}

/* s in double quotes for a gnuplot data file (its own quotes become single ones). */
static void put_quoted(FILE *f, const char *s)
{
	fputc('"', f);
	for (; *s; s++)
		fputc(*s == '"' ? '\'' : *s, f);
	fputc('"', f);
}

/* The data file of grouped.gp: a header naming the runs, then a line per cluster with its
 * median per run divided by div ("?" where missing).  Caller frees. */
static char *group_data(json_t *groups, struct run_in *r, int n, double div)
{
	char *data = NULL;
	size_t len = 0, i;
	FILE *f = open_memstream(&data, &len);
	json_t *g, *v;
	const char *label;
	fputs("\"group\"", f);
	for (int q = 0; q < n; q++) {
		fputc(' ', f);
		put_quoted(f, r[q].label);
	}
	fputc('\n', f);
	json_object_foreach(groups, label, g) {
		put_quoted(f, label);
		json_array_foreach(g, i, v) {
			if (json_is_number(v))
				fprintf(f, " %.6g", json_number_value(v) / div);
			else
				fputs(" ?", f);
		}
		fputc('\n', f);
	}
	fclose(f);
	return data;
}

/* The title of c's chart, naming the held value ("..., 64 B messages"). */
static void group_title(const struct gchart *c, json_int_t held, char *buf, size_t len)
{
	char v[64];
	if (c->held && held)
		snprintf(buf, len, "%s, %s%s", c->what,
			 fmt_value((double)held, "bytes", v, sizeof(v)), c->held_what);
	else
		snprintf(buf, len, "%s", c->what);
}

/* Draw c from groups (medians per run) into ctx->dir and put it in the document; 1 when
 * drawn, else 0 (the reason in ctx->err). */
static int group_draw(struct report_ctx *ctx, struct run_in *r, int n, const struct gchart *c,
		      json_t *groups, json_int_t held, json_t *sample)
{
	const char *unit = json_string_value(json_object_get(sample, "unit"));
	const char *direction = json_string_value(json_object_get(sample, "direction"));
	double lo, hi, div;
	char title[256], ylabel[128], alt[512];
	int drawn = 0;
	group_span(groups, &lo, &hi);
	if (isnan(hi))
		return 0;
	const char *shown = axis_unit(unit ? unit : "", hi, &div);
	int logscale = hi / lo > 100;
	group_title(c, held, title, sizeof(title));
	snprintf(ylabel, sizeof(ylabel), "%s%s%s%s", shown, logscale ? ", log scale" : "",
		 direction && !strcmp(direction, "lower") ? " (lower is better)" : "",
		 direction && !strcmp(direction, "higher") ? " (higher is better)" : "");
	char *data = group_data(groups, r, n, div);
	snprintf(alt, sizeof(alt), "%s: a row of bars per %s, a bar per run (numbered as in the "
		 "runs table)", title, c->label ? "case" : "transport");
	/* The values are already in the axis' unit (shown), which the label names. */
	const struct chart gc = { .script = "grouped", .name = c->name, .kind = CHART_HBARS,
				  .title = title, .alt = alt, .what = ylabel, .log = logscale };
	drawn = report_chart(ctx, &gc, data) == 0;
	free(data);
	return drawn;
}

/* c's chart when two runs or more measured its figure at one held value; 1 when drawn. */
static int group_chart(struct report_ctx *ctx, struct run_in *r, int n, const struct gchart *c)
{
	json_t **sel = calloc((size_t)n, sizeof(*sel));
	int runs, drawn = 0;
	for (int i = 0; i < n; i++)
		sel[i] = report_select(r[i].records, c->probe, c->cas, NULL, c->metric);
	json_int_t held = held_pick(sel, n, c, &runs);
	if (runs >= 2) {
		json_t *groups = group_medians(sel, n, c, held), *sample = NULL;
		for (int i = 0; i < n && !sample; i++)
			sample = json_array_get(sel[i], 0);
		drawn = group_draw(ctx, r, n, c, groups, held, sample);
		json_decref(groups);
	}
	for (int i = 0; i < n; i++)
		json_decref(sel[i]);
	free(sel);
	return drawn;
}

/* The main figures as grouped charts, each only when two runs or more have it. */
static void grouped_charts(struct report_ctx *ctx, struct run_in *r, int n)
{
	int drawn = 0;
	doc_p(ctx->doc, "One chart per figure: a row of bars per transport (or case), in the "
			"probes' order, a bar per run in the colours of the key, each the median "
			"over the run's repetitions "
			"(a gap where a run lacks it). A chart appears when two runs or more "
			"measured its figure; where sizes differ, the one most runs share is "
			"drawn.");
	for (size_t i = 0; i < sizeof(gcharts) / sizeof(gcharts[0]); i++)
		drawn += group_chart(ctx, r, n, &gcharts[i]);
	if (!drawn && !ctx->err[0])
		doc_p(ctx->doc, "None of the main figures (latency, throughput, capacity, manager "
				"operations) was measured by two runs or more.");
}

int report_multi(const char *const *dirs, int n, const char *out, char *err, size_t errlen)
{
	if (n > 64) {
		snprintf(err, errlen, "at most 64 runs side by side");
		return -1;
	}
	struct run_in *r = runs_load(dirs, n, err, errlen);
	if (!r)
		return -1;
	for (int i = 0; i < n; i++) {
		json_t *p = json_object_get(r[i].meta, "platform");
		snprintf(r[i].label, sizeof(r[i].label), "%d: %s, %s %s", i + 1,
			 meta_str(r[i].meta, "host"), meta_str(p, "os"), meta_str(p, "kernel"));
	}
	struct report_ctx ctx = { .dir = out, .doc = doc_new() };
	struct doc *d = ctx.doc;
	doc_p(d, "%d runs side by side. Figures are medians over each run's repetitions; the last "
		 "column divides the last run's figure by the first's.", n);
	doc_h2(d, "Runs");
	runs_table(d, r, n);
	doc_h2(d, "Kernel limits");
	limits_table(d, r, n);
	doc_h2(d, "Claims checked, per platform");
	claims_table(d, r, n);
	doc_h2(d, "The main figures, run against run");
	grouped_charts(&ctx, r, n);
	doc_h2(d, "Every figure, side by side");
	figures_table(d, r, n);
	int rc = report_save(&ctx, "ipcprobe: runs side by side", err, errlen);
	runs_free(r, n);
	return rc;
}
