/* run.c - `ipcprobe run CONFIG [-o DIR]`: run every case of the plan, repetitions interleaved,
 * each probe in its own process group under its deadline; keep every record and every
 * ending; write the run directory so that each file is complete or absent. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "have.h"
#ifdef HAVE_PR_SET_PDEATHSIG
#include <sys/prctl.h>
#endif

#include "cleanup.h"
#include "common/exit.h"
#include "common/options.h"
#include "run/run.h"
#include "run/sentinel.h"
#include "store/rundir.h"
#include "config/config.h"
#include "exec/exec.h"
#include "exec/guard.h"
#include "names.h"
#include "param.h"
#include "store/machine.h"
#include "store/platform.h"
#include "store/records.h"
#include "store/summary.h"
#include "exec/strays.h"
#include "exec/sweep.h"
#include "timing.h"
#include "common/util.h"
#include "common/vocab.h"
#include "export/export.h"
#include "report/report.h"



static void on_signal(int sig)
{
	exec_stop_signal = sig;
}

static void install_signals(void)
{
	struct sigaction sa;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
	/* Past `ulimit -f` a write fails with EFBIG, which the run directory's writers report
	 * ("records could not be written"), rather than SIGXFSZ killing the runner mid-file. */
	signal(SIGXFSZ, SIG_IGN);
}


/* The project's git commit, asked of git by argv (never a shell); null when unknown. */
static json_t *git_commit(const char *srcdir, int *dirty)
{
	char *argv[] = { "git", "-C", (char *)srcdir, "describe", "--always", "--dirty",
			 "--abbrev=40", NULL };
	char *line = exec_first_line(argv, 0, 10 * 1000000000LL);
	*dirty = 0;
	if (!line)
		return json_null();
	char *d = strstr(line, "-dirty");
	if (d) {
		*d = '\0';
		*dirty = 1;
	}
	json_t *v = json_string(line);
	free(line);
	return v;
}







static int write_meta(struct run *R)
{
	return rundir_write_json(&R->store, "run.json", R->meta);
}

static json_t *start_meta(struct run *R, const char *argv0)
{
	char stamp[64], err[256], src[PATH_MAX];
	int dirty;
	utc_now(stamp, sizeof(stamp), 1);
	snprintf(src, sizeof(src), "%s/..", self_dir(argv0));
	char *text = read_file(R->cfg.path, NULL, err, sizeof(err));
	json_t *commit = git_commit(src, &dirty);
	json_t *facts = platform_facts();
	/* Paths and a name made from a file's name are bytes: written lossily, never refused. */
	json_t *m = json_pack("{s:i, s:o, s:s, s:n, s:s, s:n, s:n, s:O, s:o, s:s, s:{s:s, s:o, s:b}, "
			      "s:o, s:o, s:o, s:{s:o, s:s?, s:O}, s:{s:I, s:i}, s:n, s:[]}",
			      "schema", 1, "name", json_string_lossy(R->cfg.name), "status",
			      "running", "reason", "started", stamp, "ended", "duration_s", "host",
			      json_object_get(facts, "hostname"), "run_dir",
			      json_string_lossy(R->store.dir), "ipc_token", ipc_run_token(), "ipcprobe",
			      "version", IPCPROBE_VERSION, "git_commit", commit, "git_dirty", dirty,
			      "platform", facts, "limits", platform_limits(), "warnings",
			      platform_warnings(), "config", "path", json_string_lossy(R->cfg.path),
			      "text", text,
			      "parsed", R->cfg.json, "plan", "cases", (json_int_t)R->cfg.ncases,
			      "repetitions", R->cfg.repetitions, "summary", "cases");
	free(text);
	/* The settings a run should not see change; each case records those that did. */
	json_object_set_new(m, "machine", machine_settings());
	return m;
}











/* ---- the end ----------------------------------------------------------------------------- */

/* This process's peak resident set so far, in KiB (getrusage; macOS counts bytes). */
static long peak_rss_kib(void)
{
	struct rusage ru;
	if (getrusage(RUSAGE_SELF, &ru) < 0)
		return -1;
#ifdef __APPLE__
	return ru.ru_maxrss / 1024;
#else
	return ru.ru_maxrss;
#endif
}



