/* sched_setaffinity(2) and cpu_set_t: pin a process to a CPU. */
#include <sched.h>
int main(void) { cpu_set_t s; CPU_ZERO(&s); CPU_SET(0, &s); return sched_setaffinity(0, sizeof(s), &s); }
