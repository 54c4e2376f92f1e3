/* sysinfo.c - see sysinfo.h. */
#include "sysinfo.h"

#include <stdio.h>

long long sysctl_read(const char *path)
{
	FILE *f = fopen(path, "r");
	long long v = -1;
	if (!f)
		return -1;
	if (fscanf(f, "%lld", &v) != 1)
		v = -1;
	fclose(f);
	return v;
}
