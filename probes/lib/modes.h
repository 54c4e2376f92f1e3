/* modes.h - is a distribution clearly multi-modal, and if so, what are its modes?  A round
 * trip on a busy 2-core VM is sometimes 15 us, sometimes 95 us: one median describes neither.
 *
 * Method.  A Gaussian kernel density estimate on log(value): latencies are multiplicative (a
 * mode at 15 us and one at 95 us are as far apart as 150 ns and 950 ns), and on a log scale
 * a right-skewed latency body becomes about symmetric, which is what a Gaussian kernel suits.
 * Bandwidth: Silverman's rule, h = 0.9 min(sd, IQR / 1.34) n^(-1/5) on the logs.  It is known
 * to oversmooth a multi-modal sample (its sd grows with the separation), which is the side we
 * want to err on: only a clear second mode survives it.  h is at least MODES_MIN_BANDWIDTH
 * (0.02, i.e. 2%) so that a million samples quantized to whole nanoseconds do not become a
 * forest of one-value spikes: modes closer than about 10% (a few bandwidths) are not told
 * apart, and for a latency they are not what "a second mode" means.  The logs are binned
 * linearly onto a grid of spacing h / 4 (at most MODES_GRID_MAX points; beyond, h widens to 4
 * grid steps) and the kernel (cut at 4 h) is convolved with the bins: O(n + grid * 32), so 1e6
 * samples cost one pass, not 1e6 kernel sums per point.
 *
 * Peaks.  Every local maximum of the density starts as a mode; the samples between two
 * neighbouring maxima are split at the lowest density between them (the valley).  Then, one
 * at a time, (1) two neighbours whose valley is at least MODES_VALLEY_RATIO (half) of the
 * lower of their peaks are merged: a dip shallower than that is within a KDE's own noise at
 * these sample sizes (a kernel window holding m samples has a relative standard error near
 * 1 / sqrt(m): a bump a few tail samples make dips by far less than half), and for two equal
 * Gaussians a valley at half height needs them about 3 standard deviations apart, which is
 * separated by any reading; (2) a mode holding fewer than MODES_MIN_SHARE (5%) of the samples,
 * or fewer than MODES_MIN_COUNT (3) samples, joins the neighbour across its higher valley: a
 * few stray slow samples are a tail, not a mode, and a share under 5% moves no median.  What
 * remains is the answer: 1 mode = unimodal.  Below STATS_MODES_MIN_N (20) samples the answer
 * is 0 ("too few to tell"): a mode of 5% would then be one value.
 *
 * The Python probe ports this exactly (probes/python/pyprobe/stats.py); a test feeds both the
 * same samples and checks the same modes come out. */
#ifndef IPCPROBE_MODES_H
#define IPCPROBE_MODES_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define STATS_MODES_MIN_N 20
#define MODES_MIN_SHARE 0.05
#define MODES_MIN_COUNT 3
#define MODES_VALLEY_RATIO 0.5
#define MODES_MIN_BANDWIDTH 0.02
#define MODES_GRID_MAX 16384

struct mode { double center, lo, hi, share; };	/* center: the density peak; [lo,hi] the
						   values assigned to it; share in 0..1 */

/* The modes of sorted[0..n) (ascending, > 0).  Returns how many (1 = unimodal; 0 when n is
 * too small to tell, below STATS_MODES_MIN_N, or a value is not > 0) and fills up to max of
 * them in out, in ascending order of center. */
size_t stats_modes(const double *sorted, size_t n, struct mode *out, size_t max);

/* The same for int64 samples (a probe's nanoseconds), sorted ascending. */
size_t stats_modes_i64(const int64_t *sorted, size_t n, struct mode *out, size_t max);

#ifdef __cplusplus
}
#endif

#endif
