/* shm.c - what shared memory costs: creating, mapping, unmapping and removing a region (each timed alone), faulting its
 * pages in, copying into it against private memory, and handing it to another process by
 * each way of waking the peer.  (A ring between two processes is measured by the throughput
 * probe over the shm-futex and shm-spin transports, beside pipe and unix-stream.) */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ipc.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include "affinity.h"
#include "alloc.h"
#include "batch.h"
#include "child.h"
#include "cleanup.h"
#include "have.h"
#include "probe.h"
#include "spin.h"
#include "stats.h"
#include "sysinfo.h"
#include "timing.h"
#include "wake.h"

#ifdef HAVE_SYSV_SHM
#include <sys/shm.h>
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

/* A /proc/meminfo figure in bytes (the file says kB), or -1 when unknown. */
static long long meminfo(const char *key)
{
	unsigned long long kib;
	return sysfile_field("/proc/meminfo", key, 10, &kib) == 0 ? (long long)kib * 1024 : -1;
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

#ifdef HAVE_SYSV_SHM
static int new_segment(int key, void *len)
{
	return shmget(key, *(size_t *)len, IPC_CREAT | IPC_EXCL | 0600);
}
#endif

/* Create the object behind a region (nothing for anonymous memory); its name (posix_shm) or
 * id (sysv) stays until region_remove() or region_drop_name(). */
static int region_create(struct region *r, char *err, size_t el)
{
	r->fd = r->shmid = r->handle = -1;
	r->p = NULL;
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
		r->shmid = ipc_key_create(new_segment, &r->len, method_names[r->m], err, el);
		if (r->shmid < 0 && errno == EEXIST)
			return -1;	/* err says every key was taken */
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
	r->fd = -1;
	if (r->handle >= 0)
		cleanup_remove(r->handle);
	r->handle = -1;
	errno = e;
	return -1;
}

/* Map the region: mmap(MAP_SHARED) or shmat, no page touched. */
static int region_map(struct region *r, char *err, size_t el)
{
	if (r->m == M_SYSV) {
#ifdef HAVE_SYSV_SHM
		r->p = shmat(r->shmid, NULL, 0);
		if (r->p == (void *)-1) {
			r->p = NULL;
			snprintf(err, el, "shmat: %s (%d)", strerror(errno), errno);
			return -1;
		}
#endif
		return 0;
	}
	int flags = MAP_SHARED | (r->m == M_ANON ? MAP_ANONYMOUS : 0);
	r->p = mmap(NULL, r->len, PROT_READ | PROT_WRITE, flags, r->m == M_ANON ? -1 : r->fd, 0);
	if (r->p == MAP_FAILED) {
		r->p = NULL;
		snprintf(err, el, "mmap(%zu bytes, MAP_SHARED): %s (%d)", r->len, strerror(errno),
			 errno);
		return -1;
	}
	return 0;
}

/* munmap or shmdt: the mapping goes, the object stays. */
static void region_unmap(struct region *r)
{
#ifdef HAVE_SYSV_SHM
	if (r->m == M_SYSV && r->p)
		shmdt(r->p);
#endif
	if (r->m != M_SYSV && r->p)
		munmap(r->p, r->len);
	r->p = NULL;
}

/* The name (shm_unlink) or id (IPC_RMID) goes; a mapping keeps the memory until unmapped. */
static void region_drop_name(struct region *r)
{
	if (r->handle >= 0)
		cleanup_remove(r->handle);
	r->handle = -1;
}

/* The object goes: its name or id, and the descriptor that holds it (posix_shm, memfd). */
static void region_remove(struct region *r)
{
	region_drop_name(r);
	if (r->fd >= 0)
		close(r->fd);
	r->fd = -1;
}

static void region_close(struct region *r)
{
	region_unmap(r);
	region_remove(r);
}

/* Is errno e, after creating or mapping, "this platform cannot" rather than a failure? */
static int unsupported_errno(enum method m, int e)
{
	return e == ENOSYS || (m == M_HUGETLB && (e == ENOMEM || e == EINVAL));
}

/* Create and map a region whose name is gone at once (a killed probe leaves nothing); 0, or
 * -1 with err and errno. */
static int region_open_at(struct region *r, enum method m, size_t len, char *err, size_t el)
{
	r->m = m;
	r->len = len;
	if (region_create(r, err, el) < 0)
		return -1;
	if (region_map(r, err, el) < 0) {
		int e = errno;
		region_close(r);
		errno = e;
		return -1;
	}
	region_drop_name(r);
	return 0;
}

/* Open a whole region for a case, or emit the record saying why not. */
static int region_open(struct probe_ctx *ctx, struct region *r)
{
	char err[512];
	enum method m = (enum method)param_int(ctx, "method");
	size_t len = (size_t)param_int(ctx, "size");
	if (does_not_fit(m, len, err, sizeof(err)))
		return probe_unsupported(ctx, "%s", err);
	if (region_open_at(r, m, len, err, sizeof(err)) < 0) {
		if (unsupported_errno(m, errno))
			return probe_unsupported(ctx, "%s", err);
		return probe_failed(ctx, "%s", err);
	}
	return PROBE_OK;
}

static size_t page_size_of(enum method m)
{
	long hp = meminfo("Hugepagesize");
	return m == M_HUGETLB && hp > 0 ? (size_t)hp : (size_t)sysconf(_SC_PAGESIZE);
}

/* ---- setup ------------------------------------------------------------------------------- */

enum phase { PH_CREATE, PH_MAP, PH_UNMAP, PH_REMOVE, PH_N };
static const char *const phase_metric[PH_N] = { "create_ns", "map_ns", "unmap_ns", "remove_ns" };
static const char *const phase_what[PH_N] = {
	"shm_open+ftruncate, memfd_create+ftruncate or shmget; the name stays",
	"mmap(MAP_SHARED) or shmat, no page touched",
	"munmap or shmdt alone; the object stays",
	"shm_unlink+close, close (memfd) or shmctl(IPC_RMID), after the unmap",
};

#define SETUP_MAX_BATCH 64

/* Does the method have this phase?  anon_shared has no object to create or remove. */
static int has_phase(enum method m, enum phase ph)
{
	return m != M_ANON || ph == PH_MAP || ph == PH_UNMAP;
}

/* How many regions of len bytes may exist at once: huge pages are reserved at mmap. */
static long at_once(enum method m, size_t len)
{
	if (m != M_HUGETLB)
		return SETUP_MAX_BATCH;
	long long free_pages = meminfo("HugePages_Free") / 1024, hp = meminfo("Hugepagesize");
	long long n = hp > 0 && len > 0 ? free_pages * hp / (long long)len : 1;
	return n < 1 ? 1 : n > SETUP_MAX_BATCH ? SETUP_MAX_BATCH : (long)n;
}

/* Create k regions, then map them, unmap them, remove them, each phase timed over the k
 * together into ns[phase].  0, or -1 with err and errno (everything made is gone). */
static int setup_batch(enum method m, size_t len, struct region *rs, long k, int64_t ns[PH_N],
		       char *err, size_t el)
{
	long made = 0, mapped = 0;
	int64_t t[PH_N + 1];
	t[0] = now_ns();
	for (; made < k; made++) {
		rs[made] = (struct region){ .m = m, .len = len };
		if (region_create(&rs[made], err, el) < 0)
			goto undo;
	}
	t[1] = now_ns();
	for (; mapped < k; mapped++)
		if (region_map(&rs[mapped], err, el) < 0)
			goto undo;
	t[2] = now_ns();
	for (long i = 0; i < k; i++)
		region_unmap(&rs[i]);
	t[3] = now_ns();
	for (long i = 0; i < k; i++)
		region_remove(&rs[i]);
	t[4] = now_ns();
	for (int ph = 0; ph < PH_N; ph++)
		ns[ph] = t[ph + 1] - t[ph];
	return 0;
undo: {
	int e = errno;
	for (long i = 0; i < made; i++)
		region_close(&rs[i]);
	errno = e;
	return -1;
}
}

/* The batch: enough regions that the cheapest phase of the method lasts 50 clock reads,
 * judged by the fastest of 8 single-region trials; a power of two, at most at_once(). */
static long setup_choose_batch(enum method m, size_t len, struct region *rs, int64_t clock_ns,
			       char *err, size_t el)
{
	int64_t best = INT64_MAX, ns[PH_N];
	for (int trial = 0; trial < 8; trial++) {
		if (setup_batch(m, len, rs, 1, ns, err, el) < 0)
			return -1;
		for (int ph = 0; ph < PH_N; ph++)
			if (has_phase(m, ph) && ns[ph] < best)
				best = ns[ph];
	}
	long k = 1, max = at_once(m, len);
	while (k < max && k * best < BATCH_CLOCK_FACTOR * clock_ns)
		k *= 2;
	return k < max ? k : max;
}

static void emit_phase(struct probe_ctx *ctx, enum phase ph, int64_t *v, size_t n, long k,
		       int64_t clock_ns)
{
	struct stats st;
	stats_compute(v, n, &st);
	json_t *dist = stats_json(&st);
	batch_scale_json(dist, k);
	struct rec *r = rec_new(ctx, phase_metric[ph]);
	rec_value(r, json_number_value(json_object_get(dist, "p50")));
	rec_dist(r, dist);
	rec_fact(r, "includes", json_string(phase_what[ph]));
	batch_facts(r, k, clock_ns);
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
	struct region rs[SETUP_MAX_BATCH];
	int64_t clock_ns = timer_overhead_ns(), ns[PH_N];
	long k = setup_choose_batch(m, len, rs, clock_ns, err, sizeof(err));
	int64_t *t = k < 0 ? NULL : probe_alloc_array(PH_N * n, sizeof(*t), "the samples");
	for (size_t i = 0; k >= 0 && i < n; i++) {
		if (setup_batch(m, len, rs, k, ns, err, sizeof(err)) < 0) {
			k = -1;
			break;
		}
		for (int ph = 0; ph < PH_N; ph++)
			t[ph * n + i] = ns[ph];
	}
	if (k < 0) {
		int e = errno;
		free(t);
		if (unsupported_errno(m, e))
			return probe_unsupported(ctx, "%s", err);
		return probe_failed(ctx, "%s", err);
	}
	for (int ph = 0; ph < PH_N; ph++)
		if (has_phase(m, ph))
			emit_phase(ctx, ph, t + ph * n, n, k, clock_ns);
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

/* Fewest pages first-touched per timed span: one fault costs far more than a clock read, so
 * 64 of them last well over 50 clock reads; small regions are taken several at once. */
#define TOUCH_MIN_PAGES 64

struct touch {
	struct region rs[TOUCH_MIN_PAGES];
	long nr;		/* regions per sample */
	size_t page, pages;	/* per region */
	long passes;		/* second-touch passes per timed span */
	unsigned char val;
};

/* Write one byte in every page of every region, passes times over. */
static void touch_pages(struct touch *t, long passes)
{
	for (long p = 0; p < passes; p++) {
		t->val++;
		for (long r = 0; r < t->nr; r++) {
			volatile unsigned char *b = t->rs[r].p;
			for (size_t i = 0; i < t->pages; i++)
				b[i * t->page] = t->val;
		}
	}
}

static int touch_passes(void *arg, long k)
{
	touch_pages(arg, k);
	return 0;
}

/* One sample: fresh regions (untimed), the first touch of every page, then t->passes passes
 * more; ns[0] and ns[1] are the two spans, faults[0..1] the minor faults in each. */
static int touch_sample(struct touch *t, enum method m, size_t len, int64_t ns[2],
			long faults[2], char *err, size_t el)
{
	for (long r = 0; r < t->nr; r++) {
		if (region_open_at(&t->rs[r], m, len, err, el) < 0) {
			int e = errno;
			while (r-- > 0)
				region_close(&t->rs[r]);
			errno = e;
			return -1;
		}
	}
	long f0 = minflt();
	int64_t t0 = now_ns();
	touch_pages(t, 1);
	int64_t t1 = now_ns();
	long f1 = minflt();
	touch_pages(t, t->passes);
	int64_t t2 = now_ns();
	faults[0] = f1 - f0;
	faults[1] = minflt() - f1;
	ns[0] = t1 - t0;
	ns[1] = t2 - t1;
	return 0;
}

static void touch_close(struct touch *t)
{
	for (long r = 0; r < t->nr; r++)
		region_close(&t->rs[r]);
}

static json_t *touch_dist(int64_t *v, size_t n, long per_span)
{
	struct stats st;
	stats_compute(v, n, &st);
	json_t *d = stats_json(&st);
	batch_scale_json(d, per_span);
	return d;
}

static void emit_touch(struct probe_ctx *ctx, struct touch *t, int64_t *ns, size_t n,
		       long faults[2], int64_t clock_ns)
{
	long span = t->nr * (long)t->pages;
	json_t *d1 = touch_dist(ns, n, span), *d2 = touch_dist(ns + n, n, span * t->passes);
	double p1 = json_number_value(json_object_get(d1, "p50"));
	double p2 = json_number_value(json_object_get(d2, "p50"));
	struct rec *rec = rec_new(ctx, "first_touch_per_page");
	rec_value(rec, p1);
	rec_dist(rec, d1);
	rec_fact(rec, "pages", json_integer((json_int_t)span * (json_int_t)n));
	rec_fact(rec, "regions_per_sample", json_integer(t->nr));
	rec_fact(rec, "page_size", json_integer((json_int_t)t->page));
	rec_fact(rec, "minor_faults", json_integer(faults[0]));
	rec_fact(rec, "shared_check", json_true());
	batch_facts(rec, span, clock_ns);
	rec_emit(rec);
	rec = rec_new(ctx, "second_touch_per_page");
	rec_value(rec, p2);
	rec_dist(rec, d2);
	rec_fact(rec, "passes", json_integer(t->passes));
	rec_fact(rec, "minor_faults", json_integer(faults[1]));
	batch_facts(rec, span * t->passes, clock_ns);
	rec_emit(rec);
	rec = rec_new(ctx, "fault_ratio");
	rec_value(rec, p2 > 0 ? p1 / p2 : 0);
	rec_emit(rec);
}

/* A first sample, not kept: it chooses the passes of the second touch on pages now present,
 * and checks that the memory is really shared. */
static int touch_pilot(struct probe_ctx *ctx, struct touch *t, enum method m, size_t len,
		       int64_t clock_ns)
{
	char err[512];
	int64_t ns[2];
	long f[2];
	t->passes = 1;
	if (touch_sample(t, m, len, ns, f, err, sizeof(err)) < 0)
		return unsupported_errno(m, errno) ? probe_unsupported(ctx, "%s", err) :
						     probe_failed(ctx, "%s", err);
	t->passes = batch_calibrate(touch_passes, t, clock_ns, 1L << 20);
	int shared = check_shared(&t->rs[0], t->page);
	touch_close(t);
	if (shared != 1)
		return probe_failed(ctx, "the region is not shared: a child did not see the "
					 "parent's writes (or the parent the child's)");
	return PROBE_OK;
}

static int run_touch(struct probe_ctx *ctx)
{
	enum method m = (enum method)param_int(ctx, "method");
	size_t len = (size_t)param_int(ctx, "size"), n = (size_t)param_int(ctx, "samples");
	struct touch *t = probe_alloc(sizeof(*t), "the touch state");
	int64_t *ns = NULL, clock_ns = timer_overhead_ns();
	long faults[2] = { 0, 0 };
	char err[512];
	int rc;
	t->page = page_size_of(m);
	t->pages = len / t->page;
	if (t->pages == 0) {
		rc = probe_unsupported(ctx, "a region smaller than one page (%zu bytes)", t->page);
		goto out;
	}
	t->nr = (long)((TOUCH_MIN_PAGES + t->pages - 1) / t->pages);
	if (does_not_fit(m, len * (size_t)t->nr, err, sizeof(err))) {
		rc = probe_unsupported(ctx, "%s", err);
		goto out;
	}
	rc = touch_pilot(ctx, t, m, len, clock_ns);
	/* allocated after the pilot's check, whose child would see it as leaked (valgrind) */
	if (rc == PROBE_OK)
		ns = probe_alloc_array(2 * n, sizeof(*ns), "the samples");
	for (size_t i = 0; rc == PROBE_OK && i < n; i++) {
		int64_t span[2];
		long f[2];
		if (touch_sample(t, m, len, span, f, err, sizeof(err)) < 0) {
			rc = probe_failed(ctx, "%s", err);
			break;
		}
		touch_close(t);
		ns[i] = span[0];
		ns[n + i] = span[1];
		faults[0] += f[0];
		faults[1] += f[1];
	}
	if (rc == PROBE_OK)
		emit_touch(ctx, t, ns, n, faults, clock_ns);
out:
	free(ns);
	free(t);
	return rc;
}

/* ---- copy bandwidth ---------------------------------------------------------------------- */

struct copy {
	void *src, *dst[2];	/* dst[0]: the shared region, dst[1]: private memory */
	size_t len;
	int which;
};

static int copy_k(void *arg, long k)
{
	struct copy *c = arg;
	for (long i = 0; i < k; i++) {
		memcpy(c->dst[c->which], c->src, c->len);
		__asm__ __volatile__("" : : "r"(c->dst[c->which]) : "memory");
	}
	return 0;
}

/* Private memory as the region is laid out: its own page-aligned anonymous mapping. */
static void *map_private(size_t len)
{
	void *p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	return p == MAP_FAILED ? NULL : p;
}

/* The kernel's transparent huge page mode for private memory ("always", "madvise",
 * "never"), which can favour it over shared memory; NULL when unknown. */
static json_t *thp_mode(void)
{
	char line[128], *a, *b;
	if (sysfile_line("/sys/kernel/mm/transparent_hugepage/enabled", line, sizeof(line)) < 0 ||
	    !(a = strchr(line, '[')) || !(b = strchr(a, ']')))
		return json_null();
	*b = '\0';
	return json_string(a + 1);
}

/* Alternate timed batches into shared and private memory (shared first in even rounds,
 * private first in odd ones), until each has had min_ns; ns[] and rounds per destination. */
static void copy_alternating(struct copy *c, long k, int64_t min_ns, int64_t ns[2],
			     long *rounds)
{
	long r = 0;
	ns[0] = ns[1] = 0;
	do {
		for (int j = 0; j < 2; j++) {
			c->which = (int)((r + (long)j) % 2);
			int64_t t0 = now_ns();
			copy_k(c, k);
			ns[c->which] += now_ns() - t0;
		}
		r++;
	} while (r < 2 || ns[0] < min_ns || ns[1] < min_ns);
	*rounds = r;
}

static void emit_copy(struct probe_ctx *ctx, const char *metric, const char *dest, double bw,
		      long rounds, long k, int64_t clock_ns, json_t *extra)
{
	struct rec *rec = rec_new(ctx, metric);
	rec_value(rec, bw);
	rec_fact(rec, "dest", json_string(dest));
	rec_fact(rec, "rounds", json_integer(rounds));
	rec_fact(rec, "order", json_string("alternated: shared first in even rounds, private "
					   "first in odd rounds"));
	rec_fact(rec, "alignment", json_string("source and both destinations page-aligned"));
	if (extra)
		rec_fact(rec, "private_thp", extra);
	batch_facts(rec, k, clock_ns);
	/* one figure from the rounds' spans summed: no distribution within the repetition */
	rec_fact(rec, "timed_intervals", json_integer(rounds));
	rec_emit(rec);
}

static int run_copy(struct probe_ctx *ctx)
{
	struct region r;
	int rc = region_open(ctx, &r);
	if (rc != PROBE_OK)
		return rc;
	int64_t min_ns = param_int(ctx, "min_time"), clock_ns = timer_overhead_ns(), ns[2];
	struct copy c = { .src = map_private(r.len), .dst = { r.p, map_private(r.len) },
			  .len = r.len };
	if (!c.src || !c.dst[1]) {
		rc = probe_failed(ctx, "mmap(MAP_PRIVATE|MAP_ANONYMOUS) of two %zu-byte buffers: "
				       "%s (%d)", r.len, strerror(errno), errno);
		goto out;
	}
	memset(c.src, 'x', r.len);
	memset(c.dst[1], 0, r.len);
	memset(r.p, 0, r.len);	/* both destinations faulted in before timing */
	c.which = 1;
	long k = batch_calibrate(copy_k, &c, clock_ns, 1L << 20), rounds;
	copy_alternating(&c, k, min_ns, ns, &rounds);
	if (memcmp(r.p, c.src, r.len) != 0) {
		rc = probe_failed(ctx, "the shared region does not hold what was copied into it");
		goto out;
	}
	double bytes = (double)r.len * (double)k * (double)rounds;
	double shared = bytes / ((double)ns[0] / 1e9), private_ = bytes / ((double)ns[1] / 1e9);
	emit_copy(ctx, "bandwidth", "shared", shared, rounds, k, clock_ns, NULL);
	emit_copy(ctx, "private_bandwidth", "private (MAP_PRIVATE|MAP_ANONYMOUS)", private_, rounds,
		  k, clock_ns, thp_mode());
	struct rec *rec = rec_new(ctx, "shared_vs_private");
	rec_value(rec, shared / private_);
	batch_interval_facts(rec, rounds, clock_ns);	/* each side's spans */
	rec_emit(rec);
out:
	if (c.src)
		munmap(c.src, r.len);
	if (c.dst[1])
		munmap(c.dst[1], r.len);
	region_close(&r);
	return rc;
}

/* ---- hand-over ----------------------------------------------------------------------------- */

/* The shared page of a hand-over: the wake pair's boxes carry the messages (box[0]: to the
 * peer, box[1]: back), woken by the mechanism of wk (wake.h). */
struct handover {
	const struct wake_ops *wk;
	size_t size;
	volatile int stop;		/* the peer's last message: no answer wanted */
	struct wake_pair w;
};

static void wait_for(struct handover *h, int d, uint32_t seq)
{
	h->wk->wait(&h->w, d, seq);
}

static void post(struct handover *h, int d, uint32_t seq)
{
	h->wk->post(&h->w, d, seq);
}

/* Write message seq into direction d's payload: its first 4 bytes carry seq. */
static void put_msg(struct handover *h, int d, uint32_t seq)
{
	memset(h->w.box[d].payload, (int)(seq & 0xff), h->size);
	memcpy(h->w.box[d].payload, &seq, h->size < 4 ? h->size : 4);
}

static int msg_ok(struct handover *h, int d, uint32_t seq)
{
	uint32_t got = 0;
	memcpy(&got, h->w.box[d].payload, h->size < 4 ? h->size : 4);
	uint32_t want = seq;
	if (h->size < 4)
		want &= (1u << (8 * h->size)) - 1;
	return got == want && h->w.box[d].seq == seq;
}

/* The peer: check each message, hand the same number back, until told to stop. */
static void handover_peer(struct handover *h)
{
	for (uint32_t seq = 1;; seq++) {
		wait_for(h, 0, seq);
		if (h->stop)
			_exit(0);
		if (!msg_ok(h, 0, seq))
			_exit(1);
		put_msg(h, 1, seq);
		post(h, 1, seq);
	}
}

/* The pinger's side of a run: its next message number, and the first failure. */
struct pinger {
	struct handover *h;
	uint32_t seq;
	int bad;
};

/* k round trips, each message checked on its way back; 0, or -1 on a wrong one. */
static int round_trips(void *arg, long k)
{
	struct pinger *p = arg;
	for (long i = 0; i < k && !p->bad; i++) {
		uint32_t seq = ++p->seq;
		put_msg(p->h, 0, seq);
		post(p->h, 0, seq);
		wait_for(p->h, 1, seq);
		p->bad = !msg_ok(p->h, 1, seq);
	}
	return p->bad ? -1 : 0;
}

/* Warm up, choose the batch, time nb batches into t; the batch size, or -1. */
static long time_round_trips(struct pinger *p, long warm, long n, int64_t clock_ns, int64_t *t,
			     long *nb)
{
	if (round_trips(p, warm) < 0)
		return -1;
	long k = batch_calibrate(round_trips, p, clock_ns, n);
	*nb = k > 0 ? n / k : 0;
	for (long b = 0; b < *nb && k > 0; b++) {
		int64_t t0 = now_ns();
		if (round_trips(p, k) < 0)
			return -1;
		t[b] = now_ns() - t0;
	}
	return k;
}

static void emit_handover(struct probe_ctx *ctx, struct handover *h, int64_t *t, long nb,
			  long k, long warm, int64_t clock_ns, const char *placement,
			  const int cpus[2])
{
	struct stats s;
	stats_compute(t, (size_t)nb, &s);
	json_t *dist = stats_json(&s);
	batch_scale_json(dist, k);
	struct rec *r = rec_new(ctx, "rtt");
	rec_value(r, json_number_value(json_object_get(dist, "p50")));
	rec_dist(r, dist);
	rec_fact(r, "bytes_checked", json_integer((json_int_t)h->size));
	rec_fact(r, "warmup_round_trips", json_integer(warm));
	rec_fact(r, "round_trips", json_integer((json_int_t)nb * k));
	rec_fact(r, "placement", json_string(placement));
	rec_fact(r, "cpus", cpus[0] < 0 ? json_null() : json_pack("[i, i]", cpus[0], cpus[1]));
	if (h->wk->flags & WAKE_COUNTS) {
		const struct wake_box *b = h->w.box;
		rec_fact(r, "futex_sleeps", json_integer((json_int_t)(b[0].sleeps + b[1].sleeps)));
		rec_fact(r, "futex_wakes", json_integer((json_int_t)(b[0].wakes + b[1].wakes)));
	}
	batch_facts(r, k, clock_ns);
	rec_emit(r);
}

/* Start the peer on cpus[1], then pin ourselves on cpus[0] (as the latency probe does). */
static pid_t start_handover_peer(struct handover *h, const int cpus[2], char *err, size_t el)
{
	if (aff_pin(cpus[1], err, el) < 0)
		return -1;
	pid_t pid = child_fork();
	if (pid < 0) {
		snprintf(err, el, "fork(): %s (%d)", strerror(errno), errno);
		return -1;
	}
	if (pid == 0)
		handover_peer(h);
	if (aff_pin(cpus[0], err, el) < 0) {
		kill(pid, SIGKILL);
		child_reap(pid, 1000000000LL, NULL);
		return -1;
	}
	return pid;
}

static int run_handover(struct probe_ctx *ctx)
{
	const struct wake_ops *wk = wake_find(param_str(ctx, "wake"));
	const char *placement = param_str(ctx, "placement");
	long n = (long)param_int(ctx, "round_trips"), warm = n / 10, nb = 0, k = -1;
	char err[256];
	int cpus[2], rc = PROBE_OK;
	if (!wk)	/* the parameter's choices are the table's names (wake.h) */
		return probe_failed(ctx, "wake %s is not in the table (a bug)", param_str(ctx, "wake"));
	const char *why = wk->unsupported ? wk->unsupported() : NULL;
	if (why)
		return probe_unsupported(ctx, "%s", why);
	if (aff_choose(placement, cpus, err, sizeof(err)) < 0)
		return probe_unsupported(ctx, "%s", err);
	struct handover *h = mmap(NULL, sizeof(*h), PROT_READ | PROT_WRITE,
				  MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (h == MAP_FAILED)
		return probe_failed(ctx, "mmap(MAP_SHARED|MAP_ANONYMOUS): %s (%d)", strerror(errno),
				    errno);
	memset(h, 0, sizeof(*h));
	h->wk = wk;
	h->size = (size_t)param_int(ctx, "size");
	int e = wake_open(wk, &h->w, err, sizeof(err));
	if (e) {
		rc = e == ENOSYS || e == ENOTSUP ? probe_unsupported(ctx, "%s", err) :
						   probe_failed(ctx, "%s", err);
		munmap(h, sizeof(*h));
		return rc;
	}
	int64_t *t = probe_alloc_array((size_t)n, sizeof(*t), "the samples");
	pid_t pid = start_handover_peer(h, cpus, err, sizeof(err));
	if (pid < 0) {
		rc = probe_failed(ctx, "%s", err);
		goto free_samples;
	}
	int64_t clock_ns = timer_overhead_ns();
	struct pinger p = { h, 0, 0 };
	k = time_round_trips(&p, warm, n, clock_ns, t, &nb);
	if (!p.bad) {	/* the last message only stops the peer */
		h->stop = 1;
		post(h, 0, p.seq + 1);
	}
	int st = child_reap(pid, p.bad ? 0 : 60LL * 1000000000, NULL);
	if (p.bad || k < 0 || st != 0) {
		rc = probe_failed(ctx, "a hand-over arrived wrong (payload or sequence) or the peer "
				       "failed: %s", child_status_str(st, err, sizeof(err)));
		goto free_samples;
	}
	emit_handover(ctx, h, t, nb, k, warm, clock_ns, placement, cpus);
free_samples:
	free(t);
	wake_close(wk, &h->w);
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
	{ "iterations", PT_INT, "50", "1", "100000", NULL,
	  "timed batches of create/map/unmap/remove cycles (facts.batch regions each)" },
	{ NULL },
};

static const struct metric_desc m_setup[] = {
	{ "create_ns", "ns", "lower",
	  "creating the object, its name kept: shm_open+ftruncate, memfd_create+ftruncate, "
	  "shmget (none for anon_shared)" },
	{ "map_ns", "ns", "lower", "mapping it, no page touched: mmap(MAP_SHARED) or shmat" },
	{ "unmap_ns", "ns", "lower", "unmapping it alone: munmap or shmdt, the object kept" },
	{ "remove_ns", "ns", "lower",
	  "removing the unmapped object: shm_unlink+close, close (memfd, hugetlb), "
	  "shmctl(IPC_RMID) (none for anon_shared)" },
	{ NULL },
};

static const struct param_desc p_touch[] = {
	METHOD_PARAM,
	{ "size", PT_SIZE, "1MiB", "4KiB", "1GiB", NULL, "region size" },
	{ "samples", PT_INT, "20", "1", "10000", NULL,
	  "timed samples, each on fresh regions (several when one has fewer than 64 pages)" },
	{ NULL },
};

static const struct metric_desc m_touch[] = {
	{ "first_touch_per_page", "ns", "lower",
	  "writing one byte per page of fresh mappings, at least 64 pages per timed span (over "
	  "several regions when one has fewer): the page fault and zeroing; the distribution is "
	  "of samples, each a span's time over its pages" },
	{ "second_touch_per_page", "ns", "lower",
	  "the same writes again, pages present, facts.passes passes per timed span (enough "
	  "for 50 clock reads)" },
	{ "fault_ratio", "ratio", "none", "first touch over second touch (p50s)" },
	{ NULL },
};

static const struct param_desc p_copy[] = {
	METHOD_PARAM,
	{ "size", PT_SIZE, "1MiB", "4KiB", "1GiB", NULL, "bytes copied per memcpy" },
	{ "min_time", PT_DURATION, "200ms", "1ms", "60s", NULL, "time spent copying per figure" },
	{ NULL },
};

static const struct metric_desc m_copy[] = {
	{ "bandwidth", "bytes_per_s", "higher",
	  "memcpy from a private buffer into the shared region, faulted in; timed batches "
	  "alternate with the private figure's, each order equally often" },
	{ "private_bandwidth", "bytes_per_s", "higher",
	  "the same memcpy into private memory (MAP_PRIVATE|MAP_ANONYMOUS) of the same size, "
	  "page-aligned like the region" },
	{ "shared_vs_private", "ratio", "higher", "shared over private bandwidth" },
	{ NULL },
};

static const struct param_desc p_handover[] = {
	{ "wake", PT_ENUM, "futex", NULL, NULL, wake_names,
	  "how the peer is woken: futex (woken only when it sleeps), process-shared semaphore, "
	  "mutex + condition variable, eventfd, or busy polling with the pause hint" },
	{ "placement", PT_ENUM, "cross_core", NULL, NULL, aff_placements,
	  "where the two processes run, as in the latency probe: one CPU, two CPUs (not SMT "
	  "siblings where possible), or wherever the scheduler puts them" },
	{ "size", PT_SIZE, "64", "1", "4KiB", NULL, "payload written and checked per hand-over" },
	{ "round_trips", PT_INT, "20000", "10", "10000000", NULL,
	  "round trips timed, in batches (a tenth more run first as warm-up)" },
	{ NULL },
};

static const struct metric_desc m_handover[] = {
	{ "rtt", "ns", "lower",
	  "write the payload into shared memory, wake the peer, which checks it and hands it "
	  "back the same way; the two processes placed by the placement parameter; timed in "
	  "batches of facts.batch round trips where one lasts under 50 clock reads" },
	{ NULL },
};

static const struct case_desc cases[] = {
	{ "setup", "the cost to create, map, unmap and remove a region, each step timed alone",
	  m_setup, p_setup, 0, run_setup },
	{ "touch", "page faults: first touch against second touch over many pages, a "
		   "distribution over samples, and the region really shared",
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
