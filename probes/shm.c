/* shm.c - what shared memory costs: creating, mapping and removing a region, faulting its
 * pages in, copying into it against private memory, and handing it to another process by
 * each way of waking the peer.  (A ring between two processes is measured by the throughput
 * probe over the shm-futex and shm-spin transports, beside pipe and unix-stream.) */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <semaphore.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ipc.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include "child.h"
#include "cleanup.h"
#include "have.h"
#include "probe.h"
#include "stats.h"
#include "timing.h"

#ifdef HAVE_SYSV_SHM
#include <sys/shm.h>
#endif
#ifdef HAVE_EVENTFD
#include <sys/eventfd.h>
#endif
#ifdef HAVE_FUTEX
#include <linux/futex.h>
#include <sys/syscall.h>
#endif

enum method { M_POSIX, M_MEMFD, M_SYSV, M_ANON, M_HUGETLB };
static const char *const method_names[] = { "posix_shm", "memfd", "sysv", "anon_shared",
					    "hugetlb", NULL };

struct region {
	enum method m;
	size_t len;
	void *p;
	int fd;
	int shmid;
	int handle;	/* cleanup registration of the name or id */
};

/* ---- regions ----------------------------------------------------------------------------- */

static long long meminfo(const char *key)
{
	FILE *f = fopen("/proc/meminfo", "r");
	char line[256];
	long long v = -1;
	size_t kl = strlen(key);
	while (f && fgets(line, sizeof(line), f))
		if (strncmp(line, key, kl) == 0 && line[kl] == ':')
			v = atoll(line + kl + 1) * 1024;
	if (f)
		fclose(f);
	return v;
}

/* Does a region of len bytes fit here?  NULL, or the reason it does not. */
static const char *does_not_fit(enum method m, size_t len, char *why, size_t wl)
{
	long long avail = meminfo("MemAvailable");
	if (avail > 0 && (long long)len > avail / 2) {
		snprintf(why, wl, "%zu bytes is more than half of MemAvailable (%lld bytes): not "
				  "measured, to keep the machine up", len, avail);
		return why;
	}
	struct statvfs sv;
	if (m == M_POSIX && statvfs("/dev/shm", &sv) == 0 &&
	    (unsigned long long)len > (unsigned long long)sv.f_bavail * sv.f_frsize) {
		snprintf(why, wl, "%zu bytes do not fit in /dev/shm (%llu bytes free); enlarge it "
				  "with mount -o remount,size=...", len,
			 (unsigned long long)sv.f_bavail * sv.f_frsize);
		return why;
	}
	if (m == M_HUGETLB) {
		long long total = meminfo("HugePages_Free"), hp = meminfo("Hugepagesize");
		/* HugePages_Free is a count, not kB: meminfo() multiplied it by 1024. */
		if (total >= 0)
			total /= 1024;
		if (total <= 0 || hp <= 0 || (long long)len > total * hp) {
			snprintf(why, wl, "huge pages: %lld free of %lld bytes each, %zu bytes needed; "
					  "reserve some with sysctl vm.nr_hugepages=N",
				 total < 0 ? 0 : total, hp, len);
			return why;
		}
	}
	return NULL;
}

