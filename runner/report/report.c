/* report.c - `ipcprobe report DIR`: report.html (one self-contained file, charts inline) and
 * report.md (charts beside it) from a run directory.  Measuring is the probes' business;
 * this only reads records, writes the data files gnuplot draws, and lays out tables. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include "common/exit.h"
#include "common/options.h"
#include "common/util.h"
#include "common/vocab.h"
#include "report/charts.h"
#include "report/doc.h"
#include "report/lookup.h"
#include "report/report.h"
#include "report/section.h"
#include "store/machine.h"
#include "store/records.h"

/* What the command line changed of the config (run.json config.command_line): "--filter X
 * --repetitions N --param K=V", or "".  Caller frees. */
static char *command_line_text(json_t *cl)
{
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);
	json_t *v;
	size_t i;
	if (json_is_string(json_object_get(cl, "filter")))
		fprintf(f, " --filter '%s'", json_text(cl, "filter"));
	if (json_is_integer(json_object_get(cl, "repetitions")))
		fprintf(f, " --repetitions %lld",
			(long long)json_integer_value(json_object_get(cl, "repetitions")));
	json_array_foreach(json_object_get(cl, "params"), i, v)
		if (json_is_string(v))
			fprintf(f, " --param %s", json_string_value(v));
	fclose(f);
	char *out = xstrdup(len ? text + 1 : "");	/* without the first separator */
	free(text);
	return out;
}

/* What ran: the config's name and the case runs per probe, in the order they first ran. */
static void write_what_ran(struct report_ctx *ctx)
{
	json_t *cases = json_object_get(ctx->meta, "cases"), *c;
	json_t *per = json_object();	/* probe -> case runs; jansson keeps insertion order */
	size_t i;
	json_array_foreach(cases, i, c) {
		const char *p = json_text(c, "probe");
		json_object_set_new(per, p, json_integer(json_integer_value(json_object_get(per, p)) + 1));
	}
	char *list = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&list, &len);
	const char *k;
	json_t *v;
	int first = 1;
	json_object_foreach(per, k, v) {
		fprintf(f, "%s%s (%lld)", first ? "" : ", ", k, (long long)json_integer_value(v));
		first = 0;
	}
	fclose(f);
	const char *name = json_text(ctx->meta, "name");
	/* The plan's count, which --repetitions may have set (the config's is in "parsed"). */
	json_t *reps = json_object_get(json_object_get(ctx->meta, "plan"), "repetitions");
	char *cl = command_line_text(json_object_get(json_object_get(ctx->meta, "config"),
						     "command_line"));
	doc_p(ctx->doc, "What ran: config %s%s%s, repetitions %lld; case runs per probe: %s.",
	      name[0] ? name : "?", cl[0] ? " with " : "", cl, (long long)json_integer_value(reps),
	      list[0] ? list : "none");
	free(cl);
	free(list);
	json_decref(per);
}

/* Case runs during which other work used the machine (run.json cases[].machine): how many,
 * that their figures are left out where the case has undisturbed repetitions, and the cases
 * that have none, whose figures in every section were measured under that load. */
static void write_disturbed(struct report_ctx *ctx)
{
	json_t *cases = json_object_get(ctx->meta, "cases"), *c, *calm = json_object(), *v;
	size_t i, k = 0, only = 0;
	const char *label;
	json_array_foreach(cases, i, c) {
		int d = json_is_true(json_object_get(json_object_get(c, "machine"), "disturbed"));
		k += d;
		label = json_text(c, "label");
		if (!d)		/* one undisturbed repetition is enough */
			json_object_set_new(calm, label, json_true());
		else if (!json_object_get(calm, label))
			json_object_set_new(calm, label, json_false());
	}
	char *list = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&list, &len);
	json_object_foreach(calm, label, v)
		if (!json_is_true(v) && only++ < 10)
			fprintf(f, "%s%s", only > 1 ? "; " : "", label);
	if (only > 10)
		fprintf(f, "; and %zu more", only - 10);
	fclose(f);
	char msg[4096];
	snprintf(msg, sizeof(msg), "%zu of %zu case runs were disturbed: other work used more than "
		 "%.0f%% of the machine's CPU time, or steal passed %.0f%% (run.json cases[].machine "
		 "says why). Their figures are left out wherever the case has undisturbed "
		 "repetitions.", k, json_array_size(cases), 100 * MACHINE_FOREIGN_MAX,
		 100 * MACHINE_STEAL_MAX);
	if (only == 1)
		snprintf(msg + strlen(msg), sizeof(msg) - strlen(msg), " One case has none, and its "
			 "figures were measured under that load: %s.", list);
	else if (only)
		snprintf(msg + strlen(msg), sizeof(msg) - strlen(msg), " %zu cases have none, and "
			 "their figures were measured under that load: %s.", only, list);
	if (only)
		doc_warn(ctx->doc, msg);
	else if (k)
		doc_p(ctx->doc, "%s", msg);
	free(list);
	json_decref(calm);
}

