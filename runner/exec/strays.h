/* strays.h - processes a probe left running outside its process group.  The runner kills a
 * probe's group when it ends; a daemon the probe started with setsid() is in no group of the
 * probe's and would outlive the run.  Where Linux allows it, the runner is its descendants'
 * subreaper (PR_SET_CHILD_SUBREAPER): such a daemon, orphaned, becomes the runner's child, and
 * after each case run every child of the runner that is not its watchman is one of these. */
#ifndef IPCPROBE_STRAYS_H
#define IPCPROBE_STRAYS_H

#include <jansson.h>

/* Become the subreaper of everything the runner starts from now on (nothing where the
 * platform has no such thing: a daemon then survives, as before). */
void strays_adopt(void);

/* Kill and reap every child of the runner that is not the watchman (and what they leave, in
 * turn), appending "PID (COMM)" of each to killed (may be NULL).  Returns how many. */
int strays_kill(json_t *killed);

#endif