/* Close records.jsonl (rename the partial file) and write run.json with the final status. */
static int finish(struct run *R, const char *status, const char *reason)
{
	char stamp[64];
	utc_now(stamp, sizeof(stamp), 1);
	int rc = rundir_close_records(&R->store);
	json_object_set_new(R->meta, "status", json_string(status));
	json_object_set_new(R->meta, "reason", reason ? json_string(reason) : json_null());
	json_object_set_new(R->meta, "ended", json_string(stamp));
	json_object_set_new(R->meta, "duration_s", json_real((double)(now_ns() - R->t0) / 1e9));
	json_object_set_new(R->meta, "summary",
			    json_pack("{s:i, s:i, s:i, s:i}", "ok", R->counts[ST_OK], "unsupported",
				      R->counts[ST_UNSUPPORTED], "failed", R->counts[ST_FAILED],
				      "timeout", R->counts[ST_TIMEOUT]));
	if (write_meta(R) < 0)
		rc = -1;
	else
		rundir_drop_cases(&R->store);
	return rc;
}

/* summary.json: every figure over its repetitions, with its interval (store/summary.h); and
 * gbench.json, what `ipcprobe export --format gbench` gives (export/export.c), when a timing
 * ran: one entry per repetition a figure is made of, under a unique name, for compare.py. */
static int write_summaries(struct run *R, json_t **summary_out)
{
	char err[1024];
	json_t *recs = records_load_run_at(rundir_ref(&R->store), NULL, err, sizeof(err));
	if (!recs) {
		fprintf(stderr, "ipcprobe run: summary: %s\n", err);
		return -1;
	}
	json_t *summary = summary_of(recs);
	*summary_out = json_incref(summary);
	/* Quiet: `ipcprobe export` is where what gbench.json leaves out is said. */
	json_t *gbench = export_gbench(recs, R->meta, NULL);
	int rc = rundir_write_json(&R->store, "summary.json", summary);
	if (json_array_size(json_object_get(gbench, "benchmarks")) &&
	    rundir_write_json(&R->store, "gbench.json", gbench) < 0)
		rc = -1;
	json_decref(gbench);
	json_decref(summary);
	json_decref(recs);
	return rc;
}

/* A signal while the report was drawn: every case was measured, but the report is not
 * whole (charts skipped), and run.json must not say "complete". */
static void report_interrupted(struct run *R)
{
	char why[PATH_MAX + 300];
	snprintf(why, sizeof(why), "interrupted by signal %d (%s) while drawing the report; every "
		 "case was measured: ipcprobe report %s draws the charts again",
		 (int)exec_stop_signal, strsignal((int)exec_stop_signal), R->store.dir);
	json_object_set_new(R->meta, "status", json_string("incomplete"));
	json_object_set_new(R->meta, "reason", json_string(why));
	write_meta(R);
	printf("run incomplete: %s\n", why);
}

#define usage(...) opt_bad_usage("run", __VA_ARGS__)

/* Everything before the first case: signals, the run token and secret, the run directory
 * claimed, the watchman, run.json saying "running".  0, or -1 (said on stderr). */
static int start_run(struct run *R, const char *argv0, const char *out)
{
	install_signals();
	sweep_new_run_token();
	sweep_new_run_secret();	/* in the probes' environment only: run.json has the token */
#ifdef PR_SET_CHILD_SUBREAPER
	/* Orphaned peers of a killed probe become ours, so exec_run() can reap them. */
	prctl(PR_SET_CHILD_SUBREAPER, 1);
#endif
	if (rundir_create(&R->store, out, R->cfg.output) < 0)
		return -1;
	/* From here on a killed runner leaves a directory its watchman marks incomplete. */
	strays_adopt();	/* from here on, an orphan of anything the runner starts is its child */
	if (guard_start(R->store.fd, R->store.dir) < 0)
		fprintf(stderr, "ipcprobe run: warning: no watchman (%s): if the runner is killed, "
				"run.json will still say \"running\"\n", strerror(errno));
	R->t0 = now_ns();
	R->fancy = tty_fancy();
	R->meta = start_meta(R, argv0);
	R->cases = json_object_get(R->meta, "cases");
	return write_meta(R);
}

/* After the cases: the final files, the summary, the report.  0, or -1 when a file or the
 * report could not be written. */
