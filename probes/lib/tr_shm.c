/* tr_shm.c - a ring of messages per direction in memory shared by the two processes
 * (mmap MAP_SHARED | MAP_ANONYMOUS before fork: nothing named, nothing to leak), in two
 * variants that differ only in how a side waits for its peer:
 *   shm-futex  sleeps on a futex word (a process-shared POSIX semaphore where futexes do not
 *              exist) and is woken by the peer,
 *   shm-spin   busy-polls with the CPU's pause hint, yielding every SPIN_YIELD_EVERY polls
 *              (spin.h) so that two processes on one core still make progress.
 * A message is an 8-byte length, then the payload padded to 8 bytes; the ring holds
 * SHM_RING_BYTES, so a message is at most SHM_RING_BYTES - 8 bytes. */
#include <errno.h>
#include <sched.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "alloc.h"
#include "have.h"
#include "spin.h"
#include "transport.h"

#ifndef __STDC_NO_ATOMICS__
#include <stdatomic.h>

#ifdef HAVE_FUTEX
#include <linux/futex.h>
#include <sys/syscall.h>
#else
#include <semaphore.h>
#endif

#define SHM_RING_BYTES (2u << 20)
#define SHM_HDR 8u
#define SHM_MAX_MSG (SHM_RING_BYTES - SHM_HDR)
#define CACHELINE 64

/* head and tail count bytes ever published and released; each sits on its own line. */
struct ring {
	_Alignas(CACHELINE) _Atomic uint64_t head;
	_Alignas(CACHELINE) _Atomic uint64_t tail;
	/* the consumer sleeps on data_seq, the producer on space_seq */
	_Alignas(CACHELINE) _Atomic uint32_t data_seq;
	_Atomic uint32_t data_wait;
	_Alignas(CACHELINE) _Atomic uint32_t space_seq;
	_Atomic uint32_t space_wait;
#ifndef HAVE_FUTEX
	sem_t data_sem, space_sem;
#endif
	_Alignas(CACHELINE) unsigned char data[SHM_RING_BYTES];
};

enum shm_mode { SHM_SLEEP, SHM_SPIN };

struct shm_end {
	struct ring *tx, *rx;
	enum shm_mode mode;
};

struct shm_pair {
	struct ring *rings;	/* [0]: side 0 -> side 1, [1]: side 1 -> side 0 */
	struct shm_end end[2];
};

#ifdef HAVE_FUTEX
static void sleep_on(_Atomic uint32_t *word, uint32_t seen, void *sem)
{
	(void)sem;
	syscall(SYS_futex, (uint32_t *)word, FUTEX_WAIT, seen, NULL, NULL, 0);
}

static void wake(_Atomic uint32_t *word, void *sem)
{
	(void)sem;
	syscall(SYS_futex, (uint32_t *)word, FUTEX_WAKE, 1, NULL, NULL, 0);
}
#else
static void sleep_on(_Atomic uint32_t *word, uint32_t seen, void *sem)
{
	(void)word, (void)seen;
	sem_wait(sem);	/* EINTR and spurious posts are fine: the caller checks again */
}

static void wake(_Atomic uint32_t *word, void *sem)
{
	(void)word;
	sem_post(sem);
}
#endif

static inline uint64_t rec_bytes(uint64_t len)
{
	return SHM_HDR + ((len + 7) & ~(uint64_t)7);
}

static inline int has_data(struct ring *r)
{
	return atomic_load(&r->head) != atomic_load_explicit(&r->tail, memory_order_relaxed);
}

static inline int has_space(struct ring *r, uint64_t need)
{
	return SHM_RING_BYTES - (atomic_load_explicit(&r->head, memory_order_relaxed) -
				 atomic_load(&r->tail)) >= need;
}

/* Wait until the ring has data (space == 0) or room for need bytes.  Sleeping: announce the
 * wait, check again, sleep on the sequence word read before the announcement; the peer
 * publishes (seq_cst), then looks for an announcement, so one of the two sees the other. */
