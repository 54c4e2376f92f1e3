/* commands.h - the subcommands of ipcprobe; each returns the process exit status. */
#ifndef IPCPROBE_COMMANDS_H
#define IPCPROBE_COMMANDS_H

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

#endif
