/* musl_fortify.c - the four _FORTIFY_SOURCE entry points that Debian's glibc-built static
 * libjansson.a and libyaml.a call and musl libc does not provide, so that mk/musl.mk can link
 * those archives into musl programs when no musl build of the libraries is at hand.  Each does
 * what glibc's does: check the length against the object size the compiler saw, abort on
 * overflow, else do the plain call.  Not used when MUSL_JANSSON/MUSL_YAML name musl builds. */
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int __vsnprintf_chk(char *s, size_t maxlen, int flag, size_t slen, const char *fmt, va_list ap);
int __snprintf_chk(char *s, size_t maxlen, int flag, size_t slen, const char *fmt, ...);
int __sprintf_chk(char *s, int flag, size_t slen, const char *fmt, ...);
char *__strncpy_chk(char *dest, const char *src, size_t len, size_t destlen);

/* Stop as glibc's __chk_fail does: the caller's buffer would have overflowed. */
static void fortify_fail(const char *call)
{
	fprintf(stderr, "*** buffer overflow detected in %s (called from libjansson/libyaml) ***\n",
		call);
	abort();
}

int __vsnprintf_chk(char *s, size_t maxlen, int flag, size_t slen, const char *fmt, va_list ap)
{
	(void)flag;
	if (slen < maxlen)
		fortify_fail("vsnprintf");
	if (maxlen > INT_MAX)
		return vsprintf(s, fmt, ap);
	return vsnprintf(s, maxlen, fmt, ap);
}

int __snprintf_chk(char *s, size_t maxlen, int flag, size_t slen, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = __vsnprintf_chk(s, maxlen, flag, slen, fmt, ap);
	va_end(ap);
	return n;
}

/* sprintf into an object of slen bytes (SIZE_MAX: unknown, and musl's vsnprintf refuses sizes
 * above INT_MAX): an output that does not fit is an overflow. */
int __sprintf_chk(char *s, int flag, size_t slen, const char *fmt, ...)
{
	va_list ap;
	int n;

	(void)flag;
	va_start(ap, fmt);
	if (slen > INT_MAX)
		n = vsprintf(s, fmt, ap);
	else
		n = vsnprintf(s, slen, fmt, ap);
	va_end(ap);
	if (n >= 0 && (size_t)n >= slen)
		fortify_fail("sprintf");
	return n;
}

char *__strncpy_chk(char *dest, const char *src, size_t len, size_t destlen)
{
	if (destlen < len)
		fortify_fail("strncpy");
	return strncpy(dest, src, len);
}
