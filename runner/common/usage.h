/* usage.h - every command's usage text, one place (usage.c), so that a command's own error and
 * `ipcprobe CMD --help` say the same. */
#ifndef IPCPROBE_USAGE_H
#define IPCPROBE_USAGE_H

#include <stdio.h>

/* CMD's usage (NULL or unknown: every command's) on f; 0 on stdout, EXIT_BAD_INPUT on stderr,
 * so that `return usage_print(...)` is the exit status. */
int usage_print(const char *cmd, FILE *f);
/* argv (argv[0] the subcommand) asks for --help or -h before any "--". */
int usage_wants_help(int argc, char **argv);

#endif
