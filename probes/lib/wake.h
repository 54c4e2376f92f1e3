/* wake.h - the ways one process wakes another that waits for a message in shared memory,
 * as an ops table like the transports (one ops struct each in wake.c, one line in the
 * table): futex, process-shared semaphore, mutex + condition variable, eventfd, and busy
 * polling.  The shm probe's hand-over times them; a case picks one by its name (the enum
 * parameter lists wake_names, which is the table's names in the table's order).
 *
 * A wake pair lives in memory shared by the two processes (MAP_SHARED, before fork):
 * direction d has its own box, whose number seq says which message is in it.  The waiter of
 * direction d calls wait(d, seq) for message seq (1, 2, ...), the poster post(d, seq) once
 * the message is in the box's payload. */
#ifndef IPCPROBE_WAKE_H
#define IPCPROBE_WAKE_H

#include <pthread.h>
#include <semaphore.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define WAKE_PAYLOAD_MAX 4096

#ifdef __cplusplus
#define WAKE_ALIGN64 alignas(64)
#else
#define WAKE_ALIGN64 _Alignas(64)
#endif

/* One direction.  The payload travels beside its number, as it did in the shm probe's
 * mailbox; sleeps and wakes are each written by one side only, away from the line the
 * hand-over bounces. */
struct wake_box {
	volatile uint32_t seq;		/* futex word and spin flag: the message number */
	volatile uint32_t sleeping;	/* futex: the reader announced it is going to sleep */
	sem_t sem;
	pthread_mutex_t mu;
	pthread_cond_t cv;
	char payload[WAKE_PAYLOAD_MAX];	/* the message: the user's, a wake never touches it */
	WAKE_ALIGN64 uint64_t sleeps;	/* WAKE_COUNTS: times the waiter went to sleep */
	WAKE_ALIGN64 uint64_t wakes;	/* WAKE_COUNTS: wake-ups the poster made */
};

struct wake_pair {
	struct wake_box box[2];
	int efd[2];			/* eventfd: one per direction, else -1 */
};

/* Flags. */
#define WAKE_COUNTS	(1u << 0)	/* keeps sleeps and wakes in the boxes: a wake is made
					 * only for a waiter asleep */

struct wake_ops {
	const char *name;	/* the parameter's value: futex, sem, mutex_cond, eventfd, spin */
	const char *help;
	unsigned flags;
	/* NULL when usable on this platform, else the reason (a static string). */
	const char *(*unsupported)(void);
	/* Optional.  Make the process-shared objects of both directions; 0, or an errno with
	 * the reason in why (ENOSYS / ENOTSUP: the platform lacks it). */
	int (*init)(struct wake_pair *w, char *why, size_t wl);
	/* Optional.  Release what init made (in the process that made it). */
	void (*fini)(struct wake_pair *w);
	void (*wait)(struct wake_pair *w, int d, uint32_t seq);
	void (*post)(struct wake_pair *w, int d, uint32_t seq);
};

/* The table, ending with NULL, and its names in the same order (for an enum parameter). */
extern const struct wake_ops *const wakes[];
extern const char *const wake_names[];

const struct wake_ops *wake_find(const char *name);

/* Zero w (efd -1) and run ops' init; 0, or the errno of init with why filled. */
int wake_open(const struct wake_ops *ops, struct wake_pair *w, char *why, size_t wl);
void wake_close(const struct wake_ops *ops, struct wake_pair *w);

#ifdef __cplusplus
}
#endif

#endif
