/* sysinfo.h - what the OS says about itself in its files (/proc, /sys), read the same way by
 * every probe, and by the runner (which links libprobe.a): the one place that opens them.
 * Every reader says "absent" (-1) rather than guess: the caller then says "unknown".  And
 * the one count of the descriptors a process holds. */
#ifndef IPCPROBE_SYSINFO_H
#define IPCPROBE_SYSINFO_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/* The whitespace-separated decimal numbers at the start of a file (a /proc/sys or /sys file,
 * /proc/self/uid_map): up to max of them into out.  Returns how many were read (0 when the
 * file starts with something else), or -1 when the file is absent or unreadable. */
int sysfile_numbers(const char *path, long long *out, int max);

/* The number in a /proc/sys file (or any file holding one); -1 when the file is absent (not
 * Linux), unreadable or holds no number. */
long long sysctl_read(const char *path);

/* The number after "key:" on the line that starts with it in a "Key: value" file
 * (/proc/meminfo: "MemAvailable:  123 kB", /proc/self/status: "CapEff: 000001ff..."), read in
 * base (10, or 16 for the capability sets); a unit after it is not applied.  0 with *out, or
 * -1 when the file, the key or its number is absent. */
int sysfile_field(const char *path, const char *key, int base, unsigned long long *out);

/* The first line of a file without its newline into buf (cut to len - 1 bytes); 0, or -1
 * when the file is absent, unreadable or empty. */
int sysfile_line(const char *path, char *buf, size_t len);

/* How many descriptors this process has open (of the first 2^20 its limit allows). */
int fds_open(void);

#ifdef __cplusplus
}
#endif

#endif
