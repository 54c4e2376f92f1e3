/* progress.c - what `ipcprobe run` shows on the terminal while it runs and at the end. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "run/run.h"
#include "timing.h"

/* The terminal's width in columns: the terminal's own (TIOCGWINSZ), else COLUMNS, else 80.
 * Asked at every line, so that a resized window is followed. */
static int term_columns(void)
{
#ifdef TIOCGWINSZ
	struct winsize ws;
	if (ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0)
		return ws.ws_col;
#endif
	const char *c = getenv("COLUMNS");
	int n = c ? atoi(c) : 0;
	return n > 0 ? n : 80;
}

/* Write line in place of the progress line, cut to one column less than the terminal, so
 * that it never wraps (a wrapped line leaves its first row behind at every \r).  Cut on a
 * character boundary: UTF-8 continuation bytes do not count as columns. */
static void put_progress(const char *line)
{
	int room = term_columns() - 1, cols = 0;
	size_t n = 0;
	for (; line[n]; n++) {
		if (((unsigned char)line[n] & 0xc0) == 0x80)
			continue;
		if (cols++ == room)
			break;
	}
	printf("\r\033[K%.*s", (int)n, line);
	fflush(stdout);
}

void progress_case_start(const struct run *R, const struct plan_case *pc, int rep, size_t done,
			 size_t total)
{
	if (!R->fancy || R->quiet)
		return;
	char line[1024];
	double el = (double)(now_ns() - R->t0) / 1e9;
	int n = snprintf(line, sizeof(line), "[%3zu/%zu] %s  rep %d/%d  elapsed %.1fs", done + 1,
			 total, pc->label, rep + 1, R->cfg.repetitions, el);
	if (done > 0 && n > 0 && (size_t)n < sizeof(line))
		snprintf(line + n, sizeof(line) - (size_t)n, "  eta ~%.0fs",
			 el / (double)done * (double)(total - done));
	put_progress(line);
}

void progress_case_end(const struct run *R, const struct plan_case *pc, int rep, size_t done,
		       size_t total, const char *status, const char *what, int64_t duration_ns)
{
	int ok = strcmp(status, "ok") == 0;
	if (R->quiet) {
		if (!ok && strcmp(status, "unsupported"))
			fprintf(stderr, "%s rep %d: %s: %s\n", pc->label, rep + 1, status, what);
	} else if (!R->fancy) {
		printf("[%zu/%zu] %s rep %d/%d: %s%s%s (%.2f s)\n", done + 1, total, pc->label,
		       rep + 1, R->cfg.repetitions, status, ok ? " " : ": ", what,
		       (double)duration_ns / 1e9);
		fflush(stdout);
	} else if (!ok && strcmp(status, "unsupported")) {
		printf("\r\033[K%s rep %d: %s%s%s: %s\n", pc->label, rep + 1,
		       R->colour ? "\033[31m" : "", status, R->colour ? "\033[0m" : "", what);
	}
}

static const char *status_colour(const struct run *R, const char *st)
{
	return !R->colour ? "" : !strcmp(st, "ok") ? "\033[32m" :
	       !strcmp(st, "unsupported") ? "\033[33m" : "\033[31m";
}

void progress_summary(const struct run *R)
{
	size_t n = json_array_size(R->cases);
	int width = 10;
	json_t *e;
	size_t i;
	if (R->fancy && !R->quiet)
		printf("\r\033[K");
	if (R->quiet)
		return;
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
		const char *why = json_string_value(json_object_get(e, "reason"));
		printf("%-*.*s  %-4lld  %s%-11s%s  %.100s\n", width, width,
		       json_string_value(json_object_get(e, "label")),
		       (long long)json_integer_value(json_object_get(e, "rep")),
		       status_colour(R, st), st, R->colour ? "\033[0m" : "",
		       why ? why : json_string_value(json_object_get(e, "value")));
	}
	printf("\n%zu case runs: %d ok, %d unsupported, %d failed, %d timeout\n", n, R->counts[ST_OK],
	       R->counts[ST_UNSUPPORTED], R->counts[ST_FAILED], R->counts[ST_TIMEOUT]);
}
