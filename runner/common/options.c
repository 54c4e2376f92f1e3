/* options.c - the one table of every command's options (options.h).  An option is named,
 * given its value's name and said here only: the parsers (args.c), the usage text (usage.c),
 * the man page and the bash completion (doc/gen_options.c, `make docs`) take it from here. */
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "common/options.h"

const struct opt_spec opt_help = { 'h', "help", NULL, NULL, OC_NONE, 0, "this text",
				   "The command's usage on standard output (exit 0)." };

static const struct opt_spec run_opts[] = {
	{ 'o', NULL, "DIR", NULL, OC_DIR, 0,
	  "the run directory itself (must not exist, or be empty and\n"
	  "yours, writable by no one else; default:\n"
	  "results/<UTC time>-<host>/)",
	  "The run directory itself; it must not exist, or be an empty directory of the running "
	  "user's that no one else may write in (group-writable only when the group is the "
	  "user's).  Default: results/<UTC time>-<host>/." },
	{ 'q', "quiet", NULL, NULL, OC_NONE, 0,
	  "no progress and no table: only errors and the final paths",
	  "No plan line, no progress and no table: only errors (on standard error) and the final "
	  "paths." },
	{ OPT_FILTER, "filter", "REGEX", NULL, OC_NONE, 0,
	  "run only the cases whose label matches REGEX (POSIX extended),\n"
	  "e.g. 'latency/roundtrip pipe size=64' (the labels of run's table)",
	  "Run only the cases whose label matches the POSIX extended regular expression REGEX, "
	  "e.g. 'latency/roundtrip pipe size=64 '.  A label is the probe/case, the transport and "
	  "the parameters, as in the run's table.  A filter matching nothing is bad usage (exit "
	  "2) and lists the labels there are." },
	{ OPT_REPETITIONS, "repetitions", "N", NULL, OC_NONE, 0,
	  "repeat each case N times (the config's `repetitions` otherwise)",
	  "Repeat each case N times (1 to 100000), instead of the config's repetitions." },
	{ OPT_PARAM, "param", "KEY=V[,V...]", NULL, OC_NONE, 0,
	  "the values of parameter KEY in place of the config's, in every\n"
	  "entry whose cases have it, e.g. --param size=64,4KiB (repeatable;\n"
	  "cases it makes identical run once)",
	  "The values of parameter KEY in place of the config's, in every entry whose selected "
	  "cases have that parameter, e.g. --param size=64,4KiB.  The values are checked as the "
	  "config's are, and the labels name them; cases the override makes identical (entries "
	  "that differed only in KEY) run once.  A parameter no planned case has is bad usage "
	  "(exit 2).  Repeat the option for other parameters." },
	{ OPT_EXPORT_JSON, "export-json", "FILE", NULL, OC_FILE, 0,
	  "write the per-case table (label, rep, status, value, reason)\n"
	  "to FILE as JSON",
	  "Write the figures (name, unit, median, its interval, min, max, n, disturbed) and the "
	  "per-case table (label, rep, status, reason, disturbed) as JSON to FILE." },
	{ 0 },
};

static const struct opt_spec check_opts[] = {
	{ OPT_PLAN, "plan", NULL, NULL, OC_NONE, 0, "print the exact command of every case",
	  "Print the exact command of every case." },
	{ 0 },
};

static const struct opt_spec list_opts[] = {
	{ OPT_JSON, "json", NULL, NULL, OC_NONE, 0, "the probes' own --list descriptions",
	  "Print the probes' own --list descriptions, as one JSON array." },
	{ 0 },
};

static const struct opt_spec report_opts[] = {
	{ 'o', NULL, "OUT", NULL, OC_DIR, OF_SYNOPSIS, "where the side-by-side report goes",
	  "Where the report of several runs side by side goes (not a run directory)." },
	{ 0 },
};

static const struct opt_spec history_opts[] = {
	{ 'o', NULL, "OUT", NULL, OC_DIR, OF_SYNOPSIS, "the output directory",
	  "The output directory (not a run directory)." },
	{ OPT_MATCH, "match", "TEXT", NULL, OC_NONE, 0, "only figures whose name contains TEXT",
	  "Keep only the figures whose name contains TEXT." },
	{ 0 },
};