/* The run's title, and what the reader must know first: what ran, on what, whether the run
 * is complete, its warnings. */
static void write_summary(struct report_ctx *ctx, char *title, size_t len)
{
	json_t *meta = ctx->meta, *plat = json_object_get(meta, "platform");
	const char *status = json_text(meta, "status");
	snprintf(title, len, "ipcprobe: %s on %s", json_text(meta, "name")[0] ? json_text(meta, "name") : "run",
		 json_text(meta, "host")[0] ? json_text(meta, "host") : "?");
	doc_section(ctx->doc, "summary", "Summary");
	doc_p(ctx->doc, "Started %s, %s %s, kernel %s, %s, %s CPUs (%s).", json_text(meta, "started"),
	      json_text(plat, "os"), json_text(plat, "os_release"), json_text(plat, "kernel"),
	      json_text(plat, "arch"), json_text(plat, "cpu_count"), json_text(plat, "cpu_model"));
	write_what_ran(ctx);
	json_t *s = json_object_get(meta, "summary");
	if (json_is_object(s))
		doc_p(ctx->doc, "%s ok, %s unsupported, %s failed, %s timed out, of %zu case runs "
				"(each case run's status is at the end).",
		      json_text(s, "ok"), json_text(s, "unsupported"), json_text(s, "failed"),
		      json_text(s, "timeout"), json_array_size(json_object_get(meta, "cases")));
	write_disturbed(ctx);
	if (strcmp(status, "complete") != 0) {
		char msg[512];
		snprintf(msg, sizeof(msg), "This run is incomplete (%s): %s",
			 status[0] ? status : "no run.json",
			 json_text(meta, "reason")[0] ? json_text(meta, "reason") :
			 !strcmp(status, "running") ? "the runner was killed before it finished" :
						      "no reason recorded");
		doc_warn(ctx->doc, msg);
	}
	json_t *w = json_object_get(meta, "warnings"), *v;
	size_t i;
	char msg[1024];
	json_array_foreach(w, i, v) {
		snprintf(msg, sizeof(msg), "Warning: %s", json_string_value(v));
		doc_warn(ctx->doc, msg);
	}
}

/* The rows of the status table: every case run, or (all = 0) those that are not ok. */
static void status_rows(struct report_ctx *ctx, int all)
{
	json_t *cases = json_object_get(ctx->meta, "cases"), *c;
	size_t i;
	static const char *const hd[] = { "case", "rep", "status", "value", "reason / exit",
					  "time (s)" };
	doc_table(ctx->doc, 6, hd);
	json_array_foreach(cases, i, c) {
		const char *why = json_text(c, "reason");
		if (!all && !strcmp(json_text(c, "status"), "ok"))
			continue;
		const char *cells[6] = { json_text(c, "label"), json_text(c, "rep"), json_text(c, "status"),
					 json_text(c, "value"), why[0] ? why : json_text(c, "exit"),
					 json_text(c, "duration_s") };
		doc_row(ctx->doc, cells);
	}
	doc_table_end(ctx->doc);
}

/* The status of every case run, at the end and collapsed: what was not ok first (open when
 * there is any), every run in a second block, and run.json for the rest of each. */
static void write_status(struct report_ctx *ctx)
{
	json_t *cases = json_object_get(ctx->meta, "cases"), *c;
	size_t i, ok = 0, n = json_array_size(cases);
	char what[160];
	json_array_foreach(cases, i, c)
		ok += !strcmp(json_text(c, "status"), "ok");
	doc_section(ctx->doc, "status", "Status of every case run");
	if (ok < n) {
		snprintf(what, sizeof(what), "%zu case run%s not ok (unsupported, failed or timed "
			 "out); %zu ok", n - ok, n - ok == 1 ? "" : "s", ok);
		doc_details(ctx->doc, what);
		status_rows(ctx, 0);
		doc_details_end(ctx->doc);
	} else {
		doc_p(ctx->doc, "All %zu case runs ok.", n);
	}
	snprintf(what, sizeof(what), "Every case run (%zu)", n);
	doc_details(ctx->doc, what);
	status_rows(ctx, 1);
	doc_details_end(ctx->doc);
	doc_link(ctx->doc, "Each case run's parameters, exit and log are in", "run.json", "run.json");
}

