/* compare.h - `ipcprobe compare`: the regression gate between two sets of runs (compare.c). */
#ifndef IPCPROBE_COMPARE_H
#define IPCPROBE_COMPARE_H

int cmd_compare(int argc, char **argv);	/* compare BASE NEW [--threshold P%] [--format F] */

#endif