static const struct opt_spec compare_opts[] = {
	{ OPT_VS, "vs", NULL, NULL, OC_NONE, OF_SYNOPSIS,
	  "the runs after it are NEW's, those before it BASE's",
	  "The runs after it are NEW's, those before it BASE's: several runs a side, each run's "
	  "records more repetitions of its side (one run given twice on a side, by its run.json "
	  "ipc_token or its directory, is refused with exit status 2)." },
	{ OPT_THRESHOLD, "threshold", "P%", NULL, OC_NONE, 0,
	  "a regression is worse by more than P% (default 10%)",
	  "A timing is a regression only when worse by more than P percent (default 10%)." },
	{ OPT_FORMAT, "format", "F", "text|markdown|json", OC_NONE, 0,
	  "text (default), markdown or json",
	  "text (the default), markdown (ready to paste into a pull request) or json." },
	{ OPT_ALLOW_INCOMPLETE, "allow-incomplete", NULL, NULL, OC_NONE, 0,
	  "judge what an incomplete run has", "Judge what an incomplete run has." },
	{ OPT_ALLOW_MISSING, "allow-missing", NULL, NULL, OC_NONE, 0,
	  "figures of BASE missing from NEW, or unsupported in all of\n"
	  "NEW's repetitions, do not fail",
	  "Figures of BASE missing from NEW, or unsupported in every repetition of NEW, do not "
	  "fail the gate." },
	{ OPT_ALLOW_DISTURBED, "allow-disturbed", NULL, NULL, OC_NONE, 0,
	  "figures left with no undisturbed repetition do not fail",
	  "Figures left without an undisturbed repetition do not fail the gate." },
	{ 0 },
};

static const struct opt_spec export_opts[] = {
	{ OPT_FORMAT, "format", "F", "gbench|github-action-benchmark|csv", OC_NONE, OF_SYNOPSIS,
	  "gbench, github-action-benchmark or csv",
	  "gbench (Google Benchmark's JSON), github-action-benchmark (its customSmallerIsBetter "
	  "or customBiggerIsBetter JSON) or csv (RFC 4180)." },
	{ OPT_DIRECTION, "direction", "D", "smaller|bigger", OC_NONE, 0,
	  "github-action-benchmark: smaller or bigger",
	  "github-action-benchmark: the figures where smaller is better (the default) or those "
	  "where bigger is." },
	{ 0 },
};

static const struct opt_spec no_opts[] = { { 0 } };

const struct cmd_spec cmd_specs[] = {
	{ "run", "CONFIG [options]", "run a config: records, run.json and the report in a run directory",
	  "Run every case of CONFIG, repetitions interleaved; keep the records, run.json and the\n"
	  "report in the run directory.\n",
	  OC_CONFIG, run_opts,
	  "Exit status: 0 every case measured or unsupported, 1 a case failed or timed out,\n"
	  "2 bad usage or a bad config (nothing written), 128+N stopped by signal N.\n" },
	{ "check", "CONFIG... [options]", "validate configs without running anything",
	  "Validate configs without running anything; every error of a config is said, one a\n"
	  "line, each as FILE:LINE:COLUMN: KEY: message (the first 20, then how many more).\n",
	  OC_CONFIG, check_opts, "Exit status: 0 every config is valid, 2 one is not (said on stderr).\n" },
	{ "list", "[PROBE] [options]", "probes, their cases, metrics, transports and parameters",
	  "The probes, their cases, metrics, transports and parameters.\n", OC_PROBE, list_opts,
	  NULL },
	{ "report", "DIR\nDIR DIR... -o OUT", "a run's report again, or several runs side by side",
	  "Regenerate report.html, report.md and the charts of a run; with several runs, a report\n"
	  "of them side by side (machines, OSes, kernels) into OUT.\n", OC_DIR, report_opts, NULL },
	{ "history", "DIR... -o OUT [options]", "chosen figures over runs, as CI history",
	  "Chosen figures over runs, in the order they started (CI history).\n", OC_DIR,
	  history_opts, NULL },
	{ "compare", "BASE NEW [options]\nBASE... --vs NEW... [options]",
	  "regressions and improvements; exit 1 on a regression",
	  "Regressions and improvements between two runs (several runs a side: more repetitions).\n",
	  OC_DIR, compare_opts,
	  "Exit status: 0 no regression, 1 a regression, an incomplete run, missing or lost\n"
	  "figures, or a NEW without one ok figure; 2 bad usage, unreadable runs, or one run\n"
	  "given twice on a side.\n" },
	{ "export", "--format gbench|github-action-benchmark|csv [options] DIR",
	  "a run's records for other tools, on stdout",
	  "A run's records on stdout in a format another tool reads; one line on stderr says what\n"
	  "the format could not carry, and one which disturbed repetitions the figures leave out\n"
	  "as the report and compare do (csv keeps every row, with a disturbed column).\n",
	  OC_DIR, export_opts, NULL },
	{ "version", "", "the version and git commit (also ipcprobe --version)",
	  "The version and the git commit ipcprobe was built from (also ipcprobe --version).\n",
	  OC_NONE, no_opts, NULL },
	{ "help", "[COMMAND]", "this text, or a command's (also ipcprobe COMMAND --help)",
	  "Every command's synopsis, or COMMAND's usage, on stdout (exit 0).\n", OC_COMMAND,
	  no_opts, NULL },
	{ NULL },
};

