/* progress.c - what `ipcprobe run` shows on the terminal while it runs and at the end. */
#include <stdio.h>
#include <string.h>

#include "run/run.h"
#include "timing.h"

void progress_case_start(const struct run *R, const struct plan_case *pc, int rep, size_t done,
			 size_t total)
{
	if (!R->fancy)
		return;
	double el = (double)(now_ns() - R->t0) / 1e9;
	printf("\r\033[K[%3zu/%zu] %s  rep %d/%d  elapsed %.1fs", done + 1, total, pc->label,
	       rep + 1, R->cfg.repetitions, el);
	if (done > 0)
		printf("  eta ~%.0fs", el / (double)done * (double)(total - done));
	fflush(stdout);
}

void progress_case_end(const struct run *R, const struct plan_case *pc, int rep, size_t done,
		       size_t total, const char *status, const char *what, int64_t duration_ns)
{
	int ok = strcmp(status, "ok") == 0;
	if (!R->fancy) {
		printf("[%zu/%zu] %s rep %d/%d: %s%s%s (%.2f s)\n", done + 1, total, pc->label,
		       rep + 1, R->cfg.repetitions, status, ok ? " " : ": ", what,
		       (double)duration_ns / 1e9);
		fflush(stdout);
	} else if (!ok && strcmp(status, "unsupported")) {
		printf("\r\033[K%s rep %d: \033[31m%s\033[0m: %s\n", pc->label, rep + 1, status,
		       what);
	}
}

void progress_summary(const struct run *R)
{
	size_t n = json_array_size(R->cases);
	int width = 10;
	json_t *e;
	size_t i;
	if (R->fancy)
		printf("\r\033[K");
	json_array_foreach(R->cases, i, e) {
		int l = (int)strlen(json_string_value(json_object_get(e, "label")));
		if (l > width)
			width = l;
	}
	if (width > 70)
		width = 70;
	printf("\n%-*s  %-4s  %-11s  %s\n", width, "case", "rep", "status", "value / reason");
	json_array_foreach(R->cases, i, e) {
		const char *st = json_string_value(json_object_get(e, "status"));
		const char *col = !R->fancy ? "" : !strcmp(st, "ok") ? "\033[32m" :
						 !strcmp(st, "unsupported") ? "\033[33m" : "\033[31m";
		const char *why = json_string_value(json_object_get(e, "reason"));
		printf("%-*.*s  %-4lld  %s%-11s%s  %.100s\n", width, width,
		       json_string_value(json_object_get(e, "label")),
		       (long long)json_integer_value(json_object_get(e, "rep")), col, st,
		       R->fancy ? "\033[0m" : "",
		       why ? why : json_string_value(json_object_get(e, "value")));
	}
	printf("\n%zu case runs: %d ok, %d unsupported, %d failed, %d timeout\n", n, R->counts[ST_OK],
	       R->counts[ST_UNSUPPORTED], R->counts[ST_FAILED], R->counts[ST_TIMEOUT]);
}
