/* privilege.h - measuring what an unprivileged process gets: whether a capability that lifts
 * a limit is in force, and a child that has given it up (root becomes another uid and gid,
 * which clears its capabilities).  The limits probe's posix_mq and the capacity probe's pipe
 * cases use it; none drops privilege any other way. */
#ifndef IPCPROBE_PRIVILEGE_H
#define IPCPROBE_PRIVILEGE_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Capabilities (linux/capability.h's bit numbers), as masks for priv_in_force(). */
#define PRIV_CAP_SYS_ADMIN	(1ULL << 21)
#define PRIV_CAP_SYS_RESOURCE	(1ULL << 24)

/* Who root becomes unless a case asks for another uid: nobody. */
#define PRIV_NOBODY 65534

/* 1 when any of the capabilities in the mask caps is in force in this process for the checks
 * the kernel makes, else 0; how gets how that was decided.  Where /proc/self/status shows
 * capability sets (Linux), CapEff decides, whatever the uid, and only in the initial user
 * namespace: the kernel's checks of these ask for them there (a user namespace's root holds
 * every capability, of its own namespace).  Elsewhere euid 0. */
int priv_in_force(unsigned long long caps, char *how, size_t hl);

struct priv_child {
	unsigned long long caps;	/* what must not be in force in the child */
	long long uid;			/* who root becomes (uid and gid): PRIV_NOBODY, or a uid
					 * no other process uses, so that what the kernel counts
					 * per user is the child's alone */
	int64_t timeout_ns;		/* how long the child may take once it has reported */
	/* filled in */
	long long uid_in_child;		/* the child's uid when it ran (or gave up) */
	char how[256];			/* the privilege in force in the child, in words */
	char err[256];			/* why it did not run or report */
};

/* Run fn(arg, out, outlen) in a child (child_fork: it dies with the probe) that holds none of
 * r->caps: when this process is root or holds one of them, the child first becomes uid and
 * gid r->uid with no supplementary groups, which clears its capabilities (as far as it may:
 * in a user namespace it may not, and needs not).  The outlen bytes fn leaves in out come
 * back into out.  Returns 0; 1 when the child still held one of r->caps, so fn did not run
 * (r->how says what is in force); -1 when it could not run or report (r->err says why). */
int priv_run(struct priv_child *r, void (*fn)(void *arg, void *out, size_t outlen), void *arg,
	     void *out, size_t outlen);

#ifdef __cplusplus
}
#endif

#endif