static void await(struct ring *r, enum shm_mode mode, uint64_t need)
{
	int space = need != 0;
	unsigned spins = 0;
	for (;;) {
		if (space ? has_space(r, need) : has_data(r))
			return;
		if (mode == SHM_SPIN) {
			spin_once(&spins);
			continue;
		}
		_Atomic uint32_t *seq = space ? &r->space_seq : &r->data_seq;
		_Atomic uint32_t *waiting = space ? &r->space_wait : &r->data_wait;
		void *sem = NULL;
#ifndef HAVE_FUTEX
		sem = space ? &r->space_sem : &r->data_sem;
#endif
		uint32_t seen = atomic_load(seq);
		atomic_store(waiting, 1);
		if (space ? has_space(r, need) : has_data(r)) {
			atomic_store(waiting, 0);
			return;
		}
		sleep_on(seq, seen, sem);
		atomic_store(waiting, 0);
	}
}

/* Publish a new head or tail value, then wake the peer if it announced a wait. */
static void publish(_Atomic uint64_t *pos, uint64_t v, enum shm_mode mode,
		    _Atomic uint32_t *seq, _Atomic uint32_t *waiting, void *sem)
{
	if (mode == SHM_SPIN) {
		atomic_store_explicit(pos, v, memory_order_release);
		return;
	}
	atomic_store(pos, v);
	if (atomic_load(waiting)) {
		atomic_fetch_add(seq, 1);
		wake(seq, sem);
	}
}

static void *sem_of(struct ring *r, int space)
{
#ifndef HAVE_FUTEX
	return space ? (void *)&r->space_sem : (void *)&r->data_sem;
#else
	(void)r, (void)space;
	return NULL;
#endif
}

static ssize_t shm_send(struct tr_end *te, const void *buf, size_t len)
{
	struct shm_end *e = te->priv;
	struct ring *r = e->tx;
	if (len > SHM_MAX_MSG) {
		errno = EMSGSIZE;
		return -1;
	}
	uint64_t need = rec_bytes(len);
	await(r, e->mode, need);
	uint64_t h = atomic_load_explicit(&r->head, memory_order_relaxed);
	size_t at = (size_t)(h % SHM_RING_BYTES);
	uint64_t hdr = len;
	memcpy(r->data + at, &hdr, SHM_HDR);	/* at is a multiple of 8: the header never wraps */
	at = (at + SHM_HDR) % SHM_RING_BYTES;
	size_t first = len < SHM_RING_BYTES - at ? len : SHM_RING_BYTES - at;
	memcpy(r->data + at, buf, first);
	memcpy(r->data, (const char *)buf + first, len - first);
	publish(&r->head, h + need, e->mode, &r->data_seq, &r->data_wait, sem_of(r, 0));
	return (ssize_t)len;
}

/* Datagram semantics: a message longer than len is cut to len (the rest is dropped). */
static ssize_t shm_recv(struct tr_end *te, void *buf, size_t len)
{
	struct shm_end *e = te->priv;
	struct ring *r = e->rx;
	await(r, e->mode, 0);
	uint64_t t = atomic_load_explicit(&r->tail, memory_order_relaxed);
	size_t at = (size_t)(t % SHM_RING_BYTES);
	uint64_t mlen;
	memcpy(&mlen, r->data + at, SHM_HDR);
	size_t n = mlen < len ? (size_t)mlen : len;
	at = (at + SHM_HDR) % SHM_RING_BYTES;
	size_t first = n < SHM_RING_BYTES - at ? n : SHM_RING_BYTES - at;
	memcpy(buf, r->data + at, first);
	memcpy((char *)buf + first, r->data, n - first);
	publish(&r->tail, t + rec_bytes(mlen), e->mode, &r->space_seq, &r->space_wait,
		sem_of(r, 1));
	return (ssize_t)n;
}

