/* wake.c - the wake-up mechanisms of wake.h, one ops struct each, and their table. */
#include "wake.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "have.h"
#include "spin.h"

#ifdef HAVE_EVENTFD
#include <sys/eventfd.h>
#endif
#ifdef HAVE_FUTEX
#include <linux/futex.h>
#include <sys/syscall.h>
#endif

/* ---- futex ------------------------------------------------------------------------------- */

#ifdef HAVE_FUTEX
/* Sleep until seq arrives: announce the sleep, look again, sleep on the old number.  The
 * writer stores the number, then looks for an announcement (both sequentially consistent),
 * so one of the two sees the other: no wake is lost, and none is made for a peer that has
 * not announced a sleep (one that announced, then saw the number arrive, may get a wake it
 * did not need: wakes can exceed sleeps by those). */
static void futex_wait(struct wake_pair *w, int d, uint32_t seq)
{
	struct wake_box *b = &w->box[d];
	while (__atomic_load_n(&b->seq, __ATOMIC_SEQ_CST) != seq) {
		__atomic_store_n(&b->sleeping, 1, __ATOMIC_SEQ_CST);
		if (__atomic_load_n(&b->seq, __ATOMIC_SEQ_CST) != seq) {
			b->sleeps++;
			syscall(SYS_futex, &b->seq, FUTEX_WAIT, seq - 1, NULL, NULL, 0);
		}
		__atomic_store_n(&b->sleeping, 0, __ATOMIC_SEQ_CST);
	}
}

static void futex_post(struct wake_pair *w, int d, uint32_t seq)
{
	struct wake_box *b = &w->box[d];
	__atomic_store_n(&b->seq, seq, __ATOMIC_SEQ_CST);
	if (__atomic_load_n(&b->sleeping, __ATOMIC_SEQ_CST)) {
		b->wakes++;
		syscall(SYS_futex, &b->seq, FUTEX_WAKE, 1, NULL, NULL, 0);
	}
}

static const char *futex_unsupported(void)
{
	return NULL;
}
#else
static void futex_wait(struct wake_pair *w, int d, uint32_t seq)
{
	(void)w, (void)d, (void)seq;
}

static void futex_post(struct wake_pair *w, int d, uint32_t seq)
{
	(void)w, (void)d, (void)seq;
}

static const char *futex_unsupported(void)
{
	return "futex(2) does not exist on this platform";
}
#endif

static const struct wake_ops wake_futex = {
	.name = "futex",
	.help = "futex(2) on the message number, woken only when it sleeps",
	.flags = WAKE_COUNTS,
	.unsupported = futex_unsupported,
	.wait = futex_wait,
	.post = futex_post,
};

/* ---- process-shared semaphore ------------------------------------------------------------ */

static int sem_init_pair(struct wake_pair *w, char *why, size_t wl)
{
	for (int d = 0; d < 2; d++) {
		if (sem_init(&w->box[d].sem, 1, 0) < 0) {
			int e = errno;
			snprintf(why, wl, "sem_init(pshared=1): %s (%d)", strerror(e), e);
			if (d == 1)
				sem_destroy(&w->box[0].sem);
			return e;
		}
	}
	return 0;
}

static void sem_fini_pair(struct wake_pair *w)
{
	for (int d = 0; d < 2; d++)
		sem_destroy(&w->box[d].sem);
}

static void sem_wait_for(struct wake_pair *w, int d, uint32_t seq)
{
	(void)seq;
	while (sem_wait(&w->box[d].sem) < 0 && errno == EINTR)
		;
}

static void sem_post_seq(struct wake_pair *w, int d, uint32_t seq)
{
	w->box[d].seq = seq;
	sem_post(&w->box[d].sem);
}

static const struct wake_ops wake_sem = {
	.name = "sem",
	.help = "a process-shared POSIX semaphore (sem_init pshared=1)",
	.init = sem_init_pair,
	.fini = sem_fini_pair,
	.wait = sem_wait_for,
	.post = sem_post_seq,
};

/* ---- mutex + condition variable ---------------------------------------------------------- */

/* One box's process-shared mutex and condition variable; 0 or an errno. */
static int mutex_cond_init_box(struct wake_box *b)
{
	pthread_mutexattr_t ma;
	pthread_condattr_t ca;
	pthread_mutexattr_init(&ma);
	pthread_condattr_init(&ca);
	int e = pthread_mutexattr_setpshared(&ma, PTHREAD_PROCESS_SHARED);
	if (!e)
		e = pthread_condattr_setpshared(&ca, PTHREAD_PROCESS_SHARED);
	if (!e)
		e = pthread_mutex_init(&b->mu, &ma);
	if (!e && (e = pthread_cond_init(&b->cv, &ca)) != 0)
		pthread_mutex_destroy(&b->mu);
	pthread_mutexattr_destroy(&ma);
	pthread_condattr_destroy(&ca);
	return e;
}

static void mutex_cond_fini(struct wake_pair *w)
{
	for (int d = 0; d < 2; d++) {
		pthread_cond_destroy(&w->box[d].cv);
		pthread_mutex_destroy(&w->box[d].mu);
	}
}

