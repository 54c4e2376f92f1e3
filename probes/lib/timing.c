/* timing.c - see timing.h. */
#include "timing.h"

#include <errno.h>

void sleep_ns(int64_t ns)
{
	struct timespec ts = { (time_t)(ns / 1000000000LL), (long)(ns % 1000000000LL) };
	while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
		;
}
