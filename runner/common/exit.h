/* exit.h - the exit statuses every command returns, and the release: what each room that
 * implements a command needs from the command line without depending on it. */
#ifndef IPCPROBE_EXIT_H
#define IPCPROBE_EXIT_H

enum {
	EXIT_ALL_OK = 0,	/* every case measured or unsupported */
	EXIT_CASE_FAILED = 1,	/* some case failed or timed out (compare: a regression) */
	EXIT_BAD_INPUT = 2,	/* bad usage, bad config, unreadable results */
};

/* The release; the git commit comes from build/gen/version.h (cli/main.c). */
#define IPCPROBE_VERSION "0.1.0"

#endif
