/* eventfd(2): a counter with a descriptor (Linux, FreeBSD 13+). */
#include <sys/eventfd.h>
int main(void) { return eventfd(0, EFD_CLOEXEC); }
