/* main.c - the ipcprobe command: dispatch to a subcommand. */
#include <stdio.h>
#include <string.h>

#include "cli/commands.h"
#include "catalog/probes.h"

static int usage(FILE *f)
{
	fprintf(f, "usage: ipcprobe run CONFIG [-o DIR]     run a config (results/<UTC time>-<host>/ by default)\n"
		   "       ipcprobe check CONFIG... [--plan]  validate configs; --plan shows what would run\n"
		   "       ipcprobe list [PROBE] [--json]   probes, cases, parameters\n"
		   "       ipcprobe report DIR              write report.html and report.md for a run\n"
		   "       ipcprobe report DIR DIR... -o OUT  several runs side by side\n"
		   "       ipcprobe history DIR... -o OUT [--match TEXT]  figures over runs, as CI history\n"
		   "       ipcprobe compare BASE NEW [--threshold 10%%] [--format text|markdown|json]\n"
		   "                                        regressions and improvements; exit 1 on a regression\n"
		   "       ipcprobe compare BASE... --vs NEW... [options]  several runs a side\n"
		   "       ipcprobe export --format gbench|github-action-benchmark|csv DIR\n"
		   "       ipcprobe help                    this text\n");
	return f == stderr ? EXIT_BAD_INPUT : 0;
}

int main(int argc, char **argv)
{
	static const struct {
		const char *name;
		int (*fn)(int, char **);
	} commands[] = {
		{ "run", cmd_run },
		{ "list", cmd_list },
		{ "check", cmd_check },
		{ "report", cmd_report },
		{ "compare", cmd_compare },
		{ "export", cmd_export },
		{ "history", cmd_history },
	};
	if (argc < 2)
		return usage(stderr);
	if (!strcmp(argv[1], "help") || !strcmp(argv[1], "--help") || !strcmp(argv[1], "-h"))
		return usage(stdout);
	probes_init(argv[0]);
	for (unsigned i = 0; i < sizeof(commands) / sizeof(commands[0]); i++) {
		if (strcmp(argv[1], commands[i].name) == 0) {
			int rc = commands[i].fn(argc - 1, argv + 1);
			probes_free();
			return rc;
		}
	}
	fprintf(stderr, "ipcprobe: unknown command \"%s\"\n", argv[1]);
	return usage(stderr);
}
