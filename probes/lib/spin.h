/* spin.h - the body of every busy-wait loop: the CPU's spin-wait hint (pause on x86, yield
 * on arm64, nothing elsewhere), which saves power, leaves an SMT sibling its share, and
 * avoids the memory-order mis-speculation a tight load loop pays on leaving. */
#ifndef IPCPROBE_SPIN_H
#define IPCPROBE_SPIN_H

#include <sched.h>

#ifdef __cplusplus
extern "C" {
#endif

static inline void cpu_relax(void)
{
#if defined(__x86_64__) || defined(__i386__)
	__builtin_ia32_pause();
#elif defined(__aarch64__)
	__asm__ __volatile__("yield" ::: "memory");
#endif
}

/* Polls between sched_yield() calls in a spin loop: enough that two processes on two CPUs
 * never yield in a hand-over, few enough that two on one CPU still take turns. */
#define SPIN_YIELD_EVERY 4096

/* One turn of a spin loop; *spins counts the polls. */
static inline void spin_once(unsigned *spins)
{
	cpu_relax();
	if (++*spins % SPIN_YIELD_EVERY == 0)
		sched_yield();
}

#ifdef __cplusplus
}
#endif

#endif