/* Create the object behind a region (nothing for anonymous memory). */
static int region_create(struct region *r, char *err, size_t el)
{
	r->fd = r->shmid = r->handle = -1;
	switch (r->m) {
	case M_POSIX: {
#ifdef HAVE_SHM_OPEN
		char name[96];
		ipc_name(name, sizeof(name));
		r->fd = shm_open(name, O_RDWR | O_CREAT | O_EXCL, 0600);
		if (r->fd < 0)
			break;
		r->handle = cleanup_add_name(CL_SHM, name);
		if (ftruncate(r->fd, (off_t)r->len) < 0)
			break;
		/* The descriptor keeps the object; the name can go now. */
		cleanup_remove(r->handle);
		r->handle = -1;
		return 0;
#else
		snprintf(err, el, "shm_open: not available on this platform");
		errno = ENOSYS;
		return -1;
#endif
	}
	case M_MEMFD:
	case M_HUGETLB:
#ifdef HAVE_MEMFD_CREATE
#ifndef MFD_HUGETLB
		if (r->m == M_HUGETLB) {
			snprintf(err, el, "memfd_create: no MFD_HUGETLB on this platform");
			errno = ENOSYS;
			return -1;
		}
#define MFD_HUGETLB 0
#endif
		r->fd = memfd_create("ipcprobe", MFD_CLOEXEC | (r->m == M_HUGETLB ? MFD_HUGETLB : 0));
		if (r->fd < 0 || ftruncate(r->fd, (off_t)r->len) < 0)
			break;
		return 0;
#else
		snprintf(err, el, "memfd_create: not available on this platform");
		errno = ENOSYS;
		return -1;
#endif
	case M_SYSV:
#ifdef HAVE_SYSV_SHM
		for (int tries = 0; tries < 256 && r->shmid < 0; tries++) {
			r->shmid = shmget(ipc_key(), r->len, IPC_CREAT | IPC_EXCL | 0600);
			if (r->shmid < 0 && errno != EEXIST)
				break;
		}
		if (r->shmid < 0)
			break;
		r->handle = cleanup_add_id(CL_SYSV_SHM, r->shmid);
		return 0;
#else
		snprintf(err, el, "shmget: not available on this platform");
		errno = ENOSYS;
		return -1;
#endif
	case M_ANON:
		return 0;
	}
	int e = errno;
	snprintf(err, el, "%s: creating %zu bytes: %s (%d)%s", method_names[r->m], r->len,
		 strerror(e), e, e == EINVAL && r->m == M_SYSV ? "; above kernel.shmmax?" : "");
	if (r->fd >= 0)
		close(r->fd);
	if (r->handle >= 0)
		cleanup_remove(r->handle);
	errno = e;
	return -1;
}

static int region_map(struct region *r, char *err, size_t el)
{
	if (r->m == M_SYSV) {
#ifdef HAVE_SYSV_SHM
		r->p = shmat(r->shmid, NULL, 0);
		if (r->p == (void *)-1) {
			snprintf(err, el, "shmat: %s (%d)", strerror(errno), errno);
			return -1;
		}
		/* Linux keeps a removed segment until its last detach: remove it now. */
		shmctl(r->shmid, IPC_RMID, NULL);
		cleanup_forget(r->handle);
		r->handle = -1;
#endif
		return 0;
	}
	int flags = MAP_SHARED | (r->m == M_ANON ? MAP_ANONYMOUS : 0);
	r->p = mmap(NULL, r->len, PROT_READ | PROT_WRITE, flags, r->m == M_ANON ? -1 : r->fd, 0);
	if (r->p == MAP_FAILED) {
		snprintf(err, el, "mmap(%zu bytes, MAP_SHARED): %s (%d)", r->len, strerror(errno),
			 errno);
		return -1;
	}
	return 0;
}

static void region_remove(struct region *r)
{
#ifdef HAVE_SYSV_SHM
	if (r->m == M_SYSV && r->p && r->p != (void *)-1)
		shmdt(r->p);
#endif
	if (r->m != M_SYSV && r->p && r->p != MAP_FAILED)
		munmap(r->p, r->len);
	if (r->fd >= 0)
		close(r->fd);
	if (r->handle >= 0)
		cleanup_remove(r->handle);
	r->p = NULL;
	r->fd = -1;
	r->handle = -1;
}

/* Open a whole region for a case, or emit the record saying why not. */
static int region_open(struct probe_ctx *ctx, struct region *r)
{
	char err[512];
	r->m = (enum method)param_int(ctx, "method");
	r->len = (size_t)param_int(ctx, "size");
	if (does_not_fit(r->m, r->len, err, sizeof(err)))
		return probe_unsupported(ctx, "%s", err);
	if (region_create(r, err, sizeof(err)) < 0 || region_map(r, err, sizeof(err)) < 0) {
		int e = errno;
		region_remove(r);
		if (e == ENOSYS || (r->m == M_HUGETLB && (e == ENOMEM || e == EINVAL)))
			return probe_unsupported(ctx, "%s", err);
		return probe_failed(ctx, "%s", err);
	}
	return PROBE_OK;
}

