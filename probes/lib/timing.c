/* timing.c - see timing.h. */
#include "timing.h"

#include <errno.h>
#include <stdlib.h>

void sleep_ns(int64_t ns)
{
	struct timespec ts = { (time_t)(ns / 1000000000LL), (long)(ns % 1000000000LL) };
	while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
		;
}

static int cmp_i64(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
	return (x > y) - (x < y);
}

int64_t timer_overhead_ns(void)
{
	enum { N = 1001 };
	int64_t d[N];
	for (int i = 0; i < N; i++) {
		int64_t t0 = now_ns();
		d[i] = now_ns() - t0;
	}
	qsort(d, N, sizeof(d[0]), cmp_i64);
	return d[N / 2];
}
