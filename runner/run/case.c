/* case.c - one case run: the probe started under its deadline, each stdout line checked as a
 * record and appended, its ending turned into a status and a reason, what a killed probe left
 * swept, and the case's entry in run.json. */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cleanup.h"
#include "common/util.h"
#include "common/vocab.h"
#include "exec/exec.h"
#include "exec/guard.h"
#include "exec/strays.h"
#include "exec/sweep.h"
#include "names.h"
#include "param.h"
#include "run/run.h"
#include "run/sentinel.h"
#include "store/machine.h"
#include "store/records.h"
#include "timing.h"

#define MAX_LINE (1 << 20)

struct case_run {
	struct run *R;
	size_t index;		/* in the plan */
	const struct plan_case *pc;
	int rep;
	int nrecords;
	char bad[700];		/* the first malformed line's problem */
	int lineno;
	json_t *first_ok;	/* the first ok record, for the summary table */
	json_t *status_rec;	/* an unsupported/failed record the probe printed itself */
	json_t *swept;		/* what the sweep removed after it */
	json_t *strays;		/* processes it left running outside its group, killed */
};

static int same_str(json_t *v, const char *s)
{
	if (!s)
		return json_is_null(v);
	return json_is_string(v) && strcmp(json_string_value(v), s) == 0;
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
	/* Its case run's entry in run.json "cases", which says what the machine was doing: the
	 * record is written now (the runner holds one line at a time), the entry at the end. */
	json_object_set_new(r, "case_run", json_integer((json_int_t)json_array_size(C->R->cases)));
	if (C->pc->interpreter)
		json_object_set_new(r, "interpreter", json_string(C->pc->interpreter));
	rundir_append(&C->R->store, r);
	sched_note_record(&C->R->sched, C->index, r);
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

/* How much of a probe's log is read back for what it said last: a probe that prints a
 * gigabyte on stderr costs the runner this much memory, not a gigabyte. */
#define LOG_TAIL_BYTES (64 * 1024)

/* What a log file (open as fd) says, trailing blank lines dropped: its last line (what a
 * failing probe said last), or all of its last LOG_TAIL_BYTES when whole (an interpreter
 * that fails to start, such as a pyenv shim not activated, exits 127 with several lines that
 * together explain it).  Read from the descriptor the probe wrote through, never by name. */
static void log_said(int fd, int whole, char *buf, size_t len)
{
	static char text[LOG_TAIL_BYTES + 1];
	struct stat st;
	ssize_t n = 0;
	buf[0] = '\0';
	if (fd < 0 || fstat(fd, &st) < 0)
		return;
	off_t from = st.st_size > LOG_TAIL_BYTES ? st.st_size - LOG_TAIL_BYTES : 0;
	while ((n = pread(fd, text, LOG_TAIL_BYTES, from)) < 0 && errno == EINTR)
		;
	if (n <= 0)
		return;
	text[n] = '\0';
	n = (ssize_t)strlen(text);	/* a NUL inside ends the text there */
	while (n > 0 && (text[n - 1] == '\n' || text[n - 1] == ' '))
		text[--n] = '\0';
	char *nl = whole ? NULL : strrchr(text, '\n');
	snprintf(buf, len, "%s", nl ? nl + 1 : text);
}

/* Decide the case's status and reason from how the probe ended and what it printed: its last
 * line, or everything it printed when an interpreter ended without a single record (it did
 * not get as far as the probe). */
static const char *verdict(struct case_run *C, const struct exec_outcome *o, int log,
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


/* Start the probe and decide how the case ended; its status ("ok", ...), reason in reason. */
static const char *exec_case(struct case_run *C, int log, struct exec_outcome *o,
			     char *reason, size_t len)
{
	const struct plan_case *pc = C->pc;
	char interp[4096], err[256];
	const char *ipath = pc->interpreter ? find_in_path(pc->interpreter, interp, sizeof(interp)) :
					      NULL;
	const char *status;
	if (pc->interpreter && !ipath) {
		snprintf(reason, len, "interpreter %s is not installed here (not on PATH)",
			 pc->interpreter);
		return "unsupported";
	}
	if (log < 0) {
		snprintf(reason, len, "could not create its log in logs/ (said on stderr)");
		return "failed";
	}
	char **argv = build_argv(pc, (char *)ipath);
	struct exec_spec spec = { .argv = argv, .err_to = ERR_FD, .stderr_fd = log,
				  .timeout_ns = pc->timeout_ns, .max_line = MAX_LINE,
				  .on_line = on_line, .arg = C, .on_start = guard_probe_started };
	if (exec_run(&spec, o, err, sizeof(err)) < 0) {
		snprintf(reason, len, "could not start the probe: %s", err);
		status = "failed";
	} else {
		status = verdict(C, o, log, reason, len);
	}
	free_argv(argv);
	return status;
}

/* A record that could not be written fails an ok case. */
static const char *check_written(struct case_run *C, const char *status, char *reason, size_t len)
{
	if (C->R->store.write_errno && strcmp(status, "ok") == 0) {
		snprintf(reason, len, "its records could not all be written: %s",
			 strerror(C->R->store.write_errno));
		return "failed";
	}
	return status;
}

/* Every case says how it ended: when the probe's own records do not, the runner adds one
 * (and, for a probe that reported unsupported itself, its record stands and its reason is
 * the case's). */
static void record_ending(struct case_run *C, const struct exec_outcome *o, const char *status,
			  char *reason, size_t len)
{
	const struct plan_case *pc = C->pc;
	/* The probe said how it ended in a record of its own and then exited saying the same
	 * (unsupported, or failed with exit 1): that record stands, and no second one is added
	 * (a failed case run counted not_ok: 2). */
	int exited = WIFEXITED(o->status) && !o->timed_out && !o->stopped && !C->bad[0];
	const char *own = json_string_value(json_object_get(C->status_rec, "status"));
	int own_status_ok = own && !strcmp(own, status) &&
			    (!strcmp(status, "unsupported") || (exited &&
								WEXITSTATUS(o->status) == 1));
	if (strcmp(status, "ok") != 0 && !own_status_ok) {
		json_t *r = record_make_status(pc->probe->name, pc->case_name, pc->transport,
					       pc->params_json, pc->metric, pc->unit, pc->direction,
					       status, reason);
		json_object_set_new(r, "rep", json_integer(C->rep));
		json_object_set_new(r, "case_run",
				    json_integer((json_int_t)json_array_size(C->R->cases)));
		if (pc->interpreter)
			json_object_set_new(r, "interpreter", json_string(pc->interpreter));
		rundir_append(&C->R->store, r);
		json_decref(r);
	}
	if (own_status_ok)
		snprintf(reason, len, "%s", json_string_value(json_object_get(C->status_rec, "reason")));
	fsync(C->R->store.records);
}

/* How the process ended, in a few words, for run.json's "exit". */
static void ending_words(const struct exec_outcome *o, char *how, size_t len)
{
	if (o->pid <= 0 || o->spawn_failed)
		snprintf(how, len, "not started");
	else if (o->timed_out)
		snprintf(how, len, "timeout");
	else if (WIFSIGNALED(o->status))
		snprintf(how, len, "killed by signal %d (%s)", WTERMSIG(o->status),
			 signal_name(WTERMSIG(o->status)));
	else
		snprintf(how, len, "exit %d", WEXITSTATUS(o->status));
}

/* The case's entry in run.json "cases". */
static json_t *case_entry(struct case_run *C, size_t i, const char *status, const char *reason,
			  const struct exec_outcome *o, const char *log_rel, const char *value,
			  json_t *swept)
{
	const struct plan_case *pc = C->pc;
	char how[96];
	ending_words(o, how, sizeof(how));
	json_t *entry = json_pack("{s:I, s:i, s:s, s:s, s:s, s:o, s:O, s:s, s:s?, s:s, s:f, s:i, "
				  "s:s, s:s, s:o}",
				  "index", (json_int_t)i, "rep", C->rep, "label", pc->label, "probe",
				  pc->probe->name, "case", pc->case_name, "transport",
				  pc->transport ? json_string(pc->transport) : json_null(), "params",
				  pc->params_json, "status", status, "reason",
				  strcmp(status, "ok") ? reason : NULL, "exit", how, "duration_s",
				  (double)o->duration_ns / 1e9, "records", C->nrecords, "log", log_rel,
				  "value", value, "swept", swept);
	if (pc->interpreter)
		json_object_set_new(entry, "interpreter", json_string(pc->interpreter));
	return entry;
}

/* Run the probe between two readings of the machine; the "machine" object of its case. */
static json_t *measured_exec(struct case_run *C, int log, struct exec_outcome *o,
			     const char **status, char *reason, size_t len)
{
	struct machine_sample before, after;
	char why[256];
	int disturbed;
	int64_t clock_read_ns = timer_overhead_ns();
	json_t *sentinel = sentinel_measure();
	machine_sample(&before);
	*status = exec_case(C, log, o, reason, len);
	/* A probe killed before its own clean-up leaves names carrying its group id. */
	if (o->pid > 0)
		sweep_group(o->pid, ipc_run_token(), ipc_run_secret(), C->swept);
	/* ... and a daemon it started in a session of its own is ours now (strays.h). */
	strays_kill(C->strays);
	machine_sample(&after);
	json_t *machine = machine_case(&before, &after, json_object_get(C->R->meta, "machine"),
				       clock_read_ns, &disturbed, why, sizeof(why));
	json_object_set_new(machine, "sentinel", sentinel);
	return machine;
}

int run_case(struct run *R, size_t i, int rep, size_t done, size_t total)
{
	const struct plan_case *pc = &R->cfg.cases[i];
	struct case_run C = { .R = R, .index = i, .pc = pc, .rep = rep, .swept = json_array(),
			      .strays = json_array() };
	char log_rel[PATH_MAX], reason[1024], value[64] = "—";
	const char *status;
	snprintf(log_rel, sizeof(log_rel), "logs/%03zu-%s-%s%s%s-r%d.log", i, pc->probe->name,
		 pc->case_name, pc->transport ? "-" : "", pc->transport ? pc->transport : "", rep);
	progress_case_start(R, pc, rep, done, total);
	struct exec_outcome o = { 0 };
	int log = rundir_open_log(&R->store, log_rel + strlen("logs/"));
	json_t *machine = measured_exec(&C, log, &o, &status, reason, sizeof(reason));
	if (log >= 0)
		close(log);
	if (o.pid > 0)
		guard_probe_ended(o.pid);
	status = check_written(&C, status, reason, sizeof(reason));
	record_ending(&C, &o, status, reason, sizeof(reason));
	if (C.first_ok)
		fmt_record_value(C.first_ok, value, sizeof(value));
	json_t *entry = case_entry(&C, i, status, reason, &o, log_rel, value, C.swept);
	json_object_set_new(entry, "disturbed", json_incref(json_object_get(machine, "disturbed")));
	json_object_set_new(entry, "machine", machine);
	if (json_array_size(C.strays))
		json_object_set(entry, "strays_killed", C.strays);
	json_decref(C.strays);
	json_array_append_new(R->cases, entry);
	rundir_append_case(&R->store, entry);
	json_decref(C.first_ok);
	json_decref(C.status_rec);
	sched_note_case(&R->sched, i, status, json_is_true(json_object_get(machine, "disturbed")),
			o.duration_ns);
	progress_case_end(R, pc, rep, done, total, status, strcmp(status, "ok") ? reason : value,
			  o.duration_ns);
	return vocab_status_index(status);
}
