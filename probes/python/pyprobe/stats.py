"""stats - how sure a median is, and the modes of a distribution: ports of probes/lib/ci.c
(the median's distribution-free interval from order statistics) and probes/lib/modes.c (a
Gaussian kernel density on log values, its peaks merged unless clearly apart).  Every step
repeats the C one operation for operation, so that the same samples give the same interval
and the same modes (tests/unit/test_stats_parity.c feeds both).  Standard library only."""

import bisect
import math

CI_LEVEL = 0.95
CI_METHOD = "order statistics (binomial, distribution-free)"
EXACT_MAX_N = 2000

STATS_MODES_MIN_N = 20
MODES_MIN_SHARE = 0.05
MODES_MIN_COUNT = 3
MODES_VALLEY_RATIO = 0.5
MODES_MIN_BANDWIDTH = 0.02
MODES_GRID_MAX = 16384
KERNEL_STEPS = 16


def binom_half_cdf(n, k):
    """P(B <= k) for B ~ Binomial(n, 1/2): exact to n = 2000, normal approximation above."""
    if k >= n:
        return 1.0
    if n <= EXACT_MAX_N:
        s, lnf, ln2n = 0.0, math.lgamma(n + 1.0), n * math.log(2.0)
        for j in range(k + 1):
            s += math.exp(lnf - math.lgamma(j + 1.0) - math.lgamma(n - j + 1.0) - ln2n)
        return s if s < 1.0 else 1.0
    z = (k + 0.5 - n / 2.0) / (math.sqrt(n) / 2.0)
    return 0.5 * math.erfc(-z / math.sqrt(2.0))


def _widest_rank(n, level):
    lo, hi = 0, n // 2
    while lo < hi:
        k = lo + (hi - lo + 1) // 2
        if 1.0 - 2.0 * binom_half_cdf(n, k - 1) >= level:
            lo = k
        else:
            hi = k - 1
    return lo


def median_ci(sorted_v, level=CI_LEVEL):
    """The dist's p50_ci for ascending values: {lo, hi, level, reached, method}; None for none."""
    n = len(sorted_v)
    if n == 0:
        return None
    k = _widest_rank(n, level)
    reached = k > 0
    k = max(k, 1)  # (min, max): the widest there is, with its own coverage
    return {"lo": float(sorted_v[k - 1]), "hi": float(sorted_v[n - k]),
            "level": 1.0 - 2.0 * binom_half_cdf(n, k - 1), "reached": reached,
            "method": CI_METHOD}


def _bandwidth(v):
    total, sumsq, prev, lg = 0.0, 0.0, math.nan, 0.0
    for x in v:
        if x != prev:
            lg = math.log(x)
        prev = x
        total += lg
        sumsq += lg * lg
    n = float(len(v))
    var = (sumsq - total * total / n) / (n - 1)
    sd = math.sqrt(var) if var > 0 else 0.0
    r25, r75 = int(math.ceil(0.25 * n)), int(math.ceil(0.75 * n))
    iqr = math.log(v[r75 - 1]) - math.log(v[r25 - 1])
    s = iqr / 1.34 if iqr / 1.34 < sd else sd
    if s <= 0:
        s = sd
    h = 0.9 * s * math.pow(n, -0.2)
    return h if h > MODES_MIN_BANDWIDTH else MODES_MIN_BANDWIDTH


def _grid(v, h):
    """(x0, dx, size) as modes.c's make_grid."""
    lo = math.log(v[0])
    span = math.log(v[-1]) - lo
    dx = h / 4
    steps = float(math.ceil(span / dx))
    if steps + 2 * KERNEL_STEPS + 2 > MODES_GRID_MAX:
        steps = float(MODES_GRID_MAX - 2 * KERNEL_STEPS - 2)
        dx = span / steps
    return lo - KERNEL_STEPS * dx, dx, int(steps) + 2 * KERNEL_STEPS + 2


def _density(v, x0, dx, size):
    w = [math.exp(-0.5 * (d / 4.0) * (d / 4.0)) for d in range(KERNEL_STEPS + 1)]
    bins = [0.0] * size
    prev, p = math.nan, 0.0
    for x in v:
        if x != prev:
            p = (math.log(x) - x0) / dx
        prev = x
        j = math.floor(p)
        f = p - j
        bins[j] += 1 - f
        bins[j + 1] += f
    dens = [0.0] * size
    for i in range(size):
        s = 0.0
        for d in range(-KERNEL_STEPS, KERNEL_STEPS + 1):
            j = i + d
            if 0 <= j < size:
                s += bins[j] * w[-d if d < 0 else d]
        dens[i] = s
    return dens


def _peaks(v, dens, x0, dx):
    """[peak, peak height, samples held] per candidate and [valley, height] between each two."""
    peaks, valleys = [], []
    for i in range(1, len(dens) - 1):
        if not (dens[i] > dens[i - 1] and dens[i] >= dens[i + 1]):
            continue
        if peaks:
            m = peaks[-1][0]
            for j in range(m, i + 1):
                if dens[j] < dens[m]:
                    m = j
            valleys.append([m, dens[m]])
        peaks.append([i, dens[i], 0])
    start = 0
    for c, pk in enumerate(peaks):
        end = bisect.bisect_left(v, math.exp(x0 + valleys[c][0] * dx)) \
            if c + 1 < len(peaks) else len(v)
        pk[2] = end - start
        start = end
    return peaks, valleys


def _ratio(peaks, valleys, b):
    low = min(peaks[b][1], peaks[b + 1][1])
    return valleys[b][1] / low if low > 0 else 1.0


def _merge(peaks, valleys, b):
    if peaks[b + 1][1] > peaks[b][1]:
        peaks[b][0], peaks[b][1] = peaks[b + 1][0], peaks[b + 1][1]
    peaks[b][2] += peaks[b + 1][2]
    del peaks[b + 1]
    del valleys[b]


def _merge_one(peaks, valleys, n):
    if len(peaks) < 2:
        return False
    best = 0
    for b in range(1, len(peaks) - 1):
        if _ratio(peaks, valleys, b) > _ratio(peaks, valleys, best):
            best = b
    if _ratio(peaks, valleys, best) >= MODES_VALLEY_RATIO:
        _merge(peaks, valleys, best)
        return True
    small = 0
    for c in range(1, len(peaks)):
        if peaks[c][2] < peaks[small][2]:
            small = c
    held = peaks[small][2]
    if held >= MODES_MIN_COUNT and float(held) >= MODES_MIN_SHARE * float(n):
        return False
    if small == 0:
        _merge(peaks, valleys, 0)
    elif small == len(peaks) - 1 or \
            _ratio(peaks, valleys, small - 1) >= _ratio(peaks, valleys, small):
        _merge(peaks, valleys, small - 1)
    else:
        _merge(peaks, valleys, small)
    return True


def modes(sorted_v):
    """The modes of ascending values > 0, as stats_modes(): a list of {center, lo, hi, share}
    (one: unimodal; empty: fewer than STATS_MODES_MIN_N values, or one not > 0)."""
    v = [float(x) for x in sorted_v]
    if len(v) < STATS_MODES_MIN_N or not v[0] > 0:
        return []
    x0, dx, size = _grid(v, _bandwidth(v))
    peaks, valleys = _peaks(v, _density(v, x0, dx, size), x0, dx)
    while _merge_one(peaks, valleys, len(v)):
        pass
    out, start = [], 0
    for peak, _, held in peaks:
        out.append({"center": math.exp(x0 + peak * dx), "lo": v[start],
                    "hi": v[start + held - 1], "share": float(held) / float(len(v))})
        start += held
    return out