static int shm_open_mode(struct tr_pair *p, enum shm_mode mode, char *err, size_t errlen)
{
	size_t len = 2 * sizeof(struct ring);
	struct shm_pair *sp = probe_alloc(sizeof(*sp), "an shm pair");
	sp->rings = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (sp->rings == MAP_FAILED) {
		snprintf(err, errlen, "shm: mmap(%zu bytes, MAP_SHARED | MAP_ANONYMOUS): %s (%d)",
			 len, strerror(errno), errno);
		goto free_pair;
	}
#ifndef HAVE_FUTEX
	for (int i = 0; i < 2; i++) {
		if (sem_init(&sp->rings[i].data_sem, 1, 0) < 0 ||
		    sem_init(&sp->rings[i].space_sem, 1, 0) < 0) {
			snprintf(err, errlen, "shm: sem_init(pshared=1): %s (%d)", strerror(errno),
				 errno);
			goto unmap;
		}
	}
#endif
	for (int s = 0; s < 2; s++) {
		sp->end[s].tx = &sp->rings[s];
		sp->end[s].rx = &sp->rings[!s];
		sp->end[s].mode = mode;
		p->end[s].priv = &sp->end[s];
	}
	p->priv = sp;
	return 0;

#ifndef HAVE_FUTEX
unmap:
	munmap(sp->rings, len);
#endif
free_pair:
	free(sp);
	return -1;
}

static int shm_open_sleep(struct tr_pair *p, char *err, size_t errlen)
{
	return shm_open_mode(p, SHM_SLEEP, err, errlen);
}

static int shm_open_spin(struct tr_pair *p, char *err, size_t errlen)
{
	return shm_open_mode(p, SHM_SPIN, err, errlen);
}

static void shm_keep(struct tr_pair *p, int side)
{
	(void)p, (void)side;
}

static void shm_close(struct tr_pair *p)
{
	struct shm_pair *sp = p->priv;
	if (!sp)
		return;
	munmap(sp->rings, 2 * sizeof(struct ring));
	free(sp);
	p->priv = p->end[0].priv = p->end[1].priv = NULL;
}

#ifndef HAVE_FUTEX
/* Some systems declare sem_init() but fail it (macOS: ENOSYS). */
static const char *shm_sleep_unsupported(void)
{
	sem_t s;
	if (sem_init(&s, 1, 0) < 0)
		return "shm-futex: no futex here, and sem_init(pshared=1) fails, so a sleeping "
		       "peer cannot be woken through shared memory";
	sem_destroy(&s);
	return NULL;
}
#define SHM_SLEEP_UNSUPPORTED shm_sleep_unsupported
#define SHM_SLEEP_HOW "a process-shared POSIX semaphore (no futex here)"
#else
#define SHM_SLEEP_UNSUPPORTED NULL
#define SHM_SLEEP_HOW "a futex"
#endif

const struct transport tr_shm_futex = {
	.name = "shm-futex",
	.help = "a ring per direction in shared memory; a waiting side sleeps on " SHM_SLEEP_HOW
		"; messages up to the ring's 2 MiB less an 8-byte header",
	.caps = TR_DGRAM | TR_MSG,
	.max_msg = SHM_MAX_MSG,
	.unsupported = SHM_SLEEP_UNSUPPORTED,
	.open = shm_open_sleep,
	.keep = shm_keep,
	.send = shm_send,
	.recv = shm_recv,
	.close = shm_close,
};

const struct transport tr_shm_spin = {
	.name = "shm-spin",
	.help = "a ring per direction in shared memory; a waiting side busy-polls (yielding "
		"every 4096 polls); messages up to the ring's 2 MiB less an 8-byte header",
	.caps = TR_DGRAM | TR_MSG,
	.max_msg = SHM_MAX_MSG,
	.open = shm_open_spin,
	.keep = shm_keep,
	.send = shm_send,
	.recv = shm_recv,
	.close = shm_close,
};

#else /* __STDC_NO_ATOMICS__ */

static const char *shm_unsupported(void)
{
	return "shm: the compiler has no C11 atomics (__STDC_NO_ATOMICS__), which the ring needs";
}

const struct transport tr_shm_futex = {
	.name = "shm-futex",
	.help = "a ring per direction in shared memory; a waiting side sleeps",
	.caps = TR_DGRAM | TR_MSG,
	.unsupported = shm_unsupported,
};

const struct transport tr_shm_spin = {
	.name = "shm-spin",
	.help = "a ring per direction in shared memory; a waiting side busy-polls",
	.caps = TR_DGRAM | TR_MSG,
	.unsupported = shm_unsupported,
};
#endif