static int mutex_cond_init(struct wake_pair *w, char *why, size_t wl)
{
	for (int d = 0; d < 2; d++) {
		int e = mutex_cond_init_box(&w->box[d]);
		if (e) {
			snprintf(why, wl, "process-shared mutex/condition variable: %s (%d)",
				 strerror(e), e);
			if (d == 1) {
				pthread_cond_destroy(&w->box[0].cv);
				pthread_mutex_destroy(&w->box[0].mu);
			}
			return e;
		}
	}
	return 0;
}

static void mutex_cond_wait(struct wake_pair *w, int d, uint32_t seq)
{
	struct wake_box *b = &w->box[d];
	pthread_mutex_lock(&b->mu);
	while (b->seq != seq)
		pthread_cond_wait(&b->cv, &b->mu);
	pthread_mutex_unlock(&b->mu);
}

static void mutex_cond_post(struct wake_pair *w, int d, uint32_t seq)
{
	struct wake_box *b = &w->box[d];
	pthread_mutex_lock(&b->mu);
	b->seq = seq;
	pthread_cond_signal(&b->cv);
	pthread_mutex_unlock(&b->mu);
}

static const struct wake_ops wake_mutex_cond = {
	.name = "mutex_cond",
	.help = "a process-shared mutex and condition variable",
	.init = mutex_cond_init,
	.fini = mutex_cond_fini,
	.wait = mutex_cond_wait,
	.post = mutex_cond_post,
};

/* ---- eventfd ----------------------------------------------------------------------------- */

#ifdef HAVE_EVENTFD
static int efd_init(struct wake_pair *w, char *why, size_t wl)
{
	for (int d = 0; d < 2; d++) {
		if ((w->efd[d] = eventfd(0, EFD_CLOEXEC)) < 0) {
			int e = errno;
			snprintf(why, wl, "eventfd: %s (%d)", strerror(e), e);
			return e;
		}
	}
	return 0;
}

static void efd_wait(struct wake_pair *w, int d, uint32_t seq)
{
	uint64_t v;
	(void)seq;
	while (read(w->efd[d], &v, sizeof(v)) < 0 && errno == EINTR)
		;
}

static void efd_post(struct wake_pair *w, int d, uint32_t seq)
{
	uint64_t one = 1;
	w->box[d].seq = seq;
	if (write(w->efd[d], &one, sizeof(one)) != (ssize_t)sizeof(one))
		abort();	/* a counter of ours that cannot take 1: a bug */
}

static const char *efd_unsupported(void)
{
	return NULL;
}
#else
static int efd_init(struct wake_pair *w, char *why, size_t wl)
{
	(void)w;
	snprintf(why, wl, "eventfd(2) does not exist on this platform");
	return ENOSYS;
}

static void efd_wait(struct wake_pair *w, int d, uint32_t seq)
{
	(void)w, (void)d, (void)seq;
}

static void efd_post(struct wake_pair *w, int d, uint32_t seq)
{
	(void)w, (void)d, (void)seq;
}

static const char *efd_unsupported(void)
{
	return "eventfd(2) does not exist on this platform";
}
#endif

/* The descriptors are closed by wake_close() (and by wake_open() when init fails). */
static const struct wake_ops wake_eventfd = {
	.name = "eventfd",
	.help = "an eventfd(2) per direction",
	.unsupported = efd_unsupported,
	.init = efd_init,
	.wait = efd_wait,
	.post = efd_post,
};

/* ---- busy polling ------------------------------------------------------------------------ */

static void spin_wait(struct wake_pair *w, int d, uint32_t seq)
{
	unsigned spins = 0;
	while (__atomic_load_n(&w->box[d].seq, __ATOMIC_ACQUIRE) != seq)
		spin_once(&spins);
}

static void spin_post(struct wake_pair *w, int d, uint32_t seq)
{
	__atomic_store_n(&w->box[d].seq, seq, __ATOMIC_RELEASE);
}

static const struct wake_ops wake_spin = {
	.name = "spin",
	.help = "busy polling of the message number with the pause hint",
	.wait = spin_wait,
	.post = spin_post,
};

/* ---- the table --------------------------------------------------------------------------- */

/* One line per mechanism; wake_names follows the same order. */
const struct wake_ops *const wakes[] = {
	&wake_futex, &wake_sem, &wake_mutex_cond, &wake_eventfd, &wake_spin, NULL,
};
const char *const wake_names[] = { "futex", "sem", "mutex_cond", "eventfd", "spin", NULL };

const struct wake_ops *wake_find(const char *name)
{
	for (int i = 0; wakes[i]; i++)
		if (strcmp(wakes[i]->name, name) == 0)
			return wakes[i];
	return NULL;
}

/* Close the descriptors a mechanism made (eventfd). */
static void close_fds(struct wake_pair *w)
{
	for (int d = 0; d < 2; d++) {
		if (w->efd[d] >= 0)
			close(w->efd[d]);
		w->efd[d] = -1;
	}
}

int wake_open(const struct wake_ops *ops, struct wake_pair *w, char *why, size_t wl)
{
	memset(w, 0, sizeof(*w));
	w->efd[0] = w->efd[1] = -1;
	const char *no = ops->unsupported ? ops->unsupported() : NULL;
	if (no) {
		snprintf(why, wl, "%s", no);
		return ENOSYS;
	}
	int e = ops->init ? ops->init(w, why, wl) : 0;
	if (e)
		close_fds(w);	/* init undid the rest of what it made */
	return e;
}

void wake_close(const struct wake_ops *ops, struct wake_pair *w)
{
	if (ops->fini)
		ops->fini(w);
	close_fds(w);
}
