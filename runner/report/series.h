/* series.h - the order, colour and family of a chart's series (and of its categories), keyed
 * by their names, so that pipe is one colour in every chart of every report and comes where
 * the probes' --list puts it.  One table, in series.c. */
#ifndef IPCPROBE_SERIES_H
#define IPCPROBE_SERIES_H

#include <stddef.h>

/* How a series is drawn: its colour ("#1f77b4"), point type, dash type (1 solid), and whether
 * it is a reference line (a floor) drawn in every panel. */
struct series_style {
	char color[8];
	int point, dash, reference;
};

/* The order of two series or category names ("pipe/cross_core", "\"shm-spin/cross_core
 * (batch means)\"", "pipe cross_core", "ops=5000 broker incr clients=1"), word by word: two
 * words the probes list in one list (transports, or the values of one parameter) in that
 * list's order; a word ipcprobe knows before one it does not; numbers as numbers; else
 * strcmp.  Floors last.  A qsort-style comparison of the two strings. */
int series_cmp(const char *a, const char *b);
/* The style of the series name: its colour and point from its first word (the transport or
 * mode), its dash from a placement word (cross_core solid, unpinned dashed, same_core dotted);
 * a first word ipcprobe does not know gets a colour from a hash of it, the same every time. */
void series_style(const char *name, struct series_style *st);
/* The family of the series name (its first word's: "pipe and FIFO" for pipe and fifo), that
 * groups series into one panel of a chart with many; "other" for a word not known. */
const char *series_family(const char *name);
/* The first word of name (quotes left out) into buf: the transport of "pipe/cross_core". */
void series_key(const char *name, char *buf, size_t len);

#endif
