/* sysinfo.c - see sysinfo.h. */
#include "sysinfo.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int sysfile_numbers(const char *path, long long *out, int max)
{
	FILE *f = fopen(path, "r");
	int n = 0;
	if (!f)
		return -1;
	while (n < max && fscanf(f, "%lld", &out[n]) == 1)
		n++;
	fclose(f);
	return n;
}

long long sysctl_read(const char *path)
{
	long long v;
	return sysfile_numbers(path, &v, 1) == 1 ? v : -1;
}

/* The number at text in base, after blanks; 0 with *out, or -1 when there is none (a sign
 * is not a number here: these files hold counts, sizes and bit sets). */
static int parse_number(const char *text, int base, unsigned long long *out)
{
	char *end;
	text += strspn(text, " \t");
	if (!(base == 16 ? isxdigit((unsigned char)*text) : isdigit((unsigned char)*text)))
		return -1;
	errno = 0;
	unsigned long long v = strtoull(text, &end, base);
	if (errno)
		return -1;
	*out = v;
	return 0;
}

int sysfile_field(const char *path, const char *key, int base, unsigned long long *out)
{
	FILE *f = fopen(path, "r");
	char line[512];
	size_t kl = strlen(key);
	int rc = -1;
	while (f && rc < 0 && fgets(line, sizeof(line), f))
		if (strncmp(line, key, kl) == 0 && line[kl] == ':')
			rc = parse_number(line + kl + 1, base, out);
	if (f)
		fclose(f);
	return rc;
}

int sysfile_line(const char *path, char *buf, size_t len)
{
	FILE *f = fopen(path, "r");
	int rc = -1;
	if (!f)
		return -1;
	if (len > 0 && fgets(buf, (int)len, f)) {
		buf[strcspn(buf, "\n")] = '\0';
		rc = 0;
	}
	fclose(f);
	return rc;
}

int fds_open(void)
{
	int n = 0;
	long max = sysconf(_SC_OPEN_MAX);
	for (int fd = 0; fd < max && fd < 1 << 20; fd++)
		if (fcntl(fd, F_GETFD) >= 0)
			n++;
	return n;
}