static int end_run(struct run *R, size_t done, size_t total)
{
	char why[256] = "", err[2048];
	/* The runner's own memory over the cases (it holds one stdout line at a time), before
	 * the report, which loads every record. */
	json_object_set_new(R->meta, "runner_peak_rss_kib", json_integer(peak_rss_kib()));
	if (exec_stop_signal)
		snprintf(why, sizeof(why), "interrupted by signal %d (%s) after %zu of %zu case runs",
			 (int)exec_stop_signal, strsignal((int)exec_stop_signal), done, total);
	else if (R->store.write_errno)
		snprintf(why, sizeof(why), "records could not be written (%s) after %zu of %zu case "
			 "runs; %s and run again", strerror(R->store.write_errno), done, total,
			 R->store.write_errno == EFBIG ? "raise the file size limit (ulimit -f)" :
							 "free space");
	/* The machine's own state moved (sentinel.h): decided over the whole run. */
	json_object_set_new(R->meta, "sentinel", sentinel_judge(R->cases));
	/* The watchman stays until the report is drawn: killed meanwhile, the run directory
	 * must not say complete with no report in it (guard.c reads "report"). */
	json_object_set_new(R->meta, "report", json_string("pending"));
	int rc = finish(R, why[0] ? "incomplete" : "complete", why[0] ? why : NULL);
	if (write_summaries(R, &R->summary) < 0)
		rc = -1;
	progress_summary(R, R->summary);
	if (why[0])
		printf("run incomplete: %s\n", why);
	int stopped_before_report = exec_stop_signal;
	int drawn = report_write_at(rundir_ref(&R->store), err, sizeof(err)) == 0;
	if (!drawn) {
		fprintf(stderr, "ipcprobe run: report: %s\n", err);
		rc = -1;
	}
	json_object_set_new(R->meta, "report", json_string(drawn ? "written" : "failed"));
	if (!stopped_before_report && exec_stop_signal)
		report_interrupted(R);	/* writes run.json */
	else if (write_meta(R) < 0)
		rc = -1;
	guard_finish();
	printf("results: %s/records.jsonl\nrun:     %s/run.json\nreport:  %s/report.html\n",
	       R->store.dir, R->store.dir, R->store.dir);
	return rc;
}

/* What the run will do, in one line (and the seed that replays its order). */
static void print_plan(const struct run *R)
{
	const struct config *c = &R->cfg;
	if (c->precision > 0)
		printf("ipcprobe: %s: %zu cases, each repeated (at least %d times) until its 95%% "
		       "interval is within %g%% of its median or it has run %.0f s; seed %llu; into "
		       "%s\n", c->name, c->ncases, c->repetitions, c->precision * 100,
		       (double)c->max_time_ns / 1e9, (unsigned long long)R->sched.seed,
		       R->store.dir);
	else
		printf("ipcprobe: %s: %zu cases x %d repetitions, in %s rounds (seed %llu) into "
		       "%s\n", c->name, c->ncases, c->repetitions,
		       c->plan_order ? "plan-ordered" : "shuffled",
		       (unsigned long long)R->sched.seed, R->store.dir);
}

/* The case runs, round by round (schedule.h): each round every case still repeating runs
 * once, in a fresh shuffled order, so that slow drifts of the machine spread over all cases
 * rather than landing on one. */
static void run_rounds(struct run *R, size_t *done, size_t *total)
{
	size_t *order = calloc(R->cfg.ncases ? R->cfg.ncases : 1, sizeof(*order)), k;
	if (!order)
		abort();
	while (!exec_stop_signal && !R->store.write_errno && (k = sched_round(&R->sched, order))) {
		if (*done + k > *total)
			*total = *done + k;
		for (size_t j = 0; j < k && !exec_stop_signal && !R->store.write_errno; j++) {
			size_t i = order[j];
			R->counts[run_case(R, i, R->sched.c[i].reps, (*done)++, *total)]++;
		}
	}
	free(order);
	json_object_set_new(R->meta, "schedule", sched_json(&R->sched, &R->cfg));
}

/* run's command line: what it asks beside the config (usage.c "run"). */
struct run_args {
	const char *config, *out, *filter, *export_json;
	int repetitions;	/* 0: the config's */
	const char *params[PLAN_MAX_KEYS];	/* --param KEY=VALUE[,VALUE...] */
	int nparams;
};

/* One option of run's (options.c) into A and R->quiet.  0, or bad usage's status. */
static int take_option(int id, const char *v, struct run_args *A, struct run *R)
{
	char *end;
	long n;
	switch (id) {
	case 'q':
		R->quiet = 1;
		return 0;
	case 'o':
		A->out = v;
		return 0;
	case OPT_FILTER:
		A->filter = v;
		return 0;
	case OPT_EXPORT_JSON:
		A->export_json = v;
		return 0;
	case OPT_PARAM:
		if (A->nparams == PLAN_MAX_KEYS)
			return usage("more than 32 --param options");
		A->params[A->nparams++] = v;
		return 0;
	case OPT_REPETITIONS:
		n = strtol(v, &end, 10);
		if (*end || end == v || n < 1 || n > 100000)
			return usage("--repetitions takes a whole number from 1 to 100000");
		A->repetitions = (int)n;
		return 0;
	}
	return usage("an option the table has and run does not");
}

