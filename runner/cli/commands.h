/* commands.h - the subcommands of ipcprobe; each returns the process exit status. */
#ifndef IPCPROBE_COMMANDS_H
#define IPCPROBE_COMMANDS_H

#include <stdio.h>

/* Exit statuses shared by every command. */
enum {
	EXIT_ALL_OK = 0,	/* every case measured or unsupported */
	EXIT_CASE_FAILED = 1,	/* some case failed or timed out (compare: a regression) */
	EXIT_BAD_INPUT = 2,	/* bad usage, bad config, unreadable results */
};

int cmd_run(int argc, char **argv);	/* run CONFIG [-o DIR] */
int cmd_list(int argc, char **argv);	/* list [PROBE] [--json] */
int cmd_check(int argc, char **argv);	/* check CONFIG... [--plan] */
int cmd_report(int argc, char **argv);	/* report DIR [DIR...] */
int cmd_compare(int argc, char **argv);	/* compare BASE NEW [--threshold P%] [--format F] */
int cmd_export(int argc, char **argv);	/* export --format F DIR */
int cmd_history(int argc, char **argv);	/* history DIR... -o OUT [--match TEXT] */

/* The release; the git commit comes from build/gen/version.h (main.c). */
#define IPCPROBE_VERSION "0.1.0"

/* usage.c: CMD's usage (NULL or unknown: every command's) on f; 0 on stdout, EXIT_BAD_INPUT
 * on stderr, so that `return cli_usage(...)` is the exit status. */
int cli_usage(const char *cmd, FILE *f);
/* argv (argv[0] the subcommand) asks for --help or -h before any "--". */
int cli_wants_help(int argc, char **argv);

#endif
