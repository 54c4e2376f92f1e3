/* series.c - the order, colour and family of chart series by name (series.h). */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report/series.h"

/* The probes' own lists, each in the order `PROBE --list` gives it: the transports (latency
 * and throughput list them all, capacity and limits a part in the same order), then the
 * values of the parameters whose values make series or categories.  A word may be in two
 * lists (eventfd: a transport and a wake-up); two words are ordered by a list holding both.
 * tests/e2e/test_charts.sh checks this order against --list. */
static const char *const lists[][14] = {
	{ "pipe", "fifo", "unix-stream", "unix-dgram", "unix-seqpacket", "tcp", "udp", "posix-mq",
	  "sysv-msg", "eventfd", "signal", "shm-futex", "shm-spin", NULL },
	{ "same_core", "cross_core", "unpinned", NULL },		/* placement */
	{ "broker", "shared_mutex", "atomic", NULL },			/* manager mode */
	{ "get", "set", "incr", NULL },					/* manager op */
	{ "futex", "sem", "mutex_cond", "eventfd", "spin", NULL },	/* shm wake */
	{ "posix_shm", "memfd", "sysv", "anon_shared", "hugetlb", NULL },	/* shm method */
	{ "unprivileged", "privileged", NULL },				/* limits privilege */
	{ "pipe_duplex", "pipe_simplex", "queue", "simple_queue", "joinable_queue",
	  "manager_queue", NULL },					/* python mechanism */
	{ "send_bytes", "send", NULL },					/* python pipe_api */
};

/* The look of a series by its first word: colour, point type and the family it is drawn with
 * when a chart has too many series for one panel.  Transports of one family differ in colour
 * and point; a floor is a reference line (grey, dotted, in every panel). */
static const struct look {
	const char *name, *color;
	int point;
	const char *family;
} looks[] = {
	{ "pipe", "#1f77b4", 7, "pipe and FIFO" },
	{ "fifo", "#ff7f0e", 5, "pipe and FIFO" },
	{ "unix-stream", "#2ca02c", 7, "Unix-domain sockets" },
	{ "unix-dgram", "#9467bd", 5, "Unix-domain sockets" },
	{ "unix-seqpacket", "#8c564b", 9, "Unix-domain sockets" },
	{ "tcp", "#d62728", 7, "TCP and UDP over loopback" },
	{ "udp", "#17becf", 5, "TCP and UDP over loopback" },
	{ "posix-mq", "#e377c2", 7, "message queues" },
	{ "sysv-msg", "#8a8a00", 5, "message queues" },
	{ "eventfd", "#393b79", 7, "eventfd and signals" },
	{ "signal", "#e7a626", 5, "eventfd and signals" },
	{ "shm-futex", "#637939", 7, "shared-memory rings" },
	{ "shm-spin", "#ad494a", 5, "shared-memory rings" },
	{ "broker", "#1f77b4", 7, "modes" },
	{ "shared_mutex", "#ff7f0e", 5, "modes" },
	{ "atomic", "#2ca02c", 9, "modes" },
	{ "cache-line-floor", "#555555", -1, NULL },
	{ "memcpy-floor", "#555555", -1, NULL },
};

/* For a first word no table knows: colours apart from the transports' own. */
static const char *const spare[] = { "#4e79a7", "#f28e2b", "#59a14f", "#b07aa1", "#76b7b2",
				     "#edc948", "#9c755f", "#e15759", "#5f6b6d", "#bab0ac" };

/* Word separators in a name: "pipe/cross_core (batch means)", "ops=5000 broker incr". */
static const char seps[] = " \t/,=():\"";

/* The next word of *s into w (at most len - 1 bytes), moving *s past it; 0 at the end. */
static int next_word(const char **s, char *w, size_t len)
{
	*s += strspn(*s, seps);
	size_t n = strcspn(*s, seps);
	if (!n)
		return 0;
	snprintf(w, len, "%.*s", (int)(n < len ? n : len - 1), *s);
	*s += n;
	return 1;
}

static int is_floor(const char *w)
{
	size_t n = strlen(w);
	return n > 6 && !strcmp(w + n - 6, "-floor");
}

/* The position of w in list k, or -1. */
static int rank_in(size_t k, const char *w)
{
	for (int i = 0; lists[k][i]; i++)
		if (!strcmp(lists[k][i], w))
			return i;
	return -1;
}

static int known(const char *w)
{
	for (size_t k = 0; k < sizeof(lists) / sizeof(lists[0]); k++)
		if (rank_in(k, w) >= 0)
			return 1;
	return 0;
}

/* Is w a whole number (as a parameter's value is)?  Its value in *v. */
static int number(const char *w, double *v)
{
	char *end;
	*v = strtod(w, &end);
	return end != w && !*end;
}

/* The order of two words (see series_cmp). */
static int word_cmp(const char *a, const char *b)
{
	double x, y;
	if (!strcmp(a, b))
		return 0;
	if (is_floor(a) != is_floor(b))
		return is_floor(a) ? 1 : -1;
	for (size_t k = 0; k < sizeof(lists) / sizeof(lists[0]); k++) {
		int ra = rank_in(k, a), rb = rank_in(k, b);
		if (ra >= 0 && rb >= 0)
			return ra - rb;
	}
	if (known(a) != known(b))
		return known(a) ? -1 : 1;
	if (number(a, &x) && number(b, &y) && x != y)
		return x < y ? -1 : 1;
	return strcmp(a, b);
}

int series_cmp(const char *a, const char *b)
{
	const char *s = a, *t = b;
	char wa[128], wb[128];
	for (;;) {
		int ha = next_word(&s, wa, sizeof(wa)), hb = next_word(&t, wb, sizeof(wb));
		if (!ha || !hb) {
			if (ha != hb)
				return ha ? 1 : -1;
			return strcmp(a, b);
		}
		int c = word_cmp(wa, wb);
		if (c)
			return c;
	}
}

void series_key(const char *name, char *buf, size_t len)
{
	if (!next_word(&name, buf, len))
		buf[0] = '\0';
}

static const struct look *look_of(const char *name)
{
	char w[128];
	series_key(name, w, sizeof(w));
	for (size_t i = 0; i < sizeof(looks) / sizeof(looks[0]); i++)
		if (!strcmp(looks[i].name, w))
			return &looks[i];
	return NULL;
}

void series_style(const char *name, struct series_style *st)
{
	const struct look *l = look_of(name);
	char w[128];
	const char *s = name;
	st->dash = 1;
	st->reference = l && !l->family;
	if (l) {
		snprintf(st->color, sizeof(st->color), "%s", l->color);
		st->point = l->point;
	} else {	/* FNV-1a of the first word: the same colour in every chart */
		uint32_t h = 2166136261u;
		series_key(name, w, sizeof(w));
		for (const char *c = w; *c; c++)
			h = (h ^ (unsigned char)*c) * 16777619u;
		snprintf(st->color, sizeof(st->color), "%s", spare[h % (sizeof(spare) /
									 sizeof(spare[0]))]);
		st->point = 7 + 2 * (int)(h / 16 % 4);	/* 7, 9, 11, 13: filled shapes */
	}
	while (next_word(&s, w, sizeof(w))) {
		if (!strcmp(w, "unpinned"))
			st->dash = 2;
		else if (!strcmp(w, "same_core"))
			st->dash = 4;
	}
	if (st->reference)
		st->dash = 3;
}

const char *series_family(const char *name)
{
	const struct look *l = look_of(name);
	return l && l->family ? l->family : "other";
}
