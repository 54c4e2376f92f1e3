/* main.c - the ipcprobe command: dispatch to a command; version and help, and "did you mean"
 * for a command not known.  Each command parses its own options (common/options.h). */
#include <stdio.h>
#include <string.h>

#include "cli/commands.h"
#include "common/options.h"
#include "common/usage.h"
#include "compare/compare.h"
#include "export/export.h"
#include "param.h"
#include "report/report.h"
#include "run/run.h"
#include "catalog/probes.h"
#include "version.h"	/* build/gen: IPCPROBE_GIT_COMMIT, written by make */

/* `ipcprobe version` (no operand, no option but -h). */
static int cmd_version(int argc, char **argv)
{
	struct opt_iter it;
	const char *v;
	int c;
	opt_begin(&it, argc, argv);
	while ((c = opt_next(&it, &v)) != OPT_END)
		if (c == OPT_STOP)
			return it.status;
		else
			return opt_bad_usage("version", "unexpected argument %s", v);
	printf("ipcprobe %s (git %s)\n", IPCPROBE_VERSION, IPCPROBE_GIT_COMMIT);
	return EXIT_ALL_OK;
}

/* "ipcprobe: unknown command "runn"; did you mean run?", and every command's synopsis. */
static int unknown_command(const char *name)
{
	const char *near = closest_name(name, cmd_names());
	fprintf(stderr, "ipcprobe: unknown command \"%s\"%s%s%s\n", name,
		near ? "; did you mean " : "", near ? near : "", near ? "?" : "");
	return usage_print(NULL, stderr);
}

/* `ipcprobe help [COMMAND]`: every command's synopsis, or COMMAND's usage, on stdout. */
static int cmd_help(int argc, char **argv)
{
	struct opt_iter it;
	const char *v, *cmd = NULL;
	int c;
	opt_begin(&it, argc, argv);
	while ((c = opt_next(&it, &v)) != OPT_END) {
		if (c == OPT_STOP)
			return it.status;
		if (cmd)
			return opt_bad_usage("help", "unexpected argument %s (one COMMAND)", v);
		cmd = v;
	}
	if (cmd && !cmd_find(cmd))
		return unknown_command(cmd);
	return usage_print(cmd, stdout);
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
		{ "version", cmd_version },
		{ "help", cmd_help },
	};
	if (argc < 2)
		return usage_print(NULL, stderr);
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h"))
		return cmd_help(argc - 1, (argv[1] = "help", argv + 1));
	if (!strcmp(argv[1], "--version"))
		return cmd_version(argc - 1, (argv[1] = "version", argv + 1));
	for (unsigned i = 0; i < sizeof(commands) / sizeof(commands[0]); i++) {
		if (strcmp(argv[1], commands[i].name) == 0) {
			probes_init(argv[0]);
			int rc = commands[i].fn(argc - 1, argv + 1);
			probes_free();
			return rc;
		}
	}
	return unknown_command(argv[1]);
}
