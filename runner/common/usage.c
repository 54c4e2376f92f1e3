/* usage.c - the usage text of ipcprobe and of each subcommand: `ipcprobe help`, `ipcprobe
 * CMD --help` (stdout, exit 0) and bad usage (stderr, exit 2) print the same words, so that
 * what --help promises is what the parser takes.  The man page (doc/ipcprobe.1) says more. */
#include <stdio.h>
#include <string.h>

#include "common/exit.h"
#include "common/usage.h"

static const struct {
	const char *cmd, *text;
} usages[] = {
	{ "run",
	  "usage: ipcprobe run CONFIG [options]\n"
	  "Run every case of CONFIG, repetitions interleaved; keep the records, run.json and the\n"
	  "report in the run directory.\n\n"
	  "  -o DIR                the run directory itself (must not exist, or be empty and\n"
	  "                        yours, writable by no one else; default:\n"
	  "                        results/<UTC time>-<host>/)\n"
	  "  -q, --quiet           no progress and no table: only errors and the final paths\n"
	  "  --filter REGEX        run only the cases whose label matches REGEX (POSIX extended),\n"
	  "                        e.g. 'latency/roundtrip pipe size=64' (the labels of run's table)\n"
	  "  --repetitions N       repeat each case N times (the config's `repetitions` otherwise)\n"
	  "  --param KEY=V[,V...]  the values of parameter KEY in place of the config's, in every\n"
	  "                        entry whose cases have it, e.g. --param size=64,4KiB (repeatable;\n"
	  "                        cases it makes identical run once)\n"
	  "  --export-json FILE    write the per-case table (label, rep, status, value, reason)\n"
	  "                        to FILE as JSON\n"
	  "  -h, --help            this text\n\n"
	  "Exit status: 0 every case measured or unsupported, 1 a case failed or timed out,\n"
	  "2 bad usage or a bad config (nothing written), 128+N stopped by signal N.\n" },
	{ "check",
	  "usage: ipcprobe check CONFIG... [--plan]\n"
	  "Validate configs without running anything.\n\n"
	  "  --plan                print the exact command of every case\n"
	  "  -h, --help            this text\n\n"
	  "Exit status: 0 every config is valid, 2 one is not (said on stderr).\n" },
	{ "list",
	  "usage: ipcprobe list [PROBE] [--json]\n"
	  "The probes, their cases, metrics, transports and parameters.\n\n"
	  "  --json                the probes' own --list descriptions\n"
	  "  -h, --help            this text\n" },
	{ "report",
	  "usage: ipcprobe report DIR\n"
	  "       ipcprobe report DIR DIR... -o OUT\n"
	  "Regenerate report.html, report.md and the charts of a run; with several runs, a report\n"
	  "of them side by side (machines, OSes, kernels) into OUT.\n\n"
	  "  -o OUT                where the side-by-side report goes\n"
	  "  -h, --help            this text\n" },
	{ "history",
	  "usage: ipcprobe history DIR... -o OUT [--match TEXT]\n"
	  "Chosen figures over runs, in the order they started (CI history).\n\n"
	  "  -o OUT                the output directory\n"
	  "  --match TEXT          only figures whose name contains TEXT\n"
	  "  -h, --help            this text\n" },
	{ "compare",
	  "usage: ipcprobe compare BASE NEW [options]\n"
	  "       ipcprobe compare BASE... --vs NEW... [options]\n"
	  "Regressions and improvements between two runs (several runs a side: more repetitions).\n\n"
	  "  --threshold P%        a regression is worse by more than P% (default 10%)\n"
	  "  --format F            text (default), markdown or json\n"
	  "  --allow-incomplete    judge what an incomplete run has\n"
	  "  --allow-missing       figures of BASE missing from NEW, or unsupported in all of\n"
	  "                        NEW's repetitions, do not fail\n"
	  "  --allow-disturbed     figures left with no undisturbed repetition do not fail\n"
	  "  -h, --help            this text\n\n"
	  "Exit status: 0 no regression, 1 a regression, an incomplete run, missing or lost\n"
	  "figures, or a NEW without one ok figure; 2 bad usage, unreadable runs, or one run\n"
	  "given twice on a side.\n" },
	{ "export",
	  "usage: ipcprobe export --format gbench|github-action-benchmark|csv [options] DIR\n"
	  "A run's records on stdout in a format another tool reads; one line on stderr says what\n"
	  "the format could not carry, and one which disturbed repetitions the figures leave out\n"
	  "as the report and compare do (csv keeps every row, with a disturbed column).\n\n"
	  "  --format F            gbench, github-action-benchmark or csv\n"
	  "  --direction D         github-action-benchmark: smaller or bigger\n"
	  "  -h, --help            this text\n" },
	{ "version",
	  "usage: ipcprobe version   (or ipcprobe --version)\n"
	  "The version and the git commit ipcprobe was built from.\n" },
};

/* The general text: one line per subcommand. */
static void usage_all(FILE *f)
{
	fprintf(f, "usage: ipcprobe run CONFIG [-o DIR] [-q] [--filter REGEX] [--repetitions N]\n"
		   "                    [--param KEY=V[,V...]] [--export-json FILE]\n"
		   "                                        run a config\n"
		   "       ipcprobe check CONFIG... [--plan]  validate configs; --plan shows what would run\n"
		   "       ipcprobe list [PROBE] [--json]   probes, cases, parameters\n"
		   "       ipcprobe report DIR              write report.html and report.md for a run\n"
		   "       ipcprobe report DIR DIR... -o OUT  several runs side by side\n"
		   "       ipcprobe history DIR... -o OUT [--match TEXT]  figures over runs, as CI history\n"
		   "       ipcprobe compare BASE NEW [--threshold 10%%] [--format text|markdown|json]\n"
		   "                                        regressions and improvements; exit 1 on a regression\n"
		   "       ipcprobe compare BASE... --vs NEW... [options]  several runs a side\n"
		   "       ipcprobe export --format gbench|github-action-benchmark|csv DIR\n"
		   "       ipcprobe version                 the version and git commit (also --version)\n"
		   "       ipcprobe help [COMMAND]          this text, or a command's (also COMMAND --help)\n");
}

int usage_print(const char *cmd, FILE *f)
{
	for (size_t i = 0; cmd && i < sizeof(usages) / sizeof(usages[0]); i++)
		if (!strcmp(cmd, usages[i].cmd)) {
			fputs(usages[i].text, f);
			return f == stderr ? EXIT_BAD_INPUT : EXIT_ALL_OK;
		}
	usage_all(f);
	return f == stderr ? EXIT_BAD_INPUT : EXIT_ALL_OK;
}

int usage_wants_help(int argc, char **argv)
{
	for (int i = 1; i < argc && strcmp(argv[i], "--"); i++)
		if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h"))
			return 1;
	return 0;
}
