/* names.c - see names.h.  The errnos and signals IPC probes meet; each guarded, since not
 * every platform defines every one. */
#include "names.h"

#include <errno.h>
#include <signal.h>
#include <stddef.h>

#define N(x) { x, #x }

static const struct {
	int value;
	const char *name;
} errnos[] = {
	N(EPERM), N(ENOENT), N(EINTR), N(EIO), N(EBADF), N(EAGAIN), N(ENOMEM), N(EACCES),
	N(EFAULT), N(EBUSY), N(EEXIST), N(EINVAL), N(ENFILE), N(EMFILE), N(EFBIG), N(ENOSPC),
	N(EPIPE), N(ERANGE), N(ENOSYS), N(EMSGSIZE), N(ENOBUFS), N(ENOTSUP), N(ECONNRESET),
	N(ECONNREFUSED), N(EPROTONOSUPPORT), N(EAFNOSUPPORT), N(EADDRINUSE), N(ETIMEDOUT),
	N(ENOTCONN), N(EDEADLK), N(ENAMETOOLONG), N(E2BIG), N(ECHILD), N(ESRCH),
#ifdef ENOMSG
	N(ENOMSG),
#endif
#ifdef EIDRM
	N(EIDRM),
#endif
};

static const struct {
	int value;
	const char *name;
} signals[] = {
	N(SIGHUP), N(SIGINT), N(SIGQUIT), N(SIGILL), N(SIGTRAP), N(SIGABRT), N(SIGBUS), N(SIGFPE),
	N(SIGKILL), N(SIGUSR1), N(SIGSEGV), N(SIGUSR2), N(SIGPIPE), N(SIGALRM), N(SIGTERM),
	N(SIGCHLD), N(SIGCONT), N(SIGSTOP), N(SIGTSTP), N(SIGXCPU), N(SIGXFSZ), N(SIGSYS),
};

const char *errno_name(int e)
{
	/* EWOULDBLOCK is EAGAIN here, and EOPNOTSUPP often ENOTSUP: the first listed wins. */
	for (size_t i = 0; i < sizeof(errnos) / sizeof(errnos[0]); i++)
		if (errnos[i].value == e)
			return errnos[i].name;
	return "E?";
}

const char *signal_name(int sig)
{
	for (size_t i = 0; i < sizeof(signals) / sizeof(signals[0]); i++)
		if (signals[i].value == sig)
			return signals[i].name;
	return "SIG?";
}
