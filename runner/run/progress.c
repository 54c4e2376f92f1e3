/* progress.c - what `ipcprobe run` shows on the terminal while it runs and at the end. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "common/vocab.h"
#include "export/export.h"
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

/* "[lo – hi] L%" of a figure's interval, "—" without one. */
static void interval_cell(json_t *fig, const char *unit, char *buf, size_t len)
{
	json_t *ci = json_object_get(fig, "ci");
	char lo[32], hi[32];
	/* None for a figure measured under load throughout, as the report gives it. */
	if (!json_is_number(json_object_get(ci, "lo")) || json_integer_value(json_object_get(fig, "n")) < 2 ||
	    json_is_true(json_object_get(fig, "all_disturbed"))) {
		snprintf(buf, len, "—");
		return;
	}
	fmt_value(json_number_value(json_object_get(ci, "lo")), unit, lo, sizeof(lo));
	fmt_value(json_number_value(json_object_get(ci, "hi")), unit, hi, sizeof(hi));
	snprintf(buf, len, "[%s – %s] %.0f%%", lo, hi,
		 100 * json_number_value(json_object_get(ci, "level")));
}

/* The mark of a figure whose repetitions were disturbed: left out, or all of them. */
static void disturbed_mark(json_t *fig, char *buf, size_t len)
{
	json_int_t n = json_integer_value(json_object_get(fig, "n"));
	json_int_t out = json_integer_value(json_object_get(fig, "disturbed_left_out"));
	if (json_is_true(json_object_get(fig, "all_disturbed")))
		snprintf(buf, len, "all %lld disturbed", (long long)n);
	else if (out)
		snprintf(buf, len, "%lld disturbed left out", (long long)out);
	else
		buf[0] = '\0';
}

/* One line of a figure of summary.json: its name, median, the median's interval over the
 * repetitions, their spread, n, and the disturbed mark (Google Benchmark's and hyperfine's
 * habit: one line per figure, not per repetition). */
static void figure_line(const struct run *R, json_t *fig, int width)
{
	const char *unit = json_string_value(json_object_get(fig, "unit"));
	json_int_t n = json_integer_value(json_object_get(fig, "n"));
	char med[32], ci[96], lo[32], hi[32], spread[72] = "", mark[64];
	char *name = export_name(fig, 0);
	fmt_value(json_number_value(json_object_get(fig, "median")), unit, med, sizeof(med));
	interval_cell(fig, unit, ci, sizeof(ci));
	fmt_value(json_number_value(json_object_get(fig, "min")), unit, lo, sizeof(lo));
	fmt_value(json_number_value(json_object_get(fig, "max")), unit, hi, sizeof(hi));
	if (n > 1)
		snprintf(spread, sizeof(spread), "%s .. %s", lo, hi);
	disturbed_mark(fig, mark, sizeof(mark));
	printf("%-*.*s  %10s  %-28s  %-24s  %3lld  %s%s%s\n", width, width, name, med, ci, spread,
	       (long long)n, mark[0] && R->colour ? "\033[33m" : "", mark,
	       mark[0] && R->colour ? "\033[0m" : "");
	free(name);
}

/* The case runs that did not measure: one line each (unsupported ones once per case). */
static void not_measured_lines(const struct run *R, int width)
{
	json_t *e, *seen = json_object();
	size_t i;
	json_array_foreach(R->cases, i, e) {
		const char *st = json_string_value(json_object_get(e, "status"));
		const char *label = json_string_value(json_object_get(e, "label"));
		if (!strcmp(st, "ok") || (!strcmp(st, "unsupported") && json_object_get(seen, label)))
			continue;
		json_object_set_new(seen, label, json_true());
		printf("%-*.*s  %s%s%s rep %lld: %.100s\n", width, width, label, status_colour(R, st),
		       st, R->colour ? "\033[0m" : "",
		       (long long)json_integer_value(json_object_get(e, "rep")),
		       json_string_value(json_object_get(e, "reason")) ?: "");
	}
	json_decref(seen);
}

void progress_summary(const struct run *R, json_t *summary)
{
	json_t *figs = json_object_get(summary, "figures"), *f;
	size_t n = json_array_size(R->cases), i;
	int width = 20;
	if (R->fancy && !R->quiet)
		printf("\r\033[K");
	if (R->quiet)
		return;
	json_array_foreach(figs, i, f) {
		char *name = export_name(f, 0);
		if ((int)strlen(name) > width)
			width = (int)strlen(name);
		free(name);
	}
	if (width > 72)
		width = 72;
	if (json_array_size(figs))
		printf("\n%-*s  %10s  %-28s  %-24s  %3s\n", width, "figure", "median",
		       "median's interval, level", "min .. max", "n");
	json_array_foreach(figs, i, f)
		figure_line(R, f, width);
	printf("\n");
	not_measured_lines(R, width);
	printf("%zu case runs: %d ok, %d unsupported, %d failed, %d timeout\n", n, R->counts[ST_OK],
	       R->counts[ST_UNSUPPORTED], R->counts[ST_FAILED], R->counts[ST_TIMEOUT]);
}
