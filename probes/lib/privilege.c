/* privilege.c - a capability in force, and a child without it (privilege.h). */
#include "privilege.h"

#include <errno.h>
#include <grp.h>
#include <stdio.h>
#include <string.h>
#include <sys/types.h>
#include <unistd.h>

#include "child.h"
#include "sysinfo.h"

/* 1 when this process is in the initial user namespace (its uid_map is the whole identity
 * map), 0 when in another, -1 when the platform does not say. */
static int initial_user_ns(void)
{
	long long m[3];	/* inside, outside, count */
	if (sysfile_numbers("/proc/self/uid_map", m, 3) != 3)
		return -1;
	return m[0] == 0 && m[1] == 0 && m[2] == 4294967295LL;
}

/* The names of the capabilities of mask that are also in bits, joined by ", ", into buf;
 * how many. */
static int cap_names(unsigned long long mask, unsigned long long bits, char *buf, size_t len)
{
	static const struct { unsigned long long bit; const char *name; } caps[] = {
		{ PRIV_CAP_SYS_RESOURCE, "CAP_SYS_RESOURCE" }, { PRIV_CAP_SYS_ADMIN, "CAP_SYS_ADMIN" },
	};
	size_t at = 0;
	int n = 0;
	buf[0] = '\0';
	for (size_t i = 0; i < sizeof(caps) / sizeof(caps[0]); i++)
		if ((mask & bits & caps[i].bit) && at < len) {
			at += (size_t)snprintf(buf + at, len - at, "%s%s", n ? ", " : "", caps[i].name);
			n++;
		}
	return n;
}

int priv_in_force(unsigned long long caps, char *how, size_t hl)
{
	unsigned long long eff = 0;
	if (sysfile_field("/proc/self/status", "CapEff", 16, &eff) < 0) {
		snprintf(how, hl, "euid %d (no capability sets in /proc/self/status here)",
			 (int)geteuid());
		return geteuid() == 0;
	}
	int has = (eff & caps) != 0, init_ns = initial_user_ns();
	char names[96];
	int n = cap_names(caps, has ? eff : ~0ULL, names, sizeof(names));
	snprintf(how, hl, "%s%s %s the effective set (/proc/self/status CapEff %016llx)%s",
		 !has && n > 1 ? "none of " : "", names, has || n > 1 ? "in" : "not in", eff,
		 has && init_ns == 0 ? ", but of a user namespace, not the initial one the "
				       "kernel's check asks" : "");
	return has && init_ns != 0;
}

/* Give up root's identity, as far as this process may: no supplementary groups, then gid and
 * uid.  Whatever was refused, what counts afterwards is whether a capability is in force. */
static void give_up(long long uid)
{
	(void)!setgroups(0, NULL);
	if (setgid((gid_t)uid) == 0)
		(void)!setuid((uid_t)uid);
}

struct priv_head {
	int ran;
	long long uid;
	char how[256];
};

static int write_all(int fd, const void *buf, size_t len)
{
	const char *p = buf;
	while (len > 0) {
		ssize_t n = write(fd, p, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return -1;
		p += n, len -= (size_t)n;
	}
	return 0;
}

static size_t read_all(int fd, void *buf, size_t len)
{
	char *p = buf;
	size_t got = 0;
	while (got < len) {
		ssize_t n = read(fd, p + got, len - got);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		got += (size_t)n;
	}
	return got;
}

static void in_child(struct priv_child *r, void (*fn)(void *, void *, size_t), void *arg,
		     void *out, size_t outlen, int fd, pid_t parent)
{
	struct priv_head h;
	memset(&h, 0, sizeof(h));
	if (geteuid() == 0 || priv_in_force(r->caps, h.how, sizeof(h.how))) {
		give_up(r->uid);
		child_rearm(parent);	/* a change of credentials cleared the death signal */
	}
	h.uid = (long long)getuid();
	h.ran = !priv_in_force(r->caps, h.how, sizeof(h.how));
	if (h.ran)
		fn(arg, out, outlen);
	_exit(write_all(fd, &h, sizeof(h)) == 0 && (!h.ran || write_all(fd, out, outlen) == 0) ?
		      0 : 3);
}

int priv_run(struct priv_child *r, void (*fn)(void *arg, void *out, size_t outlen), void *arg,
	     void *out, size_t outlen)
{
	int fds[2];
	r->err[0] = r->how[0] = '\0';
	r->uid_in_child = -1;
	if (pipe(fds) < 0) {
		snprintf(r->err, sizeof(r->err), "pipe(): %s (%d)", strerror(errno), errno);
		return -1;
	}
	pid_t parent = getpid(), pid = child_fork();
	if (pid < 0) {
		snprintf(r->err, sizeof(r->err), "fork: %s (%d)", strerror(errno), errno);
		close(fds[0]);
		close(fds[1]);
		return -1;
	}
	if (pid == 0) {
		close(fds[0]);
		in_child(r, fn, arg, out, outlen, fds[1], parent);
	}
	close(fds[1]);
	struct priv_head h;
	size_t hn = read_all(fds[0], &h, sizeof(h));
	size_t on = hn == sizeof(h) && h.ran ? read_all(fds[0], out, outlen) : 0;
	close(fds[0]);
	char what[64];
	int st = child_reap(pid, r->timeout_ns, NULL);
	if (hn != sizeof(h) || st != 0 || (h.ran && on != outlen)) {
		snprintf(r->err, sizeof(r->err), "the unprivileged child did not report (%s)",
			 child_status_str(st, what, sizeof(what)));
		return -1;
	}
	h.how[sizeof(h.how) - 1] = '\0';
	snprintf(r->how, sizeof(r->how), "%s", h.how);
	r->uid_in_child = h.uid;
	return h.ran ? 0 : 1;
}
