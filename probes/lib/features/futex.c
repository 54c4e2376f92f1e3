/* futex(2) through syscall(2): wait/wake on a shared word (Linux). */
#include <linux/futex.h>
#include <sys/syscall.h>
#include <unistd.h>
int main(void) { int w = 0; return (int)syscall(SYS_futex, &w, FUTEX_WAKE, 1, 0, 0, 0); }