const struct cmd_spec *cmd_find(const char *name)
{
	for (const struct cmd_spec *c = cmd_specs; name && c->name; c++)
		if (!strcmp(c->name, name))
			return c;
	return NULL;
}

const char *const *cmd_names(void)
{
	static const char *names[sizeof(cmd_specs) / sizeof(cmd_specs[0])];
	for (size_t i = 0; cmd_specs[i].name; i++)
		names[i] = cmd_specs[i].name;
	return names;
}

const struct opt_spec *opt_find(const struct cmd_spec *cmd, int id)
{
	for (const struct opt_spec *o = cmd->opts; o->id; o++)
		if (o->id == id)
			return o;
	return id == opt_help.id ? &opt_help : NULL;
}

const struct opt_spec *opt_at(const struct cmd_spec *cmd, int i)
{
	int n = 0;
	while (cmd->opts[n].id)
		n++;
	return i < n ? &cmd->opts[i] : i == n ? &opt_help : NULL;
}

/* "[-o DIR]", "[-q]", "[--filter REGEX]": one option as the synopsis writes it. */
static void synopsis_opt(const struct opt_spec *o, char *buf, size_t len)
{
	size_t l = strlen(buf);
	if (o->id < 256)
		snprintf(buf + l, len - l, " [-%c%s%s]", o->id, o->metavar ? " " : "",
			 o->metavar ? o->metavar : "");
	else
		snprintf(buf + l, len - l, " [--%s%s%s]", o->name, o->metavar ? " " : "",
			 o->metavar ? o->metavar : "");
}

const char *cmd_synopsis(const struct cmd_spec *cmd, const char *line, size_t linelen,
			 char *buf, size_t len)
{
	static const char tag[] = "[options]";
	const char *at = memmem(line, linelen, tag, sizeof(tag) - 1);
	size_t head = at ? (size_t)(at - line) : linelen;
	/* Written out once: a later line (compare's second) keeps "[options]". */
	int before = line > cmd->synopsis && line <= cmd->synopsis + strlen(cmd->synopsis) &&
		     memmem(cmd->synopsis, (size_t)(line - cmd->synopsis), tag, sizeof(tag) - 1);
	snprintf(buf, len, "%.*s", (int)(at && !before ? head : linelen), line);
	if (!at || before)
		return buf;
	if (head && buf[head - 1] == ' ')
		buf[head - 1] = '\0';
	for (const struct opt_spec *o = cmd->opts; o->id; o++)
		if (!(o->flags & OF_SYNOPSIS))
			synopsis_opt(o, buf, len);
	size_t l = strlen(buf), tail = head + sizeof(tag) - 1;
	snprintf(buf + l, len - l, "%.*s", (int)(linelen - tail), line + tail);
	return buf;
}
