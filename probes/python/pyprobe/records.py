"""records - the probe's output: one JSON record per line on stdout (Ctx.record), the dist
object of a distribution (tail percentiles null below the samples they need, the median's
interval and the modes, as probes/lib/stats.c), and the facts every record carries (the
interpreter's; for a timing, what one clock read costs)."""

import json
import math
import platform
import sys

from . import children, stats
from .contract import PROBE, SCHEMA
from .measure import timer_overhead_ns


def python_facts():
    return {"implementation": platform.python_implementation(),
            "version": platform.python_version(), "executable": sys.executable}


def percentile(sorted_v, p):
    """Nearest-rank percentile of an ascending list."""
    k = max(0, min(len(sorted_v) - 1, int(math.ceil(p * len(sorted_v))) - 1))
    return float(sorted_v[k])


def tail(sorted_v, q):
    """A tail percentile, or None below n = 1/(1-q) samples, where it could only be the max
    (the rule of probes/lib/stats.c: p90 needs 10, p99 100, p99.9 1000)."""
    need = 1 if q <= 0.5 or q >= 1 else int(math.ceil(1.0 / (1.0 - q) - 1e-6))
    return percentile(sorted_v, q) if len(sorted_v) >= need else None


def dist(samples):
    """The record's dist object: n, min, p50, p90, p99, p999, max, mean, stddev (sample),
    p50_ci (the median's 95% interval over these samples, stats.median_ci) and modes (a list
    when stats.modes finds two or more, else None)."""
    v = sorted(samples)
    n = len(v)
    mean = float(sum(v)) / n
    sd = math.sqrt(sum((x - mean) ** 2 for x in v) / (n - 1)) if n > 1 else None
    found = stats.modes(v)
    return {"n": n, "min": float(v[0]), "p50": percentile(v, 0.5), "p90": tail(v, 0.9),
            "p99": tail(v, 0.99), "p999": tail(v, 0.999), "max": float(v[-1]),
            "mean": mean, "stddev": sd, "p50_ci": stats.median_ci(v),
            "modes": found if len(found) >= 2 else None}


_clock_ns = []


def clock_cost_ns():
    """measure.timer_overhead_ns(), measured once per process (after the first timing, when
    its record is made: never inside a timed span)."""
    if not _clock_ns:
        _clock_ns.append(timer_overhead_ns())
    return _clock_ns[0]


class Ctx:
    def __init__(self, case, values):
        self.case = case
        self.p = values
        self.metrics = {m.name: m for m in case.metrics}
        self.emitted = 0

    def record(self, metric, value=None, status="ok", reason=None, dist_=None, facts=None,
               os_reported=None):
        """Print one record; value None or not finite becomes null (with status failed if ok)."""
        m = self.metrics[metric]  # KeyError: a metric missing from the table is a bug
        if value is not None:
            value = float(value)
            if not math.isfinite(value):
                value = None
        if status == "ok" and value is None:
            status, reason = "failed", "the measurement gave no finite value"
        rec = {"schema": SCHEMA, "probe": PROBE, "case": self.case.name, "transport": None,
               "params": self.p, "metric": metric, "unit": m.unit, "direction": m.direction,
               "status": status, "reason": reason, "value": value}
        if dist_ is not None:
            rec["dist"] = dist_
        if os_reported is not None:
            rec["os_reported"] = {"source": os_reported[0], "value": float(os_reported[1])}
        f = {"python": python_facts(), "start_method": children.START_METHOD}
        f.update(facts or {})
        if m.direction != "none":  # a timing says what its clock costs
            f.setdefault("timer_overhead_ns", clock_cost_ns())
        rec["facts"] = f
        sys.stdout.write(json.dumps(rec, allow_nan=False, separators=(",", ":")) + "\n")
        sys.stdout.flush()
        self.emitted += 1
