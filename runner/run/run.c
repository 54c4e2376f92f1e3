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
#include "cli/commands.h"
#include "config/config.h"
#include "exec/exec.h"
#include "exec/guard.h"
#include "names.h"
#include "param.h"
#include "store/platform.h"
#include "store/records.h"
#include "exec/sweep.h"
#include "timing.h"
#include "common/util.h"
#include "common/vocab.h"
#include "report/report.h"

#define MAX_LINE (1 << 20)
#define RESERVE_BYTES (256 * 1024)
#define IPCPROBE_VERSION "0.1.0"

struct run {
	struct config cfg;
	char dir[PATH_MAX];
	char partial[PATH_MAX + 32];
	int records;		/* records.jsonl.partial */
	off_t records_len;	/* its whole lines so far */
	int write_errno;	/* why records could not be written (the run stops), or 0 */
	char reserve[PATH_MAX + 32];	/* space kept for the final files; see make_run_dir() */
	json_t *meta;		/* run.json */
	json_t *cases;		/* run.json "cases" */
	int counts[ST_COUNT];	/* per status (vocab.h ST_*) */
	int64_t t0;
	int fancy;
};

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
}

/* Now, UTC, as ISO 8601 (iso) or as a directory stamp. */
static void utc_now(char *buf, size_t len, int iso)
{
	time_t t = time(NULL);
	struct tm tm;
	gmtime_r(&t, &tm);
	if (iso)
		strftime(buf, len, "%Y-%m-%dT%H:%M:%SZ", &tm);
	else
		strftime(buf, len, "%Y%m%dT%H%M%SZ", &tm);
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

/* ---- the run directory ------------------------------------------------------------------- */

/* The run's token: 64 random bits in IPCPROBE_RUN_TOKEN, which every probe puts into the IPC
 * names and SysV keys it makes (probes/lib/cleanup.c), so that the sweep after a killed probe
 * removes this run's objects and never another run's whose process group has the same number
 * (another PID namespace, a container, a concurrent CI job).  Whatever the environment held is
 * replaced. */
static void choose_run_token(void)
{
	uint64_t t = 0;
	int fd = open("/dev/urandom", O_RDONLY | O_CLOEXEC);
	if (fd < 0 || read(fd, &t, sizeof(t)) != (ssize_t)sizeof(t))
		t = (uint64_t)now_ns() * 0x9e3779b97f4a7c15ull ^ (uint64_t)getpid() << 32;
	if (fd >= 0)
		close(fd);
	char hex[17];
	snprintf(hex, sizeof(hex), "%016llx", (unsigned long long)t);
	setenv("IPCPROBE_RUN_TOKEN", hex, 1);
}

/* Keep RESERVE_BYTES of the file system for the run's last words: if the disk fills up
 * during the run, this file is removed so run.json can still say what happened.  A file
 * system without even that much is refused at the start, and what we made removed.  The
 * file is created with O_EXCL, and that is also how a run claims its directory: of two runs
 * given the same empty directory, only one can create it. */
static int reserve_space(struct run *R, int made_dir)
{
	static char zeros[64 * 1024];
	snprintf(R->reserve, sizeof(R->reserve), "%s/%s", R->dir, RUN_SPACE_RESERVE);
	int fd = open(R->reserve, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
	if (fd < 0 && errno == EEXIST) {
		fprintf(stderr, "ipcprobe run: %s is being used by another run; choose another -o "
				"DIR\n", R->dir);
		return -1;
	}
	int rc = fd < 0 ? -1 : 0;
	for (int i = 0; rc == 0 && i < RESERVE_BYTES / (int)sizeof(zeros); i++)
		rc = write_all(fd, zeros, sizeof(zeros));
	if (rc == 0)
		rc = fsync(fd) < 0 && errno != EINVAL ? -1 : 0;
	int e = errno;
	if (fd >= 0)
		close(fd);
	if (rc == 0)
		return 0;
	fprintf(stderr, "ipcprobe run: cannot write in %s: %s; free some space there or choose "
			"another -o DIR\n", R->dir, strerror(e));
	if (fd >= 0)
		unlink(R->reserve);
	if (made_dir)
		rmdir(R->dir);
	return -1;
}

/* Does dir hold nothing at all? */
static int dir_is_empty(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	int empty = d != NULL;
	while (d && empty && (e = readdir(d)))
		empty = !strcmp(e->d_name, ".") || !strcmp(e->d_name, "..");
	if (d)
		closedir(d);
	return empty;
}

/* -o DIR: it must not exist, or be an empty directory (results are never written over). */
static int make_given_dir(struct run *R, const char *opt_dir, int *made)
{
	struct stat st;
	snprintf(R->dir, sizeof(R->dir), "%s", opt_dir);
	int existed = lstat(R->dir, &st) == 0;
	if (existed && !S_ISDIR(st.st_mode)) {
		fprintf(stderr, "ipcprobe run: %s exists and is not a directory; choose another -o "
				"DIR\n", R->dir);
		return -1;
	}
	if (mkdir_p(R->dir, 0755) < 0) {
		fprintf(stderr, "ipcprobe run: cannot create %s: %s\n", R->dir, strerror(errno));
		return -1;
	}
	*made = !existed;
	if (!dir_is_empty(R->dir)) {
		fprintf(stderr, "ipcprobe run: %s: not empty; results are never written over: "
				"choose a new -o DIR\n", R->dir);
		return -1;
	}
	return 0;
}

/* The default: OUTPUT/<UTC time>-<host>, made with one mkdir() so that it is this run's
 * alone; -2, -3, ... when another run started in the same second took the name. */
static int make_default_dir(struct run *R)
{
	char stamp[64], host[128] = "host";
	utc_now(stamp, sizeof(stamp), 0);
	gethostname(host, sizeof(host) - 1);
	host[strcspn(host, ".")] = '\0';
	if (mkdir_p(R->cfg.output, 0755) < 0) {
		fprintf(stderr, "ipcprobe run: cannot create %s: %s\n", R->cfg.output,
			strerror(errno));
		return -1;
	}
	for (int k = 1; k <= 1000; k++) {
		if (k == 1)
			snprintf(R->dir, sizeof(R->dir), "%s/%s-%s", R->cfg.output, stamp, host);
		else
			snprintf(R->dir, sizeof(R->dir), "%s/%s-%s-%d", R->cfg.output, stamp, host, k);
		if (mkdir(R->dir, 0755) == 0)
			return 0;
		if (errno != EEXIST)
			break;
	}
	fprintf(stderr, "ipcprobe run: cannot create %s: %s\n", R->dir, strerror(errno));
	return -1;
}

/* Choose and claim the run directory, then make its logs/ and the records file: all new,
 * all this run's. */
static int make_run_dir(struct run *R, const char *opt_dir)
{
	int made = 1;
	if ((opt_dir ? make_given_dir(R, opt_dir, &made) : make_default_dir(R)) < 0)
		return -1;
	if (reserve_space(R, made) < 0)
		return -1;
	char logs[PATH_MAX + 8];
	snprintf(logs, sizeof(logs), "%s/logs", R->dir);
	if (mkdir(logs, 0755) < 0) {
		fprintf(stderr, "ipcprobe run: cannot create %s: %s\n", logs, strerror(errno));
		return -1;
	}
	snprintf(R->partial, sizeof(R->partial), "%s/records.jsonl.partial", R->dir);
	R->records = open(R->partial, O_WRONLY | O_CREAT | O_EXCL | O_APPEND | O_CLOEXEC, 0644);
	if (R->records < 0) {
		fprintf(stderr, "ipcprobe run: cannot create %s: %s\n", R->partial, strerror(errno));
		return -1;
	}
	return 0;
}

static int write_meta(struct run *R)
{
	char path[PATH_MAX + 16], err[512];
	snprintf(path, sizeof(path), "%s/run.json", R->dir);
	if (write_json_atomic(path, R->meta, err, sizeof(err)) < 0) {
		fprintf(stderr, "ipcprobe run: %s\n", err);
		return -1;
	}
	return 0;
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
	json_t *m = json_pack("{s:i, s:s, s:s, s:n, s:s, s:n, s:n, s:O, s:s, s:s, s:{s:s, s:o, s:b}, "
			      "s:o, s:o, s:o, s:{s:s, s:s?, s:O}, s:{s:I, s:i}, s:n, s:[]}",
			      "schema", 1, "name", R->cfg.name, "status", "running", "reason",
			      "started", stamp, "ended", "duration_s", "host",
			      json_object_get(facts, "hostname"), "run_dir", R->dir, "ipc_token", ipc_run_token(), "ipcprobe",
			      "version", IPCPROBE_VERSION, "git_commit", commit, "git_dirty", dirty,
			      "platform", facts, "limits", platform_limits(), "warnings",
			      platform_warnings(), "config", "path", R->cfg.path, "text", text,
			      "parsed", R->cfg.json, "plan", "cases", (json_int_t)R->cfg.ncases,
			      "repetitions", R->cfg.repetitions, "summary", "cases");
	free(text);
	return m;
}

/* ---- one case ---------------------------------------------------------------------------- */

struct case_run {
	struct run *R;
	const struct plan_case *pc;
	int rep;
	int nrecords;
	char bad[700];		/* the first malformed line's problem */
	int lineno;
	json_t *first_ok;	/* the first ok record, for the summary table */
	json_t *status_rec;	/* an unsupported/failed record the probe printed itself */
};

static int same_str(json_t *v, const char *s)
{
	if (!s)
		return json_is_null(v);
	return json_is_string(v) && strcmp(json_string_value(v), s) == 0;
}

/* One write() per record, newline included, so that a runner killed at any moment leaves
 * whole lines (and at most the last one cut, which the readers of .partial files drop). */
static void append_record(struct run *R, json_t *r)
{
	char *line = R->write_errno ? NULL : json_dumps(r, JSON_COMPACT | JSON_REAL_PRECISION(17));
	if (!line)
		return;
	size_t len = strlen(line);
	line[len] = '\n';	/* over the NUL: written by length */
	if (write_all(R->records, line, len + 1) == 0) {
		R->records_len += (off_t)len + 1;
	} else {
		/* A full disk: take back the cut line and stop the run (run_case's callers look). */
		R->write_errno = errno;
		if (ftruncate(R->records, R->records_len) < 0)
			fprintf(stderr, "ipcprobe run: ftruncate %s: %s\n", R->partial,
				strerror(errno));
		fprintf(stderr, "ipcprobe run: writing %s: %s; stopping the run\n", R->partial,
			strerror(R->write_errno));
	}
	free(line);
}

/* A line of the probe's stdout: a record, checked, stamped with the repetition, appended. */
static int on_line(void *arg, const char *line, size_t len)
{
	struct case_run *C = arg;
	char err[512];
	int col;
	C->lineno++;
	if (len == 0)
		return 0;
	json_t *r = record_parse_line(line, len, &col, err, sizeof(err));
	if (r && (!same_str(json_object_get(r, "probe"), C->pc->probe->name) ||
		  !same_str(json_object_get(r, "case"), C->pc->case_name) ||
		  !same_str(json_object_get(r, "transport"), C->pc->transport))) {
		snprintf(err, sizeof(err), "the record is for another probe, case or transport");
		json_decref(r);
		r = NULL;
	}
	if (!r) {
		snprintf(C->bad, sizeof(C->bad), "probe printed a malformed record on line %d, "
			 "column %d: %s", C->lineno, col, err);
		return 1;
	}
	json_object_set_new(r, "rep", json_integer(C->rep));
	if (C->pc->interpreter)
		json_object_set_new(r, "interpreter", json_string(C->pc->interpreter));
	append_record(C->R, r);
	C->nrecords++;
	const char *st = json_string_value(json_object_get(r, "status"));
	if (strcmp(st, "ok") == 0) {
		if (!C->first_ok)
			C->first_ok = json_incref(r);
	} else if (!C->status_rec) {
		C->status_rec = json_incref(r);
	}
	json_decref(r);
	return 0;
}

/* What a log file says, trailing blank lines dropped: its last line (what a failing probe
 * said last), or all of it when whole (an interpreter that fails to start, such as a pyenv
 * shim not activated, exits 127 with several lines that together explain it). */
static void log_said(const char *path, int whole, char *buf, size_t len)
{
	char e[128];
	size_t n;
	char *text = read_file(path, &n, e, sizeof(e));
	buf[0] = '\0';
	if (!text)
		return;
	while (n > 0 && (text[n - 1] == '\n' || text[n - 1] == ' '))
		text[--n] = '\0';
	char *nl = whole ? NULL : strrchr(text, '\n');
	snprintf(buf, len, "%s", nl ? nl + 1 : text);
	free(text);
}

/* Decide the case's status and reason from how the probe ended and what it printed: its last
 * line, or everything it printed when an interpreter ended without a single record (it did
 * not get as far as the probe). */
static const char *verdict(struct case_run *C, const struct exec_outcome *o, const char *log,
			   char *reason, size_t len)
{
	char said[900], how[96];
	log_said(log, C->pc->interpreter && C->nrecords == 0, said, sizeof(said));
	reason[0] = '\0';
	/* Stopped, unless it finished whole anyway (exit 0 with its records, e.g. it ended
	 * between the signal and our SIGTERM). */
	if (o->stopped && !(WIFEXITED(o->status) && WEXITSTATUS(o->status) == 0 &&
			    C->nrecords > 0 && !C->bad[0])) {
		snprintf(reason, len, "interrupted by signal %d (%s) to the runner",
			 (int)exec_stop_signal, strsignal((int)exec_stop_signal));
		return "failed";
	}
	if (o->timed_out) {
		snprintf(reason, len, "no result within %s; killed (SIGTERM, then SIGKILL)",
			 fmt_duration(C->pc->timeout_ns, how, sizeof(how)));
		return "timeout";
	}
	if (C->bad[0]) {
		snprintf(reason, len, "%s", C->bad);
		return "failed";
	}
	if (o->line_too_long) {
		snprintf(reason, len, "probe printed a line longer than %d bytes", MAX_LINE);
		return "failed";
	}
	if (WIFSIGNALED(o->status)) {
		int s = WTERMSIG(o->status);
		snprintf(reason, len, "killed by signal %d (%s)%s%s", s, signal_name(s),
			 said[0] ? ": " : "", said);
		return "failed";
	}
	int code = WEXITSTATUS(o->status);
	if (code == 0 && C->nrecords > 0)
		return "ok";
	if (code == 0) {
		snprintf(reason, len, "exited 0 without a record");
		return "failed";
	}
	if (code == 3) {
		snprintf(reason, len, "%s", said[0] ? said : "unsupported on this platform");
		return "unsupported";
	}
	if (code == 2) {
		snprintf(reason, len, "bad arguments: %s", said[0] ? said : "(no message)");
		return "failed";
	}
	snprintf(reason, len, "exit %d%s%s", code, said[0] ? ": " : "", said);
	return "failed";
}

/* The interpreter's full path on PATH into buf, or NULL when it is not installed. */
static const char *find_in_path(const char *name, char *buf, size_t len)
{
	const char *path = getenv("PATH");
	char *copy = xstrdup(path ? path : "/usr/local/bin:/usr/bin:/bin"), *save, *dir;
	const char *found = NULL;
	for (dir = strtok_r(copy, ":", &save); dir && !found; dir = strtok_r(NULL, ":", &save)) {
		snprintf(buf, len, "%s/%s", *dir ? dir : ".", name);
		if (access(buf, X_OK) == 0)
			found = buf;
	}
	free(copy);
	return found;
}

/* argv for one case: the probe (or its interpreter, then the probe), --case, --transport,
 * --param k=v; interp is the interpreter's path or NULL.  Free with free_argv(). */
static char **build_argv(const struct plan_case *pc, char *interp)
{
	size_t n = 0;
	char **argv = calloc(7 + 2 * pc->nparams, sizeof(char *));
	if (interp)
		argv[n++] = interp;
	argv[n++] = pc->probe->path;
	argv[n++] = "--case";
	argv[n++] = pc->case_name;
	if (pc->transport) {
		argv[n++] = "--transport";
		argv[n++] = pc->transport;
	}
	for (size_t k = 0; k < pc->nparams; k++) {
		argv[n++] = "--param";
		argv[n++] = xasprintf("%s=%s", pc->params[k].key, pc->params[k].text);
	}
	return argv;
}

/* Free what build_argv() allocated: the "key=value" strings after each --param. */
static void free_argv(char **argv)
{
	for (size_t i = 0; argv[i] && argv[i + 1]; i++)
		if (!strcmp(argv[i], "--param"))
			free(argv[++i]);
	free(argv);
}

/* Run plan case i, repetition rep; returns its status index. */
static int run_case(struct run *R, size_t i, int rep, size_t done, size_t total)
{
	const struct plan_case *pc = &R->cfg.cases[i];
	struct case_run C = { .R = R, .pc = pc, .rep = rep };
	char log_rel[PATH_MAX], log[PATH_MAX * 2], reason[1024], err[256];
	snprintf(log_rel, sizeof(log_rel), "logs/%03zu-%s-%s%s%s-r%d.log", i, pc->probe->name,
		 pc->case_name, pc->transport ? "-" : "", pc->transport ? pc->transport : "", rep);
	snprintf(log, sizeof(log), "%s/%s", R->dir, log_rel);

	if (R->fancy) {
		double el = (double)(now_ns() - R->t0) / 1e9;
		printf("\r\033[K[%3zu/%zu] %s  rep %d/%d  elapsed %.1fs", done + 1, total, pc->label,
		       rep + 1, R->cfg.repetitions, el);
		if (done > 0)
			printf("  eta ~%.0fs", el / (double)done * (double)(total - done));
		fflush(stdout);
	}
	char interp[4096];
	const char *ipath = pc->interpreter ? find_in_path(pc->interpreter, interp, sizeof(interp)) :
					      NULL;
	char **argv = build_argv(pc, (char *)ipath);
	struct exec_spec spec = { .argv = argv, .err_to = ERR_APPEND, .stderr_path = log,
				  .timeout_ns = pc->timeout_ns,
				  .max_line = MAX_LINE, .on_line = on_line, .arg = &C,
				  .on_start = guard_probe_started };
	struct exec_outcome o = { 0 };
	const char *status;
	if (pc->interpreter && !ipath) {
		snprintf(reason, sizeof(reason), "interpreter %s is not installed here (not on PATH)",
			 pc->interpreter);
		status = "unsupported";
	} else if (exec_run(&spec, &o, err, sizeof(err)) < 0) {
		snprintf(reason, sizeof(reason), "could not start the probe: %s", err);
		status = "failed";
	} else {
		status = verdict(&C, &o, log, reason, sizeof(reason));
	}
	if (R->write_errno && strcmp(status, "ok") == 0) {
		snprintf(reason, sizeof(reason), "its records could not all be written: %s",
			 strerror(R->write_errno));
		status = "failed";
	}
	free_argv(argv);
	/* A probe killed before its own clean-up leaves names carrying its group id. */
	json_t *swept = json_array();
	if (o.pid > 0) {
		sweep_group(o.pid, ipc_run_token(), swept);
		guard_probe_ended(o.pid);
	}

	/* Every case says how it ended: when the probe's own records do not, the runner adds
	 * one (and, for a probe that reported unsupported itself, its record stands). */
	int own_status_ok = C.status_rec && strcmp(status, "unsupported") == 0;
	if (strcmp(status, "ok") != 0 && !own_status_ok) {
		json_t *r = record_make_status(pc->probe->name, pc->case_name, pc->transport,
					       pc->params_json, pc->metric, pc->unit, pc->direction,
					       status, reason);
		json_object_set_new(r, "rep", json_integer(rep));
		if (pc->interpreter)
			json_object_set_new(r, "interpreter", json_string(pc->interpreter));
		append_record(R, r);
		json_decref(r);
	}
	if (own_status_ok)
		snprintf(reason, sizeof(reason), "%s",
			 json_string_value(json_object_get(C.status_rec, "reason")));
	fsync(R->records);

	char how[96], value[64] = "-";
	if (o.pid > 0 && !o.spawn_failed) {
		if (o.timed_out)
			snprintf(how, sizeof(how), "timeout");
		else if (WIFSIGNALED(o.status))
			snprintf(how, sizeof(how), "killed by signal %d (%s)", WTERMSIG(o.status),
				 signal_name(WTERMSIG(o.status)));
		else
			snprintf(how, sizeof(how), "exit %d", WEXITSTATUS(o.status));
	} else {
		snprintf(how, sizeof(how), "not started");
	}
	if (C.first_ok)
		fmt_record_value(C.first_ok, value, sizeof(value));
	json_t *entry = json_pack("{s:I, s:i, s:s, s:s, s:s, s:o, s:O, s:s, s:s?, s:s, s:f, s:i, "
				  "s:s, s:s, s:o}",
				  "index", (json_int_t)i, "rep", rep, "label", pc->label, "probe",
				  pc->probe->name, "case", pc->case_name, "transport",
				  pc->transport ? json_string(pc->transport) : json_null(), "params",
				  pc->params_json, "status", status, "reason",
				  strcmp(status, "ok") ? reason : NULL, "exit", how, "duration_s",
				  (double)o.duration_ns / 1e9, "records", C.nrecords, "log", log_rel,
				  "value", value, "swept", swept);
	if (pc->interpreter)
		json_object_set_new(entry, "interpreter", json_string(pc->interpreter));
	json_array_append_new(R->cases, entry);
	json_decref(C.first_ok);
	json_decref(C.status_rec);

	if (!R->fancy) {
		printf("[%zu/%zu] %s rep %d/%d: %s%s%s (%.2f s)\n", done + 1, total, pc->label,
		       rep + 1, R->cfg.repetitions, status, strcmp(status, "ok") ? ": " : " ",
		       strcmp(status, "ok") ? reason : value, (double)o.duration_ns / 1e9);
		fflush(stdout);
	} else if (strcmp(status, "ok") && strcmp(status, "unsupported")) {
		printf("\r\033[K%s rep %d: \033[31m%s\033[0m: %s\n", pc->label, rep + 1, status,
		       reason);
	}
	return vocab_status_index(status);
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

static void print_summary(struct run *R)
{
	size_t n = json_array_size(R->cases);
	int width = 10;
	json_t *e;
	size_t i;
	if (R->fancy)
		printf("\r\033[K");
	json_array_foreach(R->cases, i, e) {
		int l = (int)strlen(json_string_value(json_object_get(e, "label")));
		if (l > width)
			width = l;
	}
	if (width > 70)
		width = 70;
	printf("\n%-*s  %-4s  %-11s  %s\n", width, "case", "rep", "status", "value / reason");
	json_array_foreach(R->cases, i, e) {
		const char *st = json_string_value(json_object_get(e, "status"));
		const char *col = !R->fancy ? "" : !strcmp(st, "ok") ? "\033[32m" :
						 !strcmp(st, "unsupported") ? "\033[33m" : "\033[31m";
		const char *why = json_string_value(json_object_get(e, "reason"));
		printf("%-*.*s  %-4lld  %s%-11s%s  %.100s\n", width, width,
		       json_string_value(json_object_get(e, "label")),
		       (long long)json_integer_value(json_object_get(e, "rep")), col, st,
		       R->fancy ? "\033[0m" : "",
		       why ? why : json_string_value(json_object_get(e, "value")));
	}
	printf("\n%zu case runs: %d ok, %d unsupported, %d failed, %d timeout\n", n, R->counts[ST_OK],
	       R->counts[ST_UNSUPPORTED], R->counts[ST_FAILED], R->counts[ST_TIMEOUT]);
}

/* gbench.json: Google Benchmark's own JSON for the cases it timed, as its tools (compare.py)
 * read it: the context of the first such record and every record's entry.  Absent when no
 * probe ran under Google Benchmark. */
static int write_gbench(struct run *R, const char *records_path)
{
	char err[512], path[PATH_MAX + 16];
	json_t *recs = records_load(records_path, err, sizeof(err)), *r;
	json_t *context = NULL, *benchmarks = json_array();
	size_t i;
	int rc = 0;
	json_array_foreach(recs, i, r) {
		json_t *g = json_object_get(r, "gbench");
		if (!json_is_object(g))
			continue;
		if (!context && json_is_object(json_object_get(r, "gbench_context")))
			context = json_object_get(r, "gbench_context");
		json_array_append(benchmarks, g);
	}
	if (json_array_size(benchmarks)) {
		json_t *doc = json_pack("{s:O, s:O}", "context", context ? context : json_object(),
					"benchmarks", benchmarks);
		snprintf(path, sizeof(path), "%s/gbench.json", R->dir);
		if (write_json_atomic(path, doc, err, sizeof(err)) < 0) {
			fprintf(stderr, "ipcprobe run: %s\n", err);
			rc = -1;
		}
		json_decref(doc);
	}
	json_decref(benchmarks);
	json_decref(recs);
	return rc;
}

/* Close records.jsonl (rename the partial file) and write run.json with the final status. */
static int finish(struct run *R, const char *status, const char *reason)
{
	char stamp[64], path[PATH_MAX + 16];
	int rc = 0;
	utc_now(stamp, sizeof(stamp), 1);
	unlink(R->reserve);
	fsync(R->records);
	close(R->records);
	R->records = -1;
	snprintf(path, sizeof(path), "%s/records.jsonl", R->dir);
	if (rename(R->partial, path) < 0) {
		fprintf(stderr, "ipcprobe run: rename %s: %s\n", R->partial, strerror(errno));
		rc = -1;
	} else if (write_gbench(R, path) < 0) {
		rc = -1;
	}
	json_object_set_new(R->meta, "status", json_string(status));
	json_object_set_new(R->meta, "reason", reason ? json_string(reason) : json_null());
	json_object_set_new(R->meta, "ended", json_string(stamp));
	json_object_set_new(R->meta, "duration_s", json_real((double)(now_ns() - R->t0) / 1e9));
	json_object_set_new(R->meta, "summary",
			    json_pack("{s:i, s:i, s:i, s:i}", "ok", R->counts[ST_OK], "unsupported",
				      R->counts[ST_UNSUPPORTED], "failed", R->counts[ST_FAILED], "timeout",
				      R->counts[ST_TIMEOUT]));
	if (write_meta(R) < 0)
		rc = -1;
	return rc;
}

/* A signal while the report was drawn: every case was measured, but the report is not
 * whole (charts skipped), and run.json must not say "complete". */
static void report_interrupted(struct run *R)
{
	char why[PATH_MAX + 300];
	snprintf(why, sizeof(why), "interrupted by signal %d (%s) while drawing the report; every "
		 "case was measured: ipcprobe report %s draws the charts again",
		 (int)exec_stop_signal, strsignal((int)exec_stop_signal), R->dir);
	json_object_set_new(R->meta, "status", json_string("incomplete"));
	json_object_set_new(R->meta, "reason", json_string(why));
	write_meta(R);
	printf("run incomplete: %s\n", why);
}

static int usage(void)
{
	fprintf(stderr, "usage: ipcprobe run CONFIG [-o DIR]\n");
	return EXIT_BAD_INPUT;
}

int cmd_run(int argc, char **argv)
{
	struct run R;
	const char *config = NULL, *out = NULL;
	char err[2048];
	memset(&R, 0, sizeof(R));
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "-o") == 0 && i + 1 < argc)
			out = argv[++i];
		else if (argv[i][0] != '-' && !config)
			config = argv[i];
		else
			return usage();
	}
	if (!config)
		return usage();
	if (config_load(config, &R.cfg, err, sizeof(err)) < 0) {
		fprintf(stderr, "%s\n", err);
		return EXIT_BAD_INPUT;
	}
	install_signals();
	choose_run_token();
#ifdef PR_SET_CHILD_SUBREAPER
	/* Orphaned peers of a killed probe become ours, so exec_run() can reap them. */
	prctl(PR_SET_CHILD_SUBREAPER, 1);
#endif
	if (make_run_dir(&R, out) < 0) {
		config_free(&R.cfg);
		return EXIT_BAD_INPUT;
	}
	/* From here on a killed runner leaves a directory its watchman marks incomplete. */
	if (guard_start(R.dir) < 0)
		fprintf(stderr, "ipcprobe run: warning: no watchman (%s): if the runner is killed, "
				"run.json will still say \"running\"\n", strerror(errno));
	R.t0 = now_ns();
	R.fancy = tty_fancy();
	R.meta = start_meta(&R, argv[0]);
	R.cases = json_object_get(R.meta, "cases");
	if (write_meta(&R) < 0) {
		config_free(&R.cfg);
		return EXIT_BAD_INPUT;
	}

	size_t total = R.cfg.ncases * (size_t)R.cfg.repetitions, done = 0;
	printf("ipcprobe: %s: %zu cases x %d repetitions into %s\n", R.cfg.name, R.cfg.ncases,
	       R.cfg.repetitions, R.dir);
	/* Repetitions interleave the cases: each repetition is an independent process run, and
	 * slow drifts of the machine spread over all cases rather than landing on one. */
	for (int rep = 0; rep < R.cfg.repetitions && !exec_stop_signal && !R.write_errno; rep++)
		for (size_t i = 0; i < R.cfg.ncases && !exec_stop_signal && !R.write_errno; i++)
			R.counts[run_case(&R, i, rep, done++, total)]++;

	/* The runner's own memory over the cases (it holds one stdout line at a time), before
	 * the report, which loads every record. */
	json_object_set_new(R.meta, "runner_peak_rss_kib", json_integer(peak_rss_kib()));
	char why[256] = "";
	if (exec_stop_signal)
		snprintf(why, sizeof(why), "interrupted by signal %d (%s) after %zu of %zu case runs",
			 (int)exec_stop_signal, strsignal((int)exec_stop_signal), done, total);
	else if (R.write_errno)
		snprintf(why, sizeof(why), "records could not be written (%s) after %zu of %zu case "
			 "runs; free space and run again", strerror(R.write_errno), done, total);
	int rc = finish(&R, why[0] ? "incomplete" : "complete", why[0] ? why : NULL);
	guard_finish();
	print_summary(&R);
	if (why[0])
		printf("run incomplete: %s\n", why);
	int stopped_before_report = exec_stop_signal;
	if (report_write(R.dir, err, sizeof(err)) < 0) {
		fprintf(stderr, "ipcprobe run: report: %s\n", err);
		rc = -1;
	}
	if (!stopped_before_report && exec_stop_signal)
		report_interrupted(&R);
	printf("results: %s/records.jsonl\nrun:     %s/run.json\nreport:  %s/report.html\n", R.dir,
	       R.dir, R.dir);
	json_decref(R.meta);
	config_free(&R.cfg);
	if (exec_stop_signal)
		return 128 + (int)exec_stop_signal;
	return rc < 0 || R.write_errno || R.counts[ST_FAILED] || R.counts[ST_TIMEOUT] ? EXIT_CASE_FAILED : EXIT_ALL_OK;
}
