/* suggest.h - the words of a "not known" message: the list of what is known, and "did you
 * mean" for a near miss.  Written once for every name a config gives (keys, probes, cases,
 * transports, parameters). */
#ifndef IPCPROBE_SUGGEST_H
#define IPCPROBE_SUGGEST_H

#include <stddef.h>

/* "; did you mean NAME?" when one of names (NULL-terminated) is close to word, else "". */
const char *did_you_mean(const char *word, const char *const *names, char *buf, size_t len);
/* names (NULL-terminated) joined by ", ". */
const char *join_names(const char *const *names, char *buf, size_t len);
/* Append s to names (n of them, at most max - 1, kept NULL-terminated) unless it is there. */
void add_name(const char **names, int *n, int max, const char *s);

#endif
