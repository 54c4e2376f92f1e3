/* section.h - what a report section is given, and the sections there are.  Each section is one
 * file, runner/report/sec_<name>.c, and one row in the section table of report.c; it writes
 * through doc.h, looks up records through lookup.h, draws through charts.h and words values
 * through common/vocab.h. */
#ifndef IPCPROBE_SECTION_H
#define IPCPROBE_SECTION_H

#include <jansson.h>

#include "common/util.h"

struct doc;

struct report_ctx {
	const char *dir;	/* the run directory (or a report's -o OUT): its path */
	int fd;			/* ... held open once the report writes there (0: not yet) */
	json_t *meta;		/* run.json (an empty object when absent) */
	json_t *records;	/* every record */
	struct doc *doc;
	char err[1024];		/* the first chart that could not be drawn */
	int charts_skipped;	/* charts not drawn because gnuplot is not installed (not an error:
				 * the report says which, and the command still succeeds) */
};

/* The directory the report writes in, opened (made first when absent) the first time and
 * then held: every file of the report is written by descriptor, whatever happens to the path
 * meanwhile.  Its fd is -1 (the reason in ctx->err) when it cannot be opened. */
struct dirref report_dir(struct report_ctx *ctx);

struct report_section {
	const char *probe;
	const char *title;
	void (*write)(struct report_ctx *ctx);
};

void report_capacity(struct report_ctx *ctx);
/* The capacity section's part on how a pipe is sized (sec_capacity_pipes.c). */
void report_capacity_pipes(struct report_ctx *ctx);
void report_latency(struct report_ctx *ctx);
void report_throughput(struct report_ctx *ctx);
void report_manager(struct report_ctx *ctx);
void report_limits(struct report_ctx *ctx);
void report_python(struct report_ctx *ctx);
void report_shm(struct report_ctx *ctx);
/* Every record of one probe, for probes without a section of their own (sec_generic.c). */
void report_generic(struct report_ctx *ctx, const char *probe);
/* The claims section, from a claims file (configs/claims.yaml). */
void report_claims(struct report_ctx *ctx, const char *path);

#endif