static size_t page_size_of(const struct region *r)
{
	long hp = meminfo("Hugepagesize");
	return r->m == M_HUGETLB && hp > 0 ? (size_t)hp : (size_t)sysconf(_SC_PAGESIZE);
}

/* ---- setup ------------------------------------------------------------------------------- */

static void emit_dist(struct probe_ctx *ctx, const char *metric, int64_t *v, size_t n,
		      const char *what)
{
	struct stats st;
	stats_compute(v, n, &st);
	struct rec *r = rec_new(ctx, metric);
	rec_value(r, st.p50);
	rec_dist(r, stats_json(&st));
	rec_fact(r, "includes", json_string(what));
	rec_emit(r);
}

static int run_setup(struct probe_ctx *ctx)
{
	size_t n = (size_t)param_int(ctx, "iterations");
	enum method m = (enum method)param_int(ctx, "method");
	size_t len = (size_t)param_int(ctx, "size");
	char err[512];
	if (does_not_fit(m, len, err, sizeof(err)))
		return probe_unsupported(ctx, "%s", err);
	int64_t *t = calloc(3 * n, sizeof(*t));
	if (!t)
		return probe_failed(ctx, "out of memory for %zu samples", 3 * n);
	for (size_t i = 0; i < n; i++) {
		struct region r = { .m = m, .len = len };
		int64_t t0 = now_ns();
		int rc = region_create(&r, err, sizeof(err));
		int64_t t1 = now_ns();
		if (rc == 0)
			rc = region_map(&r, err, sizeof(err));
		int64_t t2 = now_ns();
		int e = errno;
		region_remove(&r);
		int64_t t3 = now_ns();
		if (rc < 0) {
			free(t);
			if (e == ENOSYS || (m == M_HUGETLB && (e == ENOMEM || e == EINVAL)))
				return probe_unsupported(ctx, "%s", err);
			return probe_failed(ctx, "%s", err);
		}
		t[i] = t1 - t0;
		t[n + i] = t2 - t1;
		t[2 * n + i] = t3 - t2;
	}
	if (m != M_ANON)
		emit_dist(ctx, "create_ns", t, n, "shm_open+ftruncate, memfd_create+ftruncate or shmget");
	emit_dist(ctx, "map_ns", t + n, n, "mmap(MAP_SHARED) or shmat, no page touched");
	emit_dist(ctx, "unmap_ns", t + 2 * n, n, "munmap or shmdt, and close/remove");
	free(t);
	return PROBE_OK;
}

/* ---- touch ------------------------------------------------------------------------------- */

static long minflt(void)
{
	struct rusage ru;
	getrusage(RUSAGE_SELF, &ru);
	return ru.ru_minflt;
}

/* A child reads the byte the parent wrote at the start of every page and answers with its
 * complement in the second byte: the region is really shared iff every answer is right. */
static int check_shared(struct region *r, size_t page)
{
	size_t pages = r->len / page;
	volatile unsigned char *b = r->p;
	for (size_t i = 0; i < pages; i++)
		b[i * page] = (unsigned char)(i * 31 + 7);
	pid_t pid = child_fork();
	if (pid < 0)
		return -1;
	if (pid == 0) {
		for (size_t i = 0; i < pages; i++) {
			if (b[i * page] != (unsigned char)(i * 31 + 7))
				_exit(1);
			b[i * page + 1] = (unsigned char)~b[i * page];
		}
		_exit(0);
	}
	int st = child_reap(pid, 60LL * 1000000000, NULL);
	if (st != 0)
		return 0;
	for (size_t i = 0; i < pages; i++)
		if (b[i * page + 1] != (unsigned char)~(unsigned char)(i * 31 + 7))
			return 0;
	return 1;
}

