/* mwu.h - the Mann-Whitney U test (two-sided), as google/benchmark's compare.py uses it (via
 * scipy) to tell a change from noise across repetitions. */
#ifndef IPCPROBE_MWU_H
#define IPCPROBE_MWU_H

#include <stddef.h>

/* U of sample a (the count of pairs a_i > b_j, ties counting one half) and the two-sided
 * p-value: exact when both samples are small and have no ties, else the normal
 * approximation with tie and continuity corrections.  n, m >= 1. */
double mwu_p(const double *a, size_t n, const double *b, size_t m, double *u);

/* The smallest two-sided p-value samples of sizes n and m can ever give (no ties): below
 * alpha or the test can never find a change, whatever the data. */
double mwu_min_p(size_t n, size_t m);

#endif
