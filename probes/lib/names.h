/* names.h - the symbolic names of errno values and signals ("EMSGSIZE", "SIGSEGV"), which
 * records and messages carry beside the numbers.  Portable: glibc's strerrorname_np() and
 * sigabbrev_np() exist neither on musl nor on macOS. */
#ifndef IPCPROBE_NAMES_H
#define IPCPROBE_NAMES_H

#ifdef __cplusplus
extern "C" {
#endif

/* "EAGAIN", or "E?" for a value this table does not know. */
const char *errno_name(int e);
/* "SIGSEGV", or "SIG?" likewise. */
const char *signal_name(int sig);

#ifdef __cplusplus
}
#endif

#endif