static int run_touch(struct probe_ctx *ctx)
{
	struct region r;
	int rc = region_open(ctx, &r);
	if (rc != PROBE_OK)
		return rc;
	size_t page = page_size_of(&r), pages = r.len / page;
	if (pages == 0) {
		region_remove(&r);
		return probe_unsupported(ctx, "a region smaller than one page (%zu bytes)", page);
	}
	volatile char *b = r.p;
	long f0 = minflt();
	int64_t t0 = now_ns();
	for (size_t i = 0; i < pages; i++)
		b[i * page] = 1;
	int64_t t1 = now_ns();
	long f1 = minflt();
	for (size_t i = 0; i < pages; i++)
		b[i * page] = 2;
	int64_t t2 = now_ns();
	long f2 = minflt();
	int shared = check_shared(&r, page);
	region_remove(&r);
	if (shared != 1)
		return probe_failed(ctx, "the region is not shared: a child did not see the "
					 "parent's writes (or the parent the child's)");
	struct rec *rec = rec_new(ctx, "first_touch_per_page");
	rec_value(rec, (double)(t1 - t0) / (double)pages);
	rec_fact(rec, "pages", json_integer((json_int_t)pages));
	rec_fact(rec, "page_size", json_integer((json_int_t)page));
	rec_fact(rec, "minor_faults", json_integer(f1 - f0));
	rec_fact(rec, "shared_check", json_true());
	rec_emit(rec);
	rec = rec_new(ctx, "second_touch_per_page");
	rec_value(rec, (double)(t2 - t1) / (double)pages);
	rec_fact(rec, "minor_faults", json_integer(f2 - f1));
	rec_emit(rec);
	rec = rec_new(ctx, "fault_ratio");
	rec_value(rec, t2 > t1 ? (double)(t1 - t0) / (double)(t2 - t1) : 0);
	rec_emit(rec);
	return PROBE_OK;
}

/* ---- copy bandwidth ---------------------------------------------------------------------- */

/* Bytes per second memcpy achieves from src into dst (len bytes), over at least min_ns. */
static double copy_rate(void *dst, const void *src, size_t len, int64_t min_ns, long *rounds)
{
	int64_t t0 = now_ns(), t;
	long n = 0;
	do {
		memcpy(dst, src, len);
		__asm__ __volatile__("" : : "r"(dst) : "memory");
		n++;
		t = now_ns();
	} while (t - t0 < min_ns);
	*rounds = n;
	return (double)len * (double)n / ((double)(t - t0) / 1e9);
}

static int run_copy(struct probe_ctx *ctx)
{
	struct region r;
	int rc = region_open(ctx, &r);
	if (rc != PROBE_OK)
		return rc;
	int64_t min_ns = param_int(ctx, "min_time");
	char *src = malloc(r.len), *priv = malloc(r.len);
	if (!src || !priv) {
		free(src);
		free(priv);
		region_remove(&r);
		return probe_failed(ctx, "out of memory for two private %zu-byte buffers", r.len);
	}
	memset(src, 'x', r.len);
	memset(priv, 0, r.len);
	memset(r.p, 0, r.len);	/* both destinations faulted in before timing */
	long n_shared, n_priv;
	double shared = copy_rate(r.p, src, r.len, min_ns, &n_shared);
	double private_ = copy_rate(priv, src, r.len, min_ns, &n_priv);
	int ok = memcmp(r.p, src, r.len) == 0;
	free(src);
	free(priv);
	region_remove(&r);
	if (!ok)
		return probe_failed(ctx, "the shared region does not hold what was copied into it");
	struct rec *rec = rec_new(ctx, "bandwidth");
	rec_value(rec, shared);
	rec_fact(rec, "dest", json_string("shared"));
	rec_fact(rec, "rounds", json_integer(n_shared));
	rec_emit(rec);
	rec = rec_new(ctx, "private_bandwidth");
	rec_value(rec, private_);
	rec_fact(rec, "dest", json_string("private"));
	rec_fact(rec, "rounds", json_integer(n_priv));
	rec_emit(rec);
	rec = rec_new(ctx, "shared_vs_private");
	rec_value(rec, shared / private_);
	rec_emit(rec);
	return PROBE_OK;
}

/* ---- hand-over --------------------------------------------------------------------------- */

enum wake { W_FUTEX, W_SEM, W_MUTEX_COND, W_EVENTFD, W_SPIN };
static const char *const wake_names[] = { "futex", "sem", "mutex_cond", "eventfd", "spin", NULL };

