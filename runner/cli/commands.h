/* commands.h - the subcommands the command line implements itself (list, check); every other
 * command's entry point is in its own room's header (run/run.h, report/report.h,
 * compare/compare.h, export/export.h).  Each returns the process exit status
 * (common/exit.h). */
#ifndef IPCPROBE_COMMANDS_H
#define IPCPROBE_COMMANDS_H

#include "common/exit.h"

int cmd_list(int argc, char **argv);	/* list [PROBE] [--json] */
int cmd_check(int argc, char **argv);	/* check CONFIG... [--plan] */

#endif
