/* suggest.c - see suggest.h. */
#include <stdio.h>
#include <string.h>

#include "common/suggest.h"
#include "param.h"

const char *did_you_mean(const char *word, const char *const *names, char *buf, size_t len)
{
	const char *near = closest_name(word, names);
	if (near)
		snprintf(buf, len, "; did you mean %s?", near);
	else
		buf[0] = '\0';
	return buf;
}

const char *join_names(const char *const *names, char *buf, size_t len)
{
	buf[0] = '\0';
	for (int i = 0; names[i]; i++)
		snprintf(buf + strlen(buf), len - strlen(buf), "%s%s", i ? ", " : "", names[i]);
	return buf;
}

void add_name(const char **names, int *n, int max, const char *s)
{
	for (int i = 0; s && i < *n; i++)
		if (!strcmp(names[i], s))
			return;
	if (s && *n < max - 1)
		names[(*n)++] = s;
	names[*n] = NULL;
}