/* The shared page of a hand-over: one mailbox per direction. */
struct mailbox {
	volatile uint32_t seq;		/* futex word and spin flag: the message number */
	sem_t sem;
	pthread_mutex_t mu;
	pthread_cond_t cv;
	char payload[4096];
};

struct handover {
	enum wake w;
	size_t size;
	struct mailbox box[2];		/* box[0]: to the peer, box[1]: back */
	int efd[2];
};

static void wait_for(struct handover *h, int d, uint32_t seq)
{
	struct mailbox *b = &h->box[d];
	switch (h->w) {
	case W_FUTEX:
#ifdef HAVE_FUTEX
		while (__atomic_load_n(&b->seq, __ATOMIC_ACQUIRE) != seq)
			syscall(SYS_futex, &b->seq, FUTEX_WAIT, seq - 1, NULL, NULL, 0);
#endif
		break;
	case W_SEM:
		while (sem_wait(&b->sem) < 0 && errno == EINTR)
			;
		break;
	case W_MUTEX_COND:
		pthread_mutex_lock(&b->mu);
		while (b->seq != seq)
			pthread_cond_wait(&b->cv, &b->mu);
		pthread_mutex_unlock(&b->mu);
		break;
	case W_EVENTFD: {
#ifdef HAVE_EVENTFD
		uint64_t v;
		while (read(h->efd[d], &v, sizeof(v)) < 0 && errno == EINTR)
			;
#endif
		break;
	}
	case W_SPIN:
		while (__atomic_load_n(&b->seq, __ATOMIC_ACQUIRE) != seq)
			;
		break;
	}
}

static void post(struct handover *h, int d, uint32_t seq)
{
	struct mailbox *b = &h->box[d];
	switch (h->w) {
	case W_FUTEX:
		__atomic_store_n(&b->seq, seq, __ATOMIC_RELEASE);
#ifdef HAVE_FUTEX
		syscall(SYS_futex, &b->seq, FUTEX_WAKE, 1, NULL, NULL, 0);
#endif
		break;
	case W_SEM:
		b->seq = seq;
		sem_post(&b->sem);
		break;
	case W_MUTEX_COND:
		pthread_mutex_lock(&b->mu);
		b->seq = seq;
		pthread_cond_signal(&b->cv);
		pthread_mutex_unlock(&b->mu);
		break;
	case W_EVENTFD: {
		b->seq = seq;
#ifdef HAVE_EVENTFD
		uint64_t one = 1;
		if (write(h->efd[d], &one, sizeof(one)) != (ssize_t)sizeof(one))
			abort();
#endif
		break;
	}
	case W_SPIN:
		__atomic_store_n(&b->seq, seq, __ATOMIC_RELEASE);
		break;
	}
}

/* Write message seq into direction d's payload: its first 4 bytes carry seq. */
static void put_msg(struct handover *h, int d, uint32_t seq)
{
	memset(h->box[d].payload, (int)(seq & 0xff), h->size);
	memcpy(h->box[d].payload, &seq, h->size < 4 ? h->size : 4);
}

static int msg_ok(struct handover *h, int d, uint32_t seq)
{
	uint32_t got = 0;
	memcpy(&got, h->box[d].payload, h->size < 4 ? h->size : 4);
	uint32_t want = seq;
	if (h->size < 4)
		want &= (1u << (8 * h->size)) - 1;
	return got == want && h->box[d].seq == seq;
}

static const char *wake_unsupported(enum wake w)
{
#ifndef HAVE_FUTEX
	if (w == W_FUTEX)
		return "futex(2) does not exist on this platform";
#endif
#ifndef HAVE_EVENTFD
	if (w == W_EVENTFD)
		return "eventfd(2) does not exist on this platform";
#endif
	(void)w;
	return NULL;
}

