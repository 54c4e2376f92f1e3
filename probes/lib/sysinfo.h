/* sysinfo.h - what the OS says about itself, read the same way by every probe. */
#ifndef IPCPROBE_SYSINFO_H
#define IPCPROBE_SYSINFO_H

/* The number in a /proc/sys file (or any file holding one); -1 when the file is absent (not
 * Linux) or unreadable: the caller says "unknown", never guesses. */
long long sysctl_read(const char *path);

#endif
