/* usage.h - every command's usage text, written from the option table (options.c), so that a
 * command's own error and `ipcprobe CMD --help` say the same, and say what the parser takes. */
#ifndef IPCPROBE_USAGE_H
#define IPCPROBE_USAGE_H

#include <stdio.h>

/* CMD's usage (NULL or unknown: every command's synopsis) on f; 0 on stdout, EXIT_BAD_INPUT
 * on stderr, so that `return usage_print(...)` is the exit status. */
int usage_print(const char *cmd, FILE *f);

#endif
