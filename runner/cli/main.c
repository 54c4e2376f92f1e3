/* main.c - the ipcprobe command: dispatch to a subcommand; --version and --help for each. */
#include <stdio.h>
#include <string.h>

#include "cli/commands.h"
#include "common/usage.h"
#include "compare/compare.h"
#include "export/export.h"
#include "report/report.h"
#include "run/run.h"
#include "catalog/probes.h"
#include "version.h"	/* build/gen: IPCPROBE_GIT_COMMIT, written by make */

static int version(void)
{
	printf("ipcprobe %s (git %s)\n", IPCPROBE_VERSION, IPCPROBE_GIT_COMMIT);
	return EXIT_ALL_OK;
}

static int is_help(const char *a)
{
	return !strcmp(a, "help") || !strcmp(a, "--help") || !strcmp(a, "-h");
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
		return usage_print(NULL, stderr);
	if (is_help(argv[1]))
		return usage_print(argc > 2 ? argv[2] : NULL, stdout);
	if (!strcmp(argv[1], "--version") || !strcmp(argv[1], "version"))
		return version();
	for (unsigned i = 0; i < sizeof(commands) / sizeof(commands[0]); i++) {
		if (strcmp(argv[1], commands[i].name) == 0) {
			if (usage_wants_help(argc - 1, argv + 1))
				return usage_print(argv[1], stdout);
			probes_init(argv[0]);
			int rc = commands[i].fn(argc - 1, argv + 1);
			probes_free();
			return rc;
		}
	}
	fprintf(stderr, "ipcprobe: unknown command \"%s\"\n", argv[1]);
	return usage_print(NULL, stderr);
}
