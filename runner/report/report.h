/* report.h - the reports: one run's (report.c), several runs side by side (multi.c) and a
 * figure's history over runs (history.c).  Each writes report.html and report.md. */
#ifndef IPCPROBE_REPORT_H
#define IPCPROBE_REPORT_H

#include <stddef.h>

#include "common/util.h"

/* Generate report.html, report.md and plots/ in a run directory; 0 or -1 with err. */
int report_write(const char *dir, char *err, size_t errlen);
/* The same for a run directory held open (the run's own report, by descriptor). */
int report_write_at(struct dirref d, char *err, size_t errlen);
/* Several runs side by side into out/report.html and report.md. */
int report_multi(const char *const *dirs, int n, const char *out, char *err, size_t errlen);
/* Runs in the order they started: the figures whose key contains match (all timings when
 * NULL; at most 12) over the runs, as a table and a chart, into out. */
int report_history(const char *const *dirs, int n, const char *match, const char *out,
		   char *err, size_t errlen);

/* `ipcprobe report DIR [DIR...]` and `ipcprobe history DIR... -o OUT [--match TEXT]`; the
 * exit status (common/exit.h). */
int cmd_report(int argc, char **argv);
int cmd_history(int argc, char **argv);

#endif