/* Initialise the process-shared wake-up objects; 0, or an errno with why filled. */
static int handover_init(struct handover *h, char *why, size_t wl)
{
	for (int d = 0; d < 2; d++) {
		struct mailbox *b = &h->box[d];
		if (h->w == W_SEM && sem_init(&b->sem, 1, 0) < 0) {
			snprintf(why, wl, "sem_init(pshared=1): %s (%d)", strerror(errno), errno);
			return errno;
		}
		if (h->w == W_MUTEX_COND) {
			pthread_mutexattr_t ma;
			pthread_condattr_t ca;
			pthread_mutexattr_init(&ma);
			pthread_condattr_init(&ca);
			int e = pthread_mutexattr_setpshared(&ma, PTHREAD_PROCESS_SHARED);
			if (!e)
				e = pthread_condattr_setpshared(&ca, PTHREAD_PROCESS_SHARED);
			if (!e)
				e = pthread_mutex_init(&b->mu, &ma);
			if (!e)
				e = pthread_cond_init(&b->cv, &ca);
			pthread_mutexattr_destroy(&ma);
			pthread_condattr_destroy(&ca);
			if (e) {
				snprintf(why, wl, "process-shared mutex/condition variable: %s (%d)",
					 strerror(e), e);
				return e;
			}
		}
#ifdef HAVE_EVENTFD
		if (h->w == W_EVENTFD && (h->efd[d] = eventfd(0, EFD_CLOEXEC)) < 0) {
			snprintf(why, wl, "eventfd: %s (%d)", strerror(errno), errno);
			return errno;
		}
#endif
	}
	return 0;
}