static void write_facts(struct report_ctx *ctx, const char *title, json_t *obj)
{
	const char *k;
	json_t *v;
	static const char *const hd[] = { "fact", "value" };
	if (!json_is_object(obj))
		return;
	doc_h3(ctx->doc, title);
	doc_table(ctx->doc, 2, hd);
	json_object_foreach(obj, k, v) {
		const char *cells[2] = { k, json_is_null(v) ? "unknown" : json_text(obj, k) };
		doc_row(ctx->doc, cells);
	}
	doc_table_end(ctx->doc);
}

/* Python: the layer attribution, then every record (its cases are many and varied), collapsed:
 * hundreds of rows would stand between the reader and the sections after it. */
static void report_python_all(struct report_ctx *ctx)
{
	report_python(ctx);
	doc_h3(ctx->doc, "All records of the python probe");
	doc_details(ctx->doc, "Every record of the python probe, one row each");
	report_generic(ctx, "python");
	doc_details_end(ctx->doc);
}

static const struct report_section sections[] = {
	{ "capacity", "Capacity: what a transport holds before the writer blocks", report_capacity },
	{ "limits", "Limits: how large one message may be, and what happens past it",
	  report_limits },
	{ "latency", "Latency: round trips by message size", report_latency },
	{ "throughput", "Throughput: bytes per second by chunk size", report_throughput },
	{ "shm", "Shared memory: what it costs to set up, fault in, fill and hand over", report_shm },
	{ "manager", "Manager: what a broker process costs", report_manager },
	{ "python", "Python multiprocessing, one layer up", report_python_all },
};

static int has_section(const char *probe)
{
	for (unsigned i = 0; i < sizeof(sections) / sizeof(sections[0]); i++)
		if (!strcmp(sections[i].probe, probe))
			return 1;
	return 0;
}


/* Each probe's section in the table's order, then every record of probes without one. */
static void write_sections(struct report_ctx *ctx)
{
	json_t *probes = distinct_strings(ctx->records, "probe"), *p;
	size_t k;
	for (unsigned s = 0; s < sizeof(sections) / sizeof(sections[0]); s++) {
		json_array_foreach(probes, k, p) {
			if (strcmp(json_string_value(p), sections[s].probe))
				continue;
			doc_section(ctx->doc, sections[s].probe, sections[s].title);
			sections[s].write(ctx);
		}
	}
	json_array_foreach(probes, k, p) {
		if (has_section(json_string_value(p)))
			continue;
		char title[128];
		snprintf(title, sizeof(title), "Probe %s: all records", json_string_value(p));
		doc_section(ctx->doc, json_string_value(p), title);
		report_generic(ctx, json_string_value(p));
	}
	json_decref(probes);
}

static void write_platform(struct report_ctx *ctx)
{
	doc_section(ctx->doc, "platform", "Platform");
	write_facts(ctx, "Machine", json_object_get(ctx->meta, "platform"));
	write_facts(ctx, "Kernel limits that decide IPC behaviour",
		    json_object_get(ctx->meta, "limits"));
	json_t *cfg = json_object_get(ctx->meta, "config");
	if (json_is_string(json_object_get(cfg, "text"))) {
		doc_h3(ctx->doc, "Config");
		doc_pre(ctx->doc, json_string_value(json_object_get(cfg, "text")), "yaml");
	}
}

/* The report of the run in d, a directory held open: read and written by descriptor only. */
int report_write_at(struct dirref d, char *err, size_t errlen)
{
	struct report_ctx ctx = { .dir = d.path, .fd = dup(d.fd) };
	char title[512], claims[PATH_MAX];
	if (ctx.fd <= 0) {
		snprintf(err, errlen, "%s: %s", d.path, strerror(errno));
		return -1;
	}
	ctx.records = records_load_run_at(d, NULL, err, errlen);
	ctx.meta = ctx.records ? records_load_meta_at(d, err, errlen) : NULL;
	if (!ctx.meta) {
		json_decref(ctx.records);
		close(ctx.fd);
		return -1;
	}
	ctx.doc = doc_new();
	/* What a write-up needs first (what ran, the claims, the figures), the bookkeeping last. */
	write_summary(&ctx, title, sizeof(title));
	snprintf(claims, sizeof(claims), "%s/../configs/claims.yaml", self_dir(NULL));
	report_claims(&ctx, getenv("IPCPROBE_CLAIMS") ? getenv("IPCPROBE_CLAIMS") : claims);
	write_sections(&ctx);
	write_platform(&ctx);
	write_status(&ctx);
	int rc = report_save(&ctx, title, err, errlen);
	json_decref(ctx.records);
	json_decref(ctx.meta);
	return rc;
}