/* argv into A and R->quiet (getopt_long, from options.c's table).  0, or the exit status:
 * bad usage (said on stderr), or 0 after --help. */
static int parse_args(int argc, char **argv, struct run_args *A, struct run *R, int *stop)
{
	struct opt_iter it;
	const char *v;
	int c, rc;
	opt_begin(&it, argc, argv);
	while ((c = opt_next(&it, &v)) != OPT_END) {
		if (c == OPT_STOP) {
			*stop = 1;
			return it.status;
		}
		if (c != OPT_ARG)
			rc = take_option(c, v, A, R);
		else if (!A->config)
			A->config = v, rc = 0;
		else
			rc = usage("unexpected argument %s (one CONFIG is run)", v);
		if (rc) {
			*stop = 1;
			return rc;
		}
	}
	if (!A->config) {
		*stop = 1;
		return usage("no CONFIG given");
	}
	return 0;
}

/* The overrides into R->cfg, after config_load: the filter, the repetitions.  0, or -1. */
static int apply_overrides(struct run *R, const struct run_args *A)
{
	if (A->filter && run_filter_cases(&R->cfg, A->filter) < 0)
		return -1;
	if (A->repetitions)
		R->cfg.repetitions = A->repetitions;
	return 0;
}

/* The config with the --param overrides in it (config.h), then the filter and the
 * repetitions.  0, or -1 (said on stderr). */
static int load_config(struct run *R, const struct run_args *A, char *err, size_t errlen)
{
	if (config_load_params(A->config, A->params, A->nparams, &R->cfg, err, errlen) < 0) {
		/* Every error, one a line; one of an override names the command too. */
		for (const char *e = err; *e;) {
			size_t l = strcspn(e, "\n");
			fprintf(stderr, "%s%.*s\n", !strncmp(e, "--param", 7) ? "ipcprobe run: " : "",
				(int)l, e);
			e += l + (e[l] == '\n');
		}
		return -1;
	}
	if (R->cfg.merged_cases && !R->quiet)
		fprintf(stderr, "ipcprobe run: --param made %zu case%s the same as another; each "
			"runs once\n", R->cfg.merged_cases, R->cfg.merged_cases == 1 ? "" : "s");
	if (apply_overrides(R, A) < 0) {
		config_free(&R->cfg);
		return -1;
	}
	return 0;
}

/* run.json config.command_line: which overrides applied (null: none). */
static void note_command_line(struct run *R, const struct run_args *A)
{
	json_t *cl = json_pack("{s:o, s:o, s:b}", "filter", json_string_lossy(A->filter),
			       "export_json", json_string_lossy(A->export_json), "quiet", R->quiet);
	json_object_set_new(cl, "repetitions",
			    A->repetitions ? json_integer(A->repetitions) : json_null());
	json_t *params = json_array();
	for (int k = 0; k < A->nparams; k++)
		json_array_append_new(params, json_string_lossy(A->params[k]));
	json_object_set_new(cl, "params", params);
	json_object_set_new(json_object_get(R->meta, "config"), "command_line", cl);
	write_meta(R);
}

int cmd_run(int argc, char **argv)
{
	struct run R;
	struct run_args A = { 0 };
	char err[CONFIG_ERRLEN];
	memset(&R, 0, sizeof(R));
	int stop = 0, rc = parse_args(argc, argv, &A, &R, &stop);
	if (stop)
		return rc;
	if (load_config(&R, &A, err, sizeof(err)) < 0)
		return EXIT_BAD_INPUT;
	sched_init(&R.sched, &R.cfg);
	R.colour = tty_colour();
	if (start_run(&R, argv[0], A.out) < 0) {
		sched_free(&R.sched);
		json_decref(R.meta);
		config_free(&R.cfg);
		return EXIT_BAD_INPUT;
	}
	note_command_line(&R, &A);
	size_t total = R.cfg.ncases * (size_t)R.cfg.repetitions, done = 0;
	if (!R.quiet)
		print_plan(&R);
	run_rounds(&R, &done, &total);
	rc = end_run(&R, done, total);
	if (A.export_json && run_export_json(&R, A.export_json) < 0)
		rc = -1;
	sched_free(&R.sched);
	json_decref(R.summary);
	json_decref(R.meta);
	config_free(&R.cfg);
	if (exec_stop_signal)
		return 128 + (int)exec_stop_signal;
	return rc < 0 || R.store.write_errno || R.counts[ST_FAILED] || R.counts[ST_TIMEOUT] ?
		       EXIT_CASE_FAILED : EXIT_ALL_OK;
}