static int run_handover(struct probe_ctx *ctx)
{
	enum wake w = (enum wake)param_int(ctx, "wake");
	size_t size = (size_t)param_int(ctx, "size");
	long n = (long)param_int(ctx, "round_trips"), warm = n / 10;
	const char *why = wake_unsupported(w);
	char err[256];
	if (why)
		return probe_unsupported(ctx, "%s", why);
	struct handover *h = mmap(NULL, sizeof(*h), PROT_READ | PROT_WRITE,
				  MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (h == MAP_FAILED)
		return probe_failed(ctx, "mmap(MAP_SHARED|MAP_ANONYMOUS): %s (%d)", strerror(errno),
				    errno);
	memset(h, 0, sizeof(*h));
	h->w = w;
	h->size = size;
	h->efd[0] = h->efd[1] = -1;
	int e = handover_init(h, err, sizeof(err));
	int64_t *t = e ? NULL : malloc((size_t)n * sizeof(*t));
	int rc = PROBE_OK;
	if (e) {
		rc = e == ENOSYS || e == ENOTSUP ? probe_unsupported(ctx, "%s", err) :
						   probe_failed(ctx, "%s", err);
		goto unmap;
	}
	if (!t) {
		rc = probe_failed(ctx, "out of memory for %ld samples", n);
		goto unmap;
	}
	pid_t pid = child_fork();
	if (pid == 0) {
		/* The peer: check each message, hand the same number back. */
		for (uint32_t seq = 1; seq <= (uint32_t)(n + warm); seq++) {
			wait_for(h, 0, seq);
			if (!msg_ok(h, 0, seq))
				_exit(1);
			put_msg(h, 1, seq);
			post(h, 1, seq);
		}
		_exit(0);
	}
	int bad = 0;
	for (uint32_t seq = 1; seq <= (uint32_t)(n + warm) && !bad; seq++) {
		int64_t t0 = now_ns();
		put_msg(h, 0, seq);
		post(h, 0, seq);
		wait_for(h, 1, seq);
		int64_t t1 = now_ns();
		bad = !msg_ok(h, 1, seq);
		if (seq > (uint32_t)warm)
			t[seq - 1 - warm] = t1 - t0;
	}
	int st = child_reap(pid, bad ? 0 : 60LL * 1000000000, NULL);
	if (bad || st != 0) {
		rc = probe_failed(ctx, "a hand-over arrived wrong (payload or sequence) or the peer "
				       "failed: %s", child_status_str(st, err, sizeof(err)));
		goto free_samples;
	}
	struct stats s;
	stats_compute(t, (size_t)n, &s);
	struct rec *r = rec_new(ctx, "rtt");
	rec_value(r, s.p50);
	rec_dist(r, stats_json(&s));
	rec_fact(r, "bytes_checked", json_integer((json_int_t)size));
	rec_fact(r, "warmup_round_trips", json_integer(warm));
	rec_fact(r, "timer_overhead_ns", json_integer(timer_overhead_ns()));
	rec_emit(r);
free_samples:
	free(t);
unmap:
	for (int d = 0; d < 2; d++) {
		if (h->efd[d] >= 0)
			close(h->efd[d]);
		if (w == W_SEM)
			sem_destroy(&h->box[d].sem);
	}
	munmap(h, sizeof(*h));
	return rc;
}

/* ---- tables ------------------------------------------------------------------------------ */

#define METHOD_PARAM                                                                        \
	{ "method", PT_ENUM, "posix_shm", NULL, NULL, method_names,                          \
	  "posix_shm: shm_open; memfd: memfd_create; sysv: shmget; anon_shared: "            \
	  "MAP_SHARED|MAP_ANONYMOUS inherited across fork; hugetlb: memfd with MFD_HUGETLB" }

static const struct param_desc p_setup[] = {
	METHOD_PARAM,
	{ "size", PT_SIZE, "1MiB", "4KiB", "1GiB", NULL, "region size" },
	{ "iterations", PT_INT, "50", "1", "100000", NULL, "create/map/remove cycles timed" },
	{ NULL },
};

static const struct metric_desc m_setup[] = {
	{ "create_ns", "ns", "lower", "creating the object (none for anon_shared)" },
	{ "map_ns", "ns", "lower", "mapping it, no page touched" },
	{ "unmap_ns", "ns", "lower", "unmapping and removing it" },
	{ NULL },
};

static const struct param_desc p_touch[] = {
	METHOD_PARAM,
	{ "size", PT_SIZE, "1MiB", "4KiB", "1GiB", NULL, "region size" },
	{ NULL },
};

static const struct metric_desc m_touch[] = {
	{ "first_touch_per_page", "ns", "lower",
	  "writing one byte per page of a fresh mapping: the page fault and zeroing" },
	{ "second_touch_per_page", "ns", "lower", "the same write again, pages present" },
	{ "fault_ratio", "ratio", "none", "first touch over second touch" },
	{ NULL },
};

static const struct param_desc p_copy[] = {
	METHOD_PARAM,
	{ "size", PT_SIZE, "1MiB", "4KiB", "1GiB", NULL, "bytes copied per memcpy" },
	{ "min_time", PT_DURATION, "200ms", "1ms", "60s", NULL, "time spent copying per figure" },
	{ NULL },
};

static const struct metric_desc m_copy[] = {
	{ "bandwidth", "bytes_per_s", "higher", "memcpy into the shared region, faulted in" },
	{ "private_bandwidth", "bytes_per_s", "higher",
	  "memcpy into private memory of the same size (the floor)" },
	{ "shared_vs_private", "ratio", "higher", "shared over private bandwidth" },
	{ NULL },
};

static const struct param_desc p_handover[] = {
	{ "wake", PT_ENUM, "futex", NULL, NULL, wake_names,
	  "how the peer is woken: futex, process-shared semaphore, mutex + condition variable, "
	  "eventfd, or busy polling" },
	{ "size", PT_SIZE, "64", "1", "4KiB", NULL, "payload written and checked per hand-over" },
	{ "round_trips", PT_INT, "20000", "10", "10000000", NULL,
	  "round trips timed (a tenth more run first as warm-up)" },
	{ NULL },
};

static const struct metric_desc m_handover[] = {
	{ "rtt", "ns", "lower",
	  "write the payload into shared memory, wake the peer, which checks it and hands it "
	  "back the same way; unpinned" },
	{ NULL },
};

static const struct case_desc cases[] = {
	{ "setup", "the cost to create, map and remove a region", m_setup, p_setup, 0, run_setup },
	{ "touch", "page faults: first touch against second touch, and the region really shared",
	  m_touch, p_touch, 0, run_touch },
	{ "copy_bandwidth", "memcpy into the region against memcpy into private memory", m_copy,
	  p_copy, 0, run_copy },
	{ "handover", "hand-over latency by way of waking the peer", m_handover, p_handover, 0,
	  run_handover },
	{ NULL },
};

static const struct probe_desc shm = {
	.name = "shm",
	.help = "what shared memory costs to create, fault in, fill and hand over",
	.cases = cases,
};

int main(int argc, char **argv)
{
	return probe_main(argc, argv, &shm);
}