int report_write(const char *dir, char *err, size_t errlen)
{
	int fd = dir_open(dir, err, errlen);
	if (fd < 0)
		return -1;
	int rc = report_write_at((struct dirref){ fd, dir }, err, errlen);
	close(fd);
	return rc;
}

/* -o OUT of a report over several runs must not be a run directory: its own report.html
 * and charts would be overwritten. */
static int refuse_run_dir_as_out(const char *cmd, const char *out)
{
	static const char *const marks[] = { "run.json", "records.jsonl", "records.jsonl.partial" };
	char path[PATH_MAX + 32];
	struct stat st;
	for (unsigned i = 0; i < sizeof(marks) / sizeof(marks[0]); i++) {
		snprintf(path, sizeof(path), "%s/%s", out, marks[i]);
		if (lstat(path, &st) == 0) {
			fprintf(stderr, "ipcprobe %s: %s is a run directory (it has %s); its own "
					"report would be overwritten: choose another -o OUT\n", cmd,
				out, marks[i]);
			return 1;
		}
	}
	return 0;
}

/* The operands (at most max) and -o of report or history (options.c) into dirs, *out and
 * *match.  The count of operands, or -1 with the exit status in *rc (bad usage said on stderr,
 * or --help printed). */
static int parse_dirs(int argc, char **argv, const char **dirs, int max, const char **out,
		      const char **match, int *rc)
{
	struct opt_iter it;
	const char *v;
	int n = 0, c;
	opt_begin(&it, argc, argv);
	while ((c = opt_next(&it, &v)) != OPT_END) {
		if (c == OPT_STOP) {
			*rc = it.status;
			return -1;
		}
		if (c == 'o')
			*out = v;
		else if (c == OPT_MATCH)
			*match = v;
		else if (c == OPT_ARG && n < max)
			dirs[n++] = v;
		else if (c == OPT_ARG) {
			*rc = opt_bad_usage(argv[0], "more than %d run directories", max);
			return -1;
		}
	}
	return n;
}

int cmd_report(int argc, char **argv)
{
	char err[1024];
	const char *dirs[64], *out = NULL, *match = NULL;
	int rc, n = parse_dirs(argc, argv, dirs, 64, &out, &match, &rc);
	if (n < 0)
		return rc;
	if (n == 0)
		return opt_bad_usage("report", "no run directory given");
	if (n > 1 && !out)
		return opt_bad_usage("report", "several runs need -o OUT, where their report goes");
	if (n == 1 && out)
		return opt_bad_usage("report", "-o OUT is for several runs; one run's report is "
				     "written in its own directory");
	if (n > 1) {
		if (refuse_run_dir_as_out("report", out))
			return EXIT_BAD_INPUT;
		if (report_multi(dirs, n, out, err, sizeof(err)) < 0) {
			fprintf(stderr, "ipcprobe report: %s\n", err);
			return EXIT_BAD_INPUT;
		}
		printf("%s/report.html\n%s/report.md\n", out, out);
		return EXIT_ALL_OK;
	}
	if (report_write(dirs[0], err, sizeof(err)) < 0) {
		fprintf(stderr, "ipcprobe report: %s\n", err);
		return EXIT_BAD_INPUT;
	}
	printf("%s/report.html\n%s/report.md\n", dirs[0], dirs[0]);
	return EXIT_ALL_OK;
}

int cmd_history(int argc, char **argv)
{
	char err[1024];
	const char *dirs[256], *out = NULL, *match = NULL;
	int rc, n = parse_dirs(argc, argv, dirs, 256, &out, &match, &rc);
	if (n < 0)
		return rc;
	if (n == 0 || !out)
		return opt_bad_usage("history", n ? "-o OUT is needed: where the history goes" :
				     "no run directory given");
	if (refuse_run_dir_as_out("history", out))
		return EXIT_BAD_INPUT;
	if (report_history(dirs, n, match, out, err, sizeof(err)) < 0) {
		fprintf(stderr, "ipcprobe history: %s\n", err);
		return EXIT_BAD_INPUT;
	}
	printf("%s/report.html\n%s/report.md\n", out, out);
	return EXIT_ALL_OK;
}
