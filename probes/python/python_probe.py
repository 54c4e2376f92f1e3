#!/usr/bin/env python3
"""python_probe.py - the `python` probe: Python's multiprocessing measured one layer above the OS.

Follows the probe contract of probes/lib/probe.h (DESIGN.md "Probe contract", "A record"):

    python_probe.py --list
    python_probe.py --case NAME [--param KEY=VALUE]...

One JSON record per line on stdout, diagnostics on stderr; exit 0 measured, 1 failed, 2 bad
arguments, 3 unsupported (a record with the reason is still printed).  Cases take no transport:
the Python mechanism (Pipe kind, Queue kind, ...) is the `mechanism` parameter where a case
measures one mechanism, and part of the metric name where a case compares several.

Standard library only; CPython 3.8+ and PyPy3.  Children use the "fork" start method where it
exists; they die with the probe (PR_SET_PDEATHSIG through ctypes where libc has prctl, else a
lifeline pipe), and every child, shared_memory block and temporary file is removed on every
exit path, SIGTERM included.
"""

import array
import errno
import itertools
import json
import math
import multiprocessing
import multiprocessing.managers
import os
import platform
import queue
import select
import signal
import struct
import sys
import threading
import time

try:
    import fcntl
    import termios
except ImportError:  # not POSIX: the cases that need them say so
    fcntl = termios = None

try:
    from multiprocessing import shared_memory
except ImportError as _e:
    shared_memory = None
    SHM_MISSING = "multiprocessing.shared_memory is not available: %s" % _e
else:
    SHM_MISSING = None

try:
    import ctypes
except ImportError:
    ctypes = None

PROBE = "python"
SCHEMA = 1
EXIT_OK, EXIT_FAILED, EXIT_USAGE, EXIT_UNSUPPORTED = 0, 1, 2, 3


class UsageError(Exception):
    """Bad arguments: the message goes to stderr and the probe exits 2."""


class Unsupported(Exception):
    """The headline cannot be measured here: one 'unsupported' record, exit 3."""


# ---- parameters: the same syntax and messages as probes/lib/param.c ------------------------

SIZE_UNITS = (("", 1), ("B", 1), ("KiB", 1 << 10), ("MiB", 1 << 20), ("GiB", 1 << 30),
              ("TiB", 1 << 40))
DURATION_UNITS = (("ns", 1), ("us", 1000), ("ms", 10 ** 6), ("s", 10 ** 9), ("m", 60 * 10 ** 9),
                  ("h", 3600 * 10 ** 9))
UNIT_HINTS = {
    "K": "KiB", "KB": "KiB", "k": "KiB", "kB": "KiB", "kb": "KiB", "Ki": "KiB", "M": "MiB",
    "MB": "MiB", "Mi": "MiB", "mb": "MiB", "G": "GiB", "GB": "GiB", "Gi": "GiB", "gb": "GiB",
    "b": "B", "kib": "KiB", "mib": "MiB", "gib": "GiB", "\u00b5s": "us", "sec": "s",
    "secs": "s", "msec": "ms", "usec": "us", "nsec": "ns", "S": "s", "MS": "ms", "min": "m",
}
SPACE = " \t\n\v\f\r"
DIGITS = "0123456789"
INT64_MAX = (1 << 63) - 1
UINT64_MAX = (1 << 64) - 1


def _parse_with_units(text, units, what, unit_list):
    """Parse '<digits>[.<digits>]<unit>' into base units (bytes or ns); ValueError(message)."""
    p, n = 0, len(text)
    while p < n and text[p] in SPACE:
        p += 1
    if p < n and text[p] == "-":
        raise ValueError('expected a %s (%s), got negative "%s"' % (what, unit_list, text))
    if p >= n or text[p] not in DIGITS:
        raise ValueError('expected a %s with a unit (%s), got "%s"' % (what, unit_list, text))
    whole = 0
    while p < n and text[p] in DIGITS:
        whole = whole * 10 + int(text[p])
        if whole > UINT64_MAX:
            raise ValueError('%s "%s" is too large' % (what, text))
        p += 1
    frac_num, frac_den = 0, 1
    if p < n and text[p] == ".":
        p += 1
        if p >= n or text[p] not in DIGITS:
            raise ValueError('expected digits after the decimal point in "%s"' % text)
        start = p
        while p < n and text[p] in DIGITS:
            p += 1
        digits = text[start:p].rstrip("0")   # exact: every digit counts (as param.c)
        if len(digits) > 19:
            raise ValueError('%s "%s" has more digits after the point than can be exact (19)'
                             % (what, text))
        for d in digits:
            frac_num = frac_num * 10 + int(d)
            frac_den *= 10
    while p < n and text[p] in SPACE:
        p += 1
    start = p
    while p < n and text[p] not in SPACE and p - start < 15:
        p += 1
    unit = text[start:p]
    while p < n and text[p] in SPACE:
        p += 1
    if p < n:
        raise ValueError('expected a %s (%s), got "%s"' % (what, unit_list, text))
    mult = dict(units).get(unit)
    if mult is None:
        hint = UNIT_HINTS.get(unit)
        if hint:
            raise ValueError('unknown unit "%s" in "%s"; did you mean %s? (units: %s)'
                             % (unit, text, hint, unit_list))
        raise ValueError('unknown unit "%s" in "%s" (units: %s)' % (unit, text, unit_list))
    if whole > INT64_MAX // mult:
        raise ValueError('%s "%s" is too large' % (what, text))
    v = whole * mult
    if frac_num:
        if (mult * frac_num) % frac_den:
            raise ValueError('%s "%s" is not a whole number of %s'
                             % (what, text, units[0][0] or "bytes"))
        v += mult * frac_num // frac_den
    if v > INT64_MAX:
        raise ValueError('%s "%s" is too large' % (what, text))
    return v


def parse_size(text):
    """'4096', '4096B', '64KiB', '1MiB' -> bytes."""
    return _parse_with_units(text, SIZE_UNITS, "size", "B, KiB, MiB, GiB, or plain bytes")


def parse_duration(text):
    """'250ns', '10us', '500ms', '2s', '1m', '1h' -> ns; a bare number is refused."""
    t = text.rstrip(SPACE)
    if t and t[-1] in DIGITS:
        raise ValueError('expected a duration with a unit (ns, us, ms, s), got "%s"' % text)
    return _parse_with_units(text, DURATION_UNITS, "duration", "ns, us, ms, s")


def parse_int(text):
    """As strtoll(text, &end, 10) with the whole text consumed and no overflow."""
    t = text.lstrip(SPACE)
    body = t[1:] if t[:1] in ("+", "-") else t
    if not body or any(c not in DIGITS for c in body):
        raise ValueError('expected an integer, got "%s"' % text)
    v = int(t)
    if not -INT64_MAX - 1 <= v <= INT64_MAX:
        raise ValueError('expected an integer, got "%s"' % text)
    return v


def parse_bool(text):
    if text in ("true", "yes", "on", "1"):
        return True
    if text in ("false", "no", "off", "0"):
        return False
    raise ValueError('expected true or false, got "%s"' % text)


def fmt_size(b):
    """Bytes for humans, exact units only ('64 KiB', '1536 B', '10.5 MiB' above 10 KiB)."""
    names = ("B", "KiB", "MiB", "GiB", "TiB")
    u, v = 0, b
    while u < 4 and v != 0 and v % 1024 == 0:
        v //= 1024
        u += 1
    if u == 0 and b >= 10240:
        d = float(b)
        while u < 4 and d >= 1024:
            d /= 1024
            u += 1
        return "%.1f %s" % (d, names[u])
    return "%d %s" % (v, names[u])


def fmt_duration(ns):
    if ns < 1000:
        return "%d ns" % ns
    if ns < 10 ** 6:
        return "%.3g us" % (ns / 1e3)
    if ns < 10 ** 9:
        return "%.3g ms" % (ns / 1e6)
    return "%.3g s" % (ns / 1e9)


def edit_distance(a, b):
    if len(a) > 64 or len(b) > 64:
        return 1000
    row = list(range(len(b) + 1))
    for i in range(1, len(a) + 1):
        prev, row[0] = row[0], i
        for j in range(1, len(b) + 1):
            cur = row[j]
            sub = prev + (a[i - 1].lower() != b[j - 1].lower())
            row[j] = min(sub, row[j] + 1, row[j - 1] + 1)
            prev = cur
    return row[len(b)]


def closest_name(word, names):
    best, best_d = None, 1000
    for n in names:
        d = edit_distance(word, n)
        if d < best_d:
            best, best_d = n, d
    limit = 1 if len(word) <= 3 else len(word) // 3 + 1
    return best if best is not None and best_d <= limit else None


class Param:
    """One parameter: a table row.  default/min/max are text, parsed like user input."""

    PLAIN = {"bool": parse_bool, "int": parse_int, "size": parse_size,
             "duration": parse_duration}

    def __init__(self, name, ptype, default, lo=None, hi=None, choices=None, help=""):
        self.name, self.type, self.default = name, ptype, default
        self.min, self.max, self.choices, self.help = lo, hi, choices, help

    def parse(self, text):
        """The canonical value (int, bool or str) of text; ValueError(one sentence)."""
        if self.type == "enum":
            if text in self.choices:
                return text
            near = closest_name(text, self.choices)
            msg = 'expected one of %s, got "%s"' % (", ".join(self.choices), text)
            raise ValueError(msg + ("; did you mean %s?" % near if near else ""))
        if self.type == "string":
            return text
        parse = self.PLAIN[self.type]
        v = parse(text)
        if self.type == "bool":
            return v
        lo = self._bound(self.min, -INT64_MAX - 1)
        hi = self._bound(self.max, INT64_MAX)
        if v < lo or v > hi:
            fmt = {"size": fmt_size, "duration": fmt_duration}.get(self.type, str)
            what = {"int": "an integer"}.get(self.type, "a " + self.type)  # as param.c
            if self.min and self.max:
                msg = "expected %s between %s and %s, got %s" % (what, fmt(lo), fmt(hi), text)
            elif self.min:
                msg = "expected %s of at least %s, got %s" % (what, fmt(lo), text)
            else:
                msg = "expected %s of at most %s, got %s" % (what, fmt(hi), text)
            raise ValueError(msg)
        return v

    def _bound(self, text, fallback):
        if text is None:
            return fallback
        try:
            return self.PLAIN[self.type](text)
        except ValueError:
            return fallback

    def describe(self):
        return {"name": self.name, "type": self.type, "default": self.default, "min": self.min,
                "max": self.max, "choices": list(self.choices) if self.choices else None,
                "help": self.help}


class Metric:
    def __init__(self, name, unit, direction, help):
        assert unit in ("ns", "bytes", "bytes_per_s", "ops_per_s", "count", "ratio"), unit
        assert direction in ("lower", "higher", "none"), direction
        self.name, self.unit, self.direction, self.help = name, unit, direction, help


class Case:
    """A case: one row.  The first metric is the headline (failure and unsupported records)."""

    def __init__(self, name, help, metrics, params, run):
        self.name, self.help, self.metrics, self.params, self.run = (name, help, metrics, params,
                                                                     run)

    def describe(self):
        return {"name": self.name, "help": self.help,
                "metrics": [{"name": m.name, "unit": m.unit, "direction": m.direction,
                             "help": m.help} for m in self.metrics],
                "transports": [], "params": [p.describe() for p in self.params]}


# ---- cleanup: every child, shm block and file is registered and removed on every exit ------

_owner = os.getpid()
_cleanups = {}
_cleanup_seq = itertools.count()
_name_seq = itertools.count()


def cleanup_add(what, fn):
    """Register fn (no arguments) to undo what; returns a handle for cleanup_remove()."""
    h = next(_cleanup_seq)
    _cleanups[h] = (what, fn)
    return h


def cleanup_remove(h):
    """Undo the registered object now (once) and forget it."""
    entry = _cleanups.pop(h, None)
    if entry:
        try:
            entry[1]()
        except Exception as e:  # cleanup goes on with the next object
            log("cleanup of %s: %s: %s" % (entry[0], type(e).__name__, e))


def cleanup_run():
    """Undo everything still registered by this process, newest first."""
    if os.getpid() != _owner:
        return
    for h in sorted(_cleanups, reverse=True):
        cleanup_remove(h)


def _on_signal(signum, frame):
    """SIGTERM/SIGINT/SIGHUP: clean up, then die of the same signal."""
    if os.getpid() == _owner:
        for s in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP):
            signal.signal(s, signal.SIG_IGN)
        cleanup_run()
    signal.signal(signum, signal.SIG_DFL)
    os.kill(os.getpid(), signum)


def run_token():
    """IPCPROBE_RUN_TOKEN when it is 1 to 16 hex digits (the runner sets it), else "0"."""
    t = os.environ.get("IPCPROBE_RUN_TOKEN", "")
    return t if 1 <= len(t) <= 16 and all(c in "0123456789abcdef" for c in t) else "0"


def ipc_name():
    """A unique IPC name 'ipcprobe-<token>-<pgid>-<pid>-<seq>' (probes/lib/cleanup.c: the
    runner sweeps by the run's token and the process group)."""
    return "ipcprobe-%s-%d-%d-%d" % (run_token(), os.getpgrp(), os.getpid(), next(_name_seq))


def ipc_path(suffix):
    d = os.environ.get("TMPDIR") or "/tmp"
    return os.path.join(d, ipc_name() + suffix)


def log(msg):
    sys.stderr.write("%s: %s\n" % (PROBE, msg))
    sys.stderr.flush()


# ---- children --------------------------------------------------------------------------------

MP = None            # the multiprocessing context
START_METHOD = None
_life_r = _life_w = None
_prctl = None


def _mp_init():
    """Choose the start method ('fork' where available), open the lifeline, find prctl."""
    global MP, START_METHOD, _life_r, _life_w, _prctl
    methods = multiprocessing.get_all_start_methods()
    START_METHOD = "fork" if "fork" in methods else multiprocessing.get_start_method()
    MP = multiprocessing.get_context(START_METHOD)
    if ctypes is not None:
        try:
            _prctl = ctypes.CDLL(None, use_errno=True).prctl
        except (OSError, AttributeError):
            _prctl = None
    if _prctl is None and START_METHOD == "fork":
        _life_r, _life_w = os.pipe()


def _lifeline_watch(fd):
    try:
        while os.read(fd, 1):
            pass
    except OSError:
        pass
    os._exit(1)


def child_init(parent=None):
    """First thing in every child: forget the parent's cleanups, die with the parent."""
    global _owner
    _owner = os.getpid()
    _cleanups.clear()
    for s in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP):
        signal.signal(s, signal.SIG_DFL)
    if _prctl is not None:
        PR_SET_PDEATHSIG = 1  # Linux <sys/prctl.h>; prctl exists in libc only there
        if _prctl(PR_SET_PDEATHSIG, int(signal.SIGKILL), 0, 0, 0) == 0:
            if parent is not None and os.getppid() != parent:
                os._exit(1)  # the parent died before prctl took effect
            return
    if _life_w is not None:
        os.close(_life_w)
        threading.Thread(target=_lifeline_watch, args=(_life_r,), daemon=True).start()


def _child_main(parent, fn, args):
    child_init(parent)
    fn(*args)


def start_child(fn, *args):
    """Start a child process running fn(*args); it is terminated and reaped on cleanup."""
    sys.stdout.flush()
    sys.stderr.flush()
    p = MP.Process(target=_child_main, args=(os.getpid(), fn, args), daemon=True)
    p.start()
    p._ipc_cleanup = cleanup_add("child %d" % p.pid, lambda: _stop_child(p))
    return p


def _stop_child(p):
    if p.exitcode is None:
        p.terminate()
        p.join(2)
    if p.exitcode is None:
        p.kill()
        p.join(5)


def reap_child(p, timeout_s=10.0):
    """Wait for p to end (killing it after timeout_s); returns its exit code."""
    p.join(timeout_s)
    cleanup_remove(p._ipc_cleanup)
    return p.exitcode


def start_manager():
    """A SyncManager whose server process dies with the probe; shut down on cleanup."""
    sys.stdout.flush()
    m = multiprocessing.managers.SyncManager(ctx=MP)
    m.start(child_init, (os.getpid(),))
    m._ipc_cleanup = cleanup_add("manager", m.shutdown)
    return m


def stop_manager(m):
    cleanup_remove(m._ipc_cleanup)


def shm_tracker_start():
    """Start the parent's resource tracker before any child is forked, so that children share
    it (a child forked earlier would start its own, which then warns about blocks it never
    saw unlinked)."""
    try:
        from multiprocessing import resource_tracker
        resource_tracker.ensure_running()
    except (ImportError, AttributeError):
        pass


def attach_shm(name):
    """Attach to a block a parent created (untracked where Python lets us say so, 3.13+)."""
    try:
        return shared_memory.SharedMemory(name=name, track=False)
    except TypeError:
        return shared_memory.SharedMemory(name=name)


def new_shm(size):
    """A shared_memory block of ours, unlinked on cleanup."""
    shm = shared_memory.SharedMemory(name=ipc_name(), create=True, size=size)
    shm._ipc_cleanup = cleanup_add("shm " + shm.name, lambda: _drop_shm(shm))
    return shm


def _drop_shm(shm):
    try:
        shm.close()
    except BufferError:
        pass  # a memoryview still exported; the mapping goes with the process
    shm.unlink()


def free_shm(shm):
    cleanup_remove(shm._ipc_cleanup)


def recv_within(conn, timeout_s, what):
    """conn.recv() with a deadline: RuntimeError naming what did not arrive."""
    if not conn.poll(timeout_s):
        raise RuntimeError("no %s within %.1f s" % (what, timeout_s))
    return conn.recv()


# ---- helpers -----------------------------------------------------------------------------------

def python_facts():
    return {"implementation": platform.python_implementation(),
            "version": platform.python_version(), "executable": sys.executable}


def payload(n):
    """n bytes where byte i is i % 256, built in place (no temporary copies)."""
    b = bytearray(n)
    first = min(n, 256)
    b[0:first] = bytes(range(first))
    mv = memoryview(b)
    k = first
    while k < n:
        m = min(k, n - k)
        mv[k:k + m] = mv[0:m]
        k += m
    mv.release()
    return b


def check_payload(data, n):
    """None if data looks like payload(n) (length, 128 sampled bytes, the tail), else why."""
    if len(data) != n:
        return "received %d bytes of %d" % (len(data), n)
    if n == 0:
        return None
    step = max(1, n // 128)
    for i in itertools.chain(range(0, n, step), range(max(0, n - 64), n)):
        if data[i] != i % 256:
            return "byte %d is %d, expected %d" % (i, data[i], i % 256)
    return None


def mem_available():
    """MemAvailable from /proc/meminfo in bytes, or None where there is none."""
    try:
        with open("/proc/meminfo") as f:
            for line in f:
                if line.startswith("MemAvailable:"):
                    return int(line.split()[1]) * 1024
    except (OSError, ValueError, IndexError):
        pass
    return None


def fionread(fd):
    """Bytes waiting to be read on fd (FIONREAD)."""
    buf = array.array("i", [0])
    fcntl.ioctl(fd, termios.FIONREAD, buf, True)
    return buf[0]


def pipe_size(fd):
    """F_GETPIPE_SZ of a pipe fd, or None where the call does not exist."""
    op = getattr(fcntl, "F_GETPIPE_SZ", None) if fcntl else None
    if op is None and sys.platform.startswith("linux"):
        op = 1032  # F_GETPIPE_SZ in <linux/fcntl.h>; the constant came to Python in 3.10
    if op is None:
        return None
    try:
        return fcntl.fcntl(fd, op)
    except OSError:
        return None


def read_available(fd):
    """Everything readable on fd right now, without blocking."""
    out = bytearray()
    while select.select([fd], [], [], 0.05)[0]:
        chunk = os.read(fd, 1 << 16)
        if not chunk:
            break
        out += chunk
    return bytes(out)


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
    """The record's dist object: n, min, p50, p90, p99, p999, max, mean, stddev (sample)."""
    v = sorted(samples)
    n = len(v)
    mean = float(sum(v)) / n
    sd = math.sqrt(sum((x - mean) ** 2 for x in v) / (n - 1)) if n > 1 else None
    return {"n": n, "min": float(v[0]), "p50": percentile(v, 0.5), "p90": tail(v, 0.9),
            "p99": tail(v, 0.99), "p999": tail(v, 0.999), "max": float(v[-1]),
            "mean": mean, "stddev": sd}


def timer_overhead_ns():
    """The smallest difference between two back-to-back perf_counter_ns() calls."""
    best = None
    for _ in range(1000):
        a = time.perf_counter_ns()
        b = time.perf_counter_ns()
        if best is None or b - a < best:
            best = b - a
    return best


def exc_info(e):
    """An exception as facts: its type (qualified outside builtins), message, errno."""
    t = type(e)
    name = t.__name__ if t.__module__ == "builtins" else "%s.%s" % (t.__module__, t.__name__)
    d = {"exception": name, "message": str(e)}
    if isinstance(e, OSError) and e.errno is not None:
        d["errno"] = e.errno
        d["errno_name"] = errno.errorcode.get(e.errno)
    return d


# ---- the case context: parameters and records ----------------------------------------------

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
        f = {"python": python_facts(), "start_method": START_METHOD}
        f.update(facts or {})
        rec["facts"] = f
        sys.stdout.write(json.dumps(rec, allow_nan=False, separators=(",", ":")) + "\n")
        sys.stdout.flush()
        self.emitted += 1


# ---- case: send_bytes_limit ------------------------------------------------------------------

PIPE_KINDS = ("pipe_duplex", "pipe_simplex")


def open_pipe(kind):
    """(sender, receiver) Connections of Pipe(duplex=True) or Pipe(duplex=False)."""
    if kind == "pipe_duplex":
        a, b = MP.Pipe(duplex=True)
        return a, b
    r, w = MP.Pipe(duplex=False)
    return w, r


def _recv_check(rx, n, result):
    try:
        data = rx.recv_bytes()
        bad = check_payload(data, n)
        result.send(("ok", None) if bad is None else ("bad", bad))
    except BaseException as e:
        result.send(("error", exc_info(e)))


def _try_size(kind, n, data, timeout_s):
    """Carry n bytes through a fresh Pipe of kind to a child: None if whole, else failure facts."""
    tx, rx = open_pipe(kind)
    res_r, res_w = MP.Pipe(duplex=False)
    child = start_child(_recv_check, rx, n, res_w)
    rx.close()
    res_w.close()
    failure = None
    try:
        tx.send_bytes(memoryview(data)[:n])
    except Exception as e:
        failure = dict(exc_info(e), side="sender")
    if failure is None:
        try:
            status, detail = recv_within(res_r, timeout_s, "result from the receiver")
        except (RuntimeError, EOFError) as e:
            status, detail = "error", {"exception": None, "message": str(e)}
        if status == "error":
            failure = dict(detail, side="receiver")
        elif status == "bad":
            failure = {"side": "receiver", "exception": None, "message": detail}
    tx.close()
    res_r.close()
    reap_child(child, 2)
    if failure:
        failure["size"] = n
    return failure


def framing(kind):
    """Bytes on the wire for send_bytes(n), read from the receiver's raw fd, for small n."""
    out = {}
    for n in (100, 20000):  # below and above CPython's 16 KiB single-write threshold
        tx, rx = open_pipe(kind)
        try:
            tx.send_bytes(b"\x5a" * n)
            raw = read_available(rx.fileno())
        finally:
            tx.close()
            rx.close()
        out[n] = {"wire_bytes": len(raw), "overhead": len(raw) - n,
                  "header_hex": raw[:max(0, len(raw) - n)].hex()}
    return out


def maxlength_behaviour(kind):
    """What recv_bytes(maxlength) does with a longer message."""
    tx, rx = open_pipe(kind)
    d = {"message_bytes": 2048, "maxlength": 1024}
    try:
        tx.send_bytes(b"y" * 2048)
        try:
            got = rx.recv_bytes(1024)
            d.update(raised=False, returned_bytes=len(got))
        except Exception as e:
            d.update(raised=True, **exc_info(e))
        if rx.closed:
            d["connection_after"] = "closed"
        else:
            try:
                rx.poll(0)
                rx.recv_bytes(4096)
                d["connection_after"] = "usable"
            except Exception as e:
                d["connection_after"] = "unusable (%s: %s)" % (type(e).__name__, e)
    finally:
        tx.close()
        if not rx.closed:
            rx.close()
    return d


def run_send_bytes_limit(ctx):
    kind, start, cap = ctx.p["mechanism"], ctx.p["start"], ctx.p["cap"]
    timeout_s = ctx.p["timeout"] / 1e9
    avail = mem_available()
    limit, bounded_by = cap, "cap"
    if avail is not None and avail // 4 < cap:  # sender copy, receiver buffer and its result
        limit, bounded_by = avail // 4, "memory"
    if start > limit:
        raise Unsupported("the start size %s is above what MemAvailable=%s allows (a quarter); "
                          "lower start" % (fmt_size(start), fmt_size(avail)))
    sizes = []
    n = start
    while n <= limit:
        sizes.append(n)
        n *= 2
    data = payload(sizes[-1])
    largest, failure, tried = 0, None, []
    for n in sizes:
        t0 = time.monotonic()
        failure = _try_size(kind, n, data, timeout_s)
        tried.append({"size": n, "whole": failure is None,
                      "seconds": round(time.monotonic() - t0, 6)})
        if failure:
            break
        largest = n
    del data
    facts = {"mechanism": kind, "api": "send_bytes/recv_bytes", "sizes_tried": tried,
             "first_failure": failure, "bounded_by_cap": failure is None,
             "cap_requested": cap, "cap_effective": limit, "bounded_by": bounded_by,
             "mem_available": avail,
             "verified": "length, 128 sampled bytes and the last 64 bytes"}
    if failure is None:
        facts["note"] = ("no failure up to the cap: the limit, if any, lies above %s"
                         % fmt_size(limit))
    if largest == 0:
        facts["note"] = "the start size already failed: the limit lies below %s" % fmt_size(start)
    ctx.record("largest_whole", largest, facts=facts)
    fr = framing(kind)
    ctx.record("framing_overhead", max(v["overhead"] for v in fr.values()),
               facts={"mechanism": kind, "by_payload_size": {str(k): v for k, v in fr.items()},
                      "source": "bytes read from the receiver's raw fd after one send_bytes"})
    mx = maxlength_behaviour(kind)
    ctx.record("maxlength_raises", 1 if mx.get("raised") else 0,
               facts={"mechanism": kind, "recv_bytes_maxlength": mx})
    return EXIT_OK


# ---- case: blocking --------------------------------------------------------------------------

def _late_reader(go, rx, result):
    go.recv_bytes()
    try:
        data = rx.recv_bytes()
        result.send(("ok", len(data)))
    except BaseException as e:
        result.send(("error", exc_info(e)))


def _delivers_nonblocking(kind, data, n):
    """Does send_bytes of n bytes complete into a fresh Pipe of kind with nobody reading?
    The sending end is non-blocking, so a send that would block raises instead of hanging;
    also the bytes then waiting in the receiving end (FIONREAD)."""
    tx, rx = open_pipe(kind)
    try:
        os.set_blocking(tx.fileno(), False)
        try:
            tx.send_bytes(memoryview(data)[:n])
            ok = True
        except BlockingIOError:
            ok = False
        return ok, fionread(rx.fileno())
    finally:
        tx.close()
        rx.close()


def largest_no_reader(kind, data):
    """The largest n whose send_bytes completes with nobody reading, by trying: doubling
    until one does not, then bisection, each try on a fresh Pipe.  Returns (n, facts)."""
    tries = []

    def fits(n):
        ok, queued = _delivers_nonblocking(kind, data, n)
        tries.append({"size": n, "delivered": ok, "queued_bytes": queued})
        return ok

    lo, hi = 0, 4096
    while fits(hi):
        lo, hi = hi, hi * 2
        if hi > len(data):
            raise RuntimeError("send_bytes of %s completed with nobody reading; raise size"
                               % fmt_size(len(data)))
    while hi - lo > 1:
        mid = (lo + hi) // 2
        if fits(mid):
            lo = mid
        else:
            hi = mid
    # The bisection assumes that a smaller message never blocks where a larger one does not:
    # say so, and check the sizes just above and just below.
    above = [n for n in range(lo + 1, lo + 9) if fits(n)]
    below = [n for n in range(max(0, lo - 8), lo) if not fits(n)]
    queued = next(t["queued_bytes"] for t in tries if t["size"] == lo and t["delivered"])
    return lo, {"method": "non-blocking sending end, a fresh Pipe per try; doubling from "
                          "4 KiB, then bisection", "tries": len(tries),
                "queued_bytes_after_largest": queued,
                "checked_above_not_delivered": not above, "delivered_above": above,
                "checked_below_delivered": not below, "blocked_below": below}


def blocks_in_thread(kind, data, n, settle_s):
    """The same question in blocking mode: does send_bytes(n) return within settle_s?
    A send still blocked is released by closing the receiving end."""
    tx, rx = open_pipe(kind)
    done = threading.Event()

    def send():
        try:
            tx.send_bytes(memoryview(data)[:n])
        except OSError:
            pass  # the receiving end closed under a blocked send
        done.set()

    th = threading.Thread(target=send, daemon=True)
    th.start()
    returned = done.wait(settle_s)
    rx.close()
    th.join(10)
    tx.close()
    return returned


def pipe_buffer_facts(kind, tx, rx):
    """What the OS says the Pipe holds: F_GETPIPE_SZ, or the socket buffer sizes."""
    facts, os_rep = {"page_size": os.sysconf("SC_PAGE_SIZE") if hasattr(os, "sysconf")
                     else None}, None
    if kind == "pipe_simplex":
        sz = pipe_size(rx.fileno())
        facts["f_getpipe_sz"] = sz
        if sz is not None:
            os_rep = ("F_GETPIPE_SZ", sz)
    else:
        import socket
        for end, key, opt in ((tx, "so_sndbuf", socket.SO_SNDBUF),
                              (rx, "so_rcvbuf_peer", socket.SO_RCVBUF)):
            s = socket.socket(fileno=os.dup(end.fileno()))
            facts[key] = s.getsockopt(socket.SOL_SOCKET, opt)
            s.close()
    return facts, os_rep


def run_blocking(ctx):
    if termios is None or not hasattr(termios, "FIONREAD"):
        raise Unsupported("termios.FIONREAD is not available, so the bytes in the peer's buffer "
                          "cannot be read without reading them")
    kind, size = ctx.p["mechanism"], ctx.p["size"]
    settle_s, timeout_s = ctx.p["settle"] / 1e9, ctx.p["timeout"] / 1e9
    data = payload(max(size, 1 << 16) * 2)
    tx, rx = open_pipe(kind)
    buf_facts, os_rep = pipe_buffer_facts(kind, tx, rx)
    tx.close()
    rx.close()
    # send_bytes writes a 4-byte length (12 bytes above 2 GiB), and in CPython's and PyPy's
    # connection.py the header and payload go in one write() up to 16 KiB, two above.
    framing_facts = {"framing_header_bytes": 4, "header_in_own_write_above": 16384,
                     "framing_source": "multiprocessing/connection.py _send_bytes"}
    largest, lfacts = largest_no_reader(kind, data)
    confirm = {"returned_at_largest": blocks_in_thread(kind, data, largest, timeout_s),
               "returned_one_byte_more": blocks_in_thread(kind, data, largest + 1, settle_s),
               "settle_ns": ctx.p["settle"]}
    ctx.record("largest_no_reader", largest, os_reported=os_rep,
               facts=dict(buf_facts, mechanism=kind, blocking_mode_check=confirm,
                          **lfacts, **framing_facts))
    return measure_queued_when_blocked(ctx, kind, size, settle_s, timeout_s,
                                       dict(buf_facts, **framing_facts), os_rep)


def measure_queued_when_blocked(ctx, kind, size, settle_s, timeout_s, facts, os_rep):
    """A send_bytes of size with no reader: the bytes queued when it stops making progress
    (FIONREAD on the receiving end), then the time until it returns once a reader starts."""
    tx, rx = open_pipe(kind)
    go_r, go_w = MP.Pipe(duplex=False)
    res_r, res_w = MP.Pipe(duplex=False)
    reader = start_child(_late_reader, go_r, rx, res_w)
    go_r.close()
    res_w.close()
    facts = dict(facts, mechanism=kind, message_bytes=size, settle_ns=ctx.p["settle"],
                 source="FIONREAD on the receiving end")
    data = payload(size)
    sent = {}

    def sender():
        try:
            tx.send_bytes(data)
        except BaseException as e:
            sent["error"] = exc_info(e)
        sent["t"] = time.monotonic_ns()

    th = threading.Thread(target=sender, daemon=True)
    th.start()
    last, changed = -1, time.monotonic()
    deadline = changed + timeout_s
    while th.is_alive():
        now = time.monotonic()
        cur = fionread(rx.fileno())
        if cur != last:
            last, changed = cur, now
        elif now - changed >= settle_s:
            break
        if now > deadline:
            break
        time.sleep(0.001)
    blocked = th.is_alive()
    inside = fionread(rx.fileno())
    facts["blocked"] = blocked
    facts["payload_bytes_in"] = max(0, inside - facts["framing_header_bytes"])
    t0 = time.monotonic_ns()
    go_w.send_bytes(b"g")
    th.join(timeout_s)
    if th.is_alive() or "error" in sent:
        why = sent.get("error") or "still blocked %.1f s after the reader started" % timeout_s
        ctx.record("bytes_queued_when_blocked", status="failed", facts=facts,
                   reason="send_bytes of %s did not complete: %s" % (fmt_size(size), why))
        rc = EXIT_FAILED
    else:
        status, got = recv_within(res_r, timeout_s, "result from the reader")
        facts["reader_received"] = got
        ctx.record("bytes_queued_when_blocked", inside, facts=facts, os_reported=os_rep)
        if blocked:
            ctx.record("send_returns_after_reader", sent["t"] - t0, facts=facts)
        rc = EXIT_OK
    for c in (tx, rx, go_w, res_r):
        c.close()
    reap_child(reader, 2)
    return rc


# ---- case: queue_put -------------------------------------------------------------------------

def drain(q, count, timeout_s):
    for _ in range(count):
        q.get(timeout=timeout_s)


def close_queue(q):
    q.close()
    q.join_thread()


def _put_and_exit(q, items, size, mark, cancel):
    data = bytes(size)
    for _ in range(items):
        q.put(data)
    if cancel:
        q.cancel_join_thread()
    mark.send_bytes(b"p")


def queue_exit(ctx, cancel):
    """A child puts items and returns: (blocked, ns from last put to exit or to drain start)."""
    items, size = ctx.p["items"], ctx.p["size"]
    wait_s, timeout_s = ctx.p["exit_wait"] / 1e9, ctx.p["timeout"] / 1e9
    q = MP.Queue()
    mark_r, mark_w = MP.Pipe(duplex=False)
    child = start_child(_put_and_exit, q, items, size, mark_w, cancel)
    mark_w.close()
    if not mark_r.poll(timeout_s):
        raise RuntimeError("the child did not finish its %d puts within %.1f s" % (items,
                                                                                   timeout_s))
    mark_r.recv_bytes()
    t_last = time.monotonic_ns()
    child.join(wait_s)
    if child.exitcode is not None:
        t_exit = time.monotonic_ns()
        if not cancel:
            drain(q, items, timeout_s)
        res = (False, t_exit - t_last)
    else:
        t0 = time.monotonic_ns()
        drain(q, items, timeout_s)
        child.join(timeout_s)
        res = (True, time.monotonic_ns() - t0)
    reap_child(child, 2)
    mark_r.close()
    close_queue(q)
    return res


def run_queue_put(ctx):
    size, n, timeout_s = ctx.p["size"], ctx.p["n"], ctx.p["timeout"] / 1e9
    base = {"message_bytes": size, "object": "bytes"}
    try:
        MP.Queue().close()
    except (ImportError, OSError) as e:
        raise Unsupported("multiprocessing.Queue cannot be created here: %s: %s"
                          % (type(e).__name__, e))
    # Forks first: Python 3.12+ warns about forking while the feeder threads below run.
    blocked, ns = queue_exit(ctx, cancel=False)
    efacts = dict(base, items=ctx.p["items"], buffered_bytes=ctx.p["items"] * size,
                  exit_wait_ns=ctx.p["exit_wait"])
    cblocked, cns = queue_exit(ctx, cancel=True)

    # put() with no consumer.
    q = MP.Queue()
    data = bytes(size)
    lat = []
    for _ in range(n):
        t0 = time.perf_counter_ns()
        q.put(data)
        lat.append(time.perf_counter_ns() - t0)
    d = dist(lat)
    slow = sorted(range(n), key=lambda i: lat[i], reverse=True)[:5]
    ctx.record("put_latency", d["p50"], dist_=d,
               facts=dict(base, puts=n, first_put_ns=lat[0], consumer=False,
                          buffered_bytes=n * size, timer="time.perf_counter_ns",
                          timer_overhead_ns=timer_overhead_ns(),
                          puts_over_1ms=sum(1 for x in lat if x > 10 ** 6),
                          slowest_puts=[{"index": i, "ns": lat[i]} for i in slow]))
    drain(q, n, timeout_s)
    close_queue(q)

    # put() into Queue(maxsize) until one blocks.
    maxsize, wait_s = ctx.p["maxsize"], ctx.p["block_wait"] / 1e9
    q = MP.Queue(maxsize)
    returned, exc, waited = 0, None, None
    while returned <= maxsize + 1:
        t0 = time.monotonic_ns()
        try:
            q.put(data, timeout=wait_s)
        except queue.Full as e:
            exc, waited = exc_info(e), time.monotonic_ns() - t0
            break
        returned += 1
    ctx.record("put_blocks_after", returned,
               facts=dict(base, maxsize=maxsize, block_wait_ns=ctx.p["block_wait"],
                          raised=exc, blocked_put_waited_ns=waited))
    drain(q, returned, timeout_s)
    close_queue(q)

    ctx.record("exit_blocked", 1 if blocked else 0, facts=efacts)
    if blocked:
        ctx.record("exit_after_drain_start", ns, facts=efacts)
    else:
        ctx.record("exit_time", ns, facts=efacts)
    ctx.record("exit_time_cancel_join_thread", cns,
               facts=dict(efacts, blocked=cblocked, data_lost="items still in the buffer"))
    return EXIT_OK


# ---- case: latency ---------------------------------------------------------------------------

LAT_MECHS = ("pipe_duplex", "pipe_simplex", "queue", "simple_queue", "joinable_queue",
             "manager_queue")


def _echo(kind, api, rounds, a, b):
    """The echo peer: receive from a, send back on b, rounds times."""
    if kind.startswith("pipe"):
        if api == "send_bytes":
            for _ in range(rounds):
                b.send_bytes(a.recv_bytes())
        else:
            for _ in range(rounds):
                b.send(a.recv())
    elif kind == "joinable_queue":
        for _ in range(rounds):
            m = a.get()
            a.task_done()
            b.put(m)
    else:
        for _ in range(rounds):
            b.put(a.get())


def run_latency(ctx):
    kind, size, n, warm = ctx.p["mechanism"], ctx.p["size"], ctx.p["n"], ctx.p["warmup"]
    api = ctx.p["pipe_api"]
    rounds = n + warm
    manager = None
    facts = {"mechanism": kind, "message_bytes": size, "warmup": warm,
             "timer": "time.perf_counter_ns", "peer": "a child process echoing each message"}
    if kind.startswith("pipe"):
        facts["api"] = api + ("/recv_bytes" if api == "send_bytes" else "/recv (pickle)")
        # Parent sends on p_tx, child receives on c_rx and replies on c_tx to p_rx.
        if kind == "pipe_duplex":
            p_end, c_end = MP.Pipe(duplex=True)
            p_tx = p_rx = p_end
            c_rx = c_tx = c_end
        else:
            c_rx, p_tx = MP.Pipe(duplex=False)
            p_rx, c_tx = MP.Pipe(duplex=False)
        send = p_tx.send_bytes if api == "send_bytes" else p_tx.send
        recv = p_rx.recv_bytes if api == "send_bytes" else p_rx.recv
        ends = (c_rx, c_tx)
        closers = [p_tx.close, p_rx.close]
    else:
        facts["api"] = "put/get of a bytes object (pickled)"
        try:
            if kind == "manager_queue":
                manager = start_manager()
                qa, qb = manager.Queue(), manager.Queue()
            else:
                make = {"queue": MP.Queue, "simple_queue": MP.SimpleQueue,
                        "joinable_queue": MP.JoinableQueue}[kind]
                qa, qb = make(), make()
        except (ImportError, OSError) as e:
            raise Unsupported("%s cannot be created here: %s: %s" % (kind, type(e).__name__, e))
        send, ends = qa.put, (qa, qb)
        if kind == "joinable_queue":
            def recv():
                m = qb.get()
                qb.task_done()
                return m
        else:
            recv = qb.get
        closers = [getattr(qa, "close", lambda: None), getattr(qb, "close", lambda: None)]
    child = start_child(_echo, kind, api, rounds, *ends)
    if kind.startswith("pipe"):
        for c in set(ends):
            c.close()
    msg = bytes(payload(size))
    samples = []
    try:
        for i in range(rounds):
            t0 = time.perf_counter_ns()
            send(msg)
            got = recv()
            t1 = time.perf_counter_ns()
            if i >= warm:
                samples.append(t1 - t0)
        if len(got) != size:
            raise RuntimeError("the echo came back with %d bytes, sent %d" % (len(got), size))
    finally:
        reap_child(child, 5)
        for c in closers:
            c()
        if kind in ("queue", "joinable_queue"):
            for q in ends:
                q.join_thread()
        if manager:
            stop_manager(manager)
    d = dist(samples)
    facts["timer_overhead_ns"] = timer_overhead_ns()
    ctx.record("rtt", d["p50"], dist_=d, facts=facts)
    return EXIT_OK


# ---- case: manager_ops -----------------------------------------------------------------------

def time_ops(op, n, batches):
    """Per-operation ns of op(i), timed in batches: (median batch, dist over batches)."""
    k = max(1, n // batches)
    for i in range(min(k, 100)):  # warm-up
        op(i)
    per = []
    for _ in range(batches):
        t0 = time.perf_counter_ns()
        for i in range(k):
            op(i)
        per.append((time.perf_counter_ns() - t0) / k)
    d = dist(per)
    return d["p50"], d


def run_manager_ops(ctx):
    n, batches = ctx.p["n"], ctx.p["batches"]
    if SHM_MISSING:
        raise Unsupported(SHM_MISSING)
    shm_tracker_start()
    manager = start_manager()
    shm = None
    try:
        md, ml, mv = manager.dict({"k": 0}), manager.list([0]), manager.Value("i", 0)
        v, a = MP.Value("i", 0), MP.Array("i", 16)
        shm = new_shm(64)
        buf = shm.buf
        pack, unpack = struct.Struct("i").pack_into, struct.Struct("i").unpack_from

        def noop(i):
            pass

        def s_md(i):
            md["k"] = i

        def g_md(i):
            return md["k"]

        def s_ml(i):
            ml[0] = i

        def g_ml(i):
            return ml[0]

        def s_mv(i):
            mv.value = i

        def g_mv(i):
            return mv.value

        def s_v(i):
            v.value = i

        def g_v(i):
            return v.value

        def s_a(i):
            a[0] = i

        def g_a(i):
            return a[0]

        def s_shm(i):
            pack(buf, 0, i)

        def g_shm(i):
            return unpack(buf, 0)[0]

        ops = (("manager_dict_set", s_md, "Manager().dict(): d[key] = i"),
               ("manager_dict_get", g_md, "Manager().dict(): d[key]"),
               ("manager_list_set", s_ml, "Manager().list(): l[0] = i"),
               ("manager_list_get", g_ml, "Manager().list(): l[0]"),
               ("manager_value_set", s_mv, "Manager().Value('i'): v.value = i"),
               ("manager_value_get", g_mv, "Manager().Value('i'): v.value"),
               ("mp_value_set", s_v, "multiprocessing.Value('i') (its lock taken): v.value = i"),
               ("mp_value_get", g_v, "multiprocessing.Value('i') (its lock taken): v.value"),
               ("mp_array_set", s_a, "multiprocessing.Array('i', 16) (its lock taken): a[0] = i"),
               ("mp_array_get", g_a, "multiprocessing.Array('i', 16) (its lock taken): a[0]"),
               ("shm_set", s_shm, "shared_memory buffer, no lock: struct.pack_into"),
               ("shm_get", g_shm, "shared_memory buffer, no lock: struct.unpack_from"))
        call_ns, _ = time_ops(noop, n, batches)
        res = {}
        for metric, op, what in ops:
            res[metric], d = time_ops(op, n, batches)
            ctx.record(metric, res[metric], dist_=d,
                       facts={"operation": what, "ops": (n // batches) * batches,
                              "batches": batches, "per_op_call_overhead_ns": call_ns,
                              "note": "per-op mean of each batch; includes a Python call"})
        del buf
    finally:
        if shm is not None:
            free_shm(shm)
        stop_manager(manager)
    for metric, num, den in RATIOS:
        ctx.record(metric, res[num] / res[den],
                   facts={"numerator": num, "denominator": den, "numerator_ns": res[num],
                          "denominator_ns": res[den]})
    return EXIT_OK


RATIOS = (("ratio_manager_value_to_mp_value", "manager_value_set", "mp_value_set"),
          ("ratio_manager_dict_to_mp_array", "manager_dict_set", "mp_array_set"),
          ("ratio_manager_list_to_mp_array", "manager_list_set", "mp_array_set"),
          ("ratio_mp_value_to_shm", "mp_value_set", "shm_set"),
          ("ratio_manager_value_to_shm", "manager_value_set", "shm_set"))


# ---- case: large_data ------------------------------------------------------------------------

LD_MECHS = ("pipe_send_bytes", "queue_put", "shared_memory_reused", "shared_memory_fresh",
            "shared_memory_fresh_in_place", "temp_file")
PAGE = 4096


def _ld_receive_shm(kind, ctl, n, reused):
    """One shared_memory hand-over on the receiving side: the bytes copied out, or None
    with every page read in place; reused is the block attached once, or None."""
    msg = ctl.recv()
    s = reused if reused is not None else attach_shm(msg)
    view = s.buf[:n]
    if kind == "shared_memory_fresh_in_place":
        touched = bytes(view[::PAGE])  # one byte per page: every page mapped in
        got = None if len(touched) == (n + PAGE - 1) // PAGE else b""
    else:
        got = bytes(view)
    view.release()
    if reused is None:
        s.close()
    return got


def _ld_receiver(kind, rounds, n, ctl, data_end):
    """Receive rounds hand-overs of n bytes by kind; ack each on ctl with None or what was bad.
    For shared_memory_reused the block is attached and its pages read once, before any."""
    reused = None
    if kind == "shared_memory_reused":
        reused = attach_shm(ctl.recv())
        bytes(reused.buf[:n:PAGE])  # fault every page of the mapping in, untimed
        ctl.send(None)
    for _ in range(rounds):
        if kind == "pipe_send_bytes":
            got = data_end.recv_bytes()
        elif kind == "queue_put":
            got = data_end.get()
        elif kind.startswith("shared_memory"):
            got = _ld_receive_shm(kind, ctl, n, reused)
        else:
            path = ctl.recv()
            with open(path, "rb") as f:
                got = f.read()
        bad = None if got is None else check_payload(got, n)
        del got
        ctl.send(bad)
    if reused is not None:
        reused.close()


class Handover:
    """One mechanism handing n bytes to its own receiver child, round after round; the
    mechanisms of one size live side by side so that their rounds can interleave."""

    def __init__(self, kind, n, rounds, timeout_s):
        self.kind, self.n, self.timeout_s = kind, n, timeout_s
        self.ctl, c_ctl = MP.Pipe(duplex=True)
        self.tx = self.q = self.shm = None
        c_data = None
        if kind == "pipe_send_bytes":
            self.tx, c_data = MP.Pipe(duplex=True)
        elif kind == "queue_put":
            self.q = c_data = MP.Queue()
        self.child = start_child(_ld_receiver, kind, rounds, n, c_ctl, c_data)
        c_ctl.close()
        if kind == "pipe_send_bytes":
            c_data.close()
        if kind == "shared_memory_reused":
            # Created once, every page written by the sender and read by the receiver before
            # the first timed round: the way a reused block is used.
            self.shm = new_shm(n)
            self.shm.buf[:n] = bytes(n)
            self.ctl.send(self.shm.name)
            recv_within(self.ctl, timeout_s, "the receiver attaching the block")

    def once(self, data):
        """One hand-over: ns from the sender holding the bytes to the receiver's ack."""
        kind, n, handle, shm = self.kind, self.n, None, None
        t0 = time.monotonic_ns()
        if kind == "pipe_send_bytes":
            self.tx.send_bytes(data)
        elif kind == "queue_put":
            self.q.put(data)
        elif kind == "shared_memory_reused":
            self.shm.buf[:n] = data
            self.ctl.send(None)
        elif kind.startswith("shared_memory"):
            shm = new_shm(n)
            shm.buf[:n] = data
            self.ctl.send(shm.name)
        else:
            path = ipc_path(".dat")
            handle = cleanup_add("file " + path, lambda p=path: os.unlink(p))
            with open(path, "wb") as f:
                f.write(data)
            self.ctl.send(path)
        bad = recv_within(self.ctl, self.timeout_s, "acknowledgement from the receiver")
        t1 = time.monotonic_ns()
        if shm is not None:
            free_shm(shm)
        if handle is not None:
            cleanup_remove(handle)
        if bad:
            raise RuntimeError("%s: the receiver got bad data: %s" % (kind, bad))
        return t1 - t0

    def close(self):
        reap_child(self.child, 5)
        self.ctl.close()
        if self.tx is not None:
            self.tx.close()
        if self.q is not None:
            close_queue(self.q)
        if self.shm is not None:
            free_shm(self.shm)


def handover_interleaved(mechs, data, repeats, timeout_s):
    """ns per hand-over of data for each mechanism: one untimed round, then repeats rounds,
    each round visiting every mechanism, starting one further along each time."""
    hs = []
    try:
        for m in mechs:
            hs.append(Handover(m, len(data), repeats + 1, timeout_s))
        times = {m: [] for m in mechs}
        for r in range(repeats + 1):
            k = r % len(hs)
            for h in hs[k:] + hs[:k]:
                ns = h.once(data)
                if r:
                    times[h.kind].append(ns)
        return times
    finally:
        for h in hs:
            h.close()


def shm_create_cost(n, repeats):
    """ns to create a shared_memory block of n bytes and write one byte per page (shm_open,
    ftruncate, mmap, resource-tracker registration, page faults); unlink not timed."""
    times = []
    for _ in range(repeats):
        t0 = time.monotonic_ns()
        shm = new_shm(n)
        buf = shm.buf
        for off in range(0, n, PAGE):
            buf[off] = 1
        t1 = time.monotonic_ns()
        del buf
        free_shm(shm)
        times.append(t1 - t0)
    return times


def wins_from(sweep, med, shm):
    """The smallest swept size from which shm is at least as fast as every non-shm mechanism
    at that size and all larger ones; None if it never is (or shm was not measured)."""
    if shm not in med[0]:
        return None
    found = None
    for row, m in reversed(list(zip(sweep, med))):
        if m[shm] > min(v for k, v in m.items() if not k.startswith("shared_memory")):
            break
        found = row["size"]
    return found


LD_WHAT = {
    "pipe_send_bytes": "Pipe().send_bytes; the receiver holds bytes",
    "queue_put": "Queue.put (pickled); the receiver holds the object from get()",
    "shared_memory_reused": "one block created before timing, every page already faulted in "
                            "on both sides; copy in, send a token; the receiver copies out "
                            "to bytes",
    "shared_memory_fresh": "create a block (shm_open, ftruncate, mmap, resource-tracker "
                           "registration), copy in (faulting fresh pages), send its name; the "
                           "receiver attaches (faulting its mapping) and copies out to bytes; "
                           "unlink not timed",
    "shared_memory_fresh_in_place": "as shared_memory_fresh, but the receiver reads one byte "
                                    "per page in place instead of copying out",
    "temp_file": "write a file in TMPDIR (no fsync), send its path; the receiver reads it "
                 "whole; unlink not timed"}


def _ld_sizes(size, sweep_from, factor):
    sizes = []
    if sweep_from and sweep_from < size:
        s = sweep_from
        while s < size:
            sizes.append(s)
            s *= factor
    return sizes + [size]


def run_large_data(ctx):
    size, repeats, sweep_from = ctx.p["size"], ctx.p["repeats"], ctx.p["sweep_from"]
    timeout_s = ctx.p["timeout"] / 1e9
    avail = mem_available()
    need = 7 * size  # sender bytes, pickle buffer, two shm blocks, receiver copy, page cache
    if avail is not None and need > avail:
        raise Unsupported("handing %s over needs about %s and MemAvailable is %s; lower size"
                          % (fmt_size(size), fmt_size(need), fmt_size(avail)))
    mechs = [m for m in LD_MECHS if not (SHM_MISSING and m.startswith("shared_memory"))]
    if not SHM_MISSING:
        shm_tracker_start()
    data_all = bytes(payload(size))
    sweep = []
    for s in _ld_sizes(size, sweep_from, ctx.p["sweep_factor"]):
        data = data_all[:s] if s < size else data_all  # bytes: Queue.put pickles it
        row = dict(size=s, **handover_interleaved(mechs, data, repeats, timeout_s))
        sweep.append(row)
        del data
    del data_all
    create = shm_create_cost(size, repeats) if not SHM_MISSING else None
    med = [{m: dist(row[m])["p50"] for m in mechs} for row in sweep]
    last, lm = sweep[-1], med[-1]
    common = {"message_bytes": size, "repeats": repeats, "mem_available": avail,
              "order": "mechanisms interleaved: each round visits every mechanism, starting "
                       "one further along each round; one untimed round first",
              "includes": "from the sender holding the bytes to the receiver acknowledging them",
              "sweep": [dict(size=row["size"], **m) for row, m in zip(sweep, med)]}
    for m in ("shared_memory_reused", "shared_memory_fresh", "shared_memory_fresh_in_place"):
        common[m + "_wins_from"] = wins_from(sweep, med, m)
    for m in mechs:
        d = dist(last[m])
        ctx.record(m, d["p50"], dist_=d,
                   facts=dict(common, how=LD_WHAT[m], bytes_per_s=size / d["p50"] * 1e9))
    if create is None:
        for m in ("shared_memory_create", "shared_memory_speedup"):
            ctx.record(m, status="unsupported", reason=SHM_MISSING, facts=common)
        return EXIT_OK
    d = dist(create)
    ctx.record("shared_memory_create", d["p50"], dist_=d,
               facts={"message_bytes": size, "repeats": repeats,
                      "how": "SharedMemory(create=True) and one byte written per page, in the "
                             "sender alone; unlink not timed"})
    others = {k: v for k, v in lm.items() if not k.startswith("shared_memory")}
    best = min(others, key=others.get)
    ctx.record("shared_memory_speedup", others[best] / lm["shared_memory_reused"],
               facts=dict(common, judged_on="shared_memory_reused", fastest_other=best,
                          fastest=min(lm, key=lm.get),
                          fresh_speedup=others[best] / lm["shared_memory_fresh"]))
    return EXIT_OK


# ---- case: descriptors -----------------------------------------------------------------------

def _count_fds():
    for d in ("/proc/self/fd", "/dev/fd"):
        try:
            return len(os.listdir(d)) - 1  # the directory's own descriptor
        except OSError:
            continue
    return None


def _open_pipes(kind, soft, result):
    import resource
    before = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft:
        resource.setrlimit(resource.RLIMIT_NOFILE, (soft, before[1]))
    limit = resource.getrlimit(resource.RLIMIT_NOFILE)
    fds_at_start = _count_fds()
    pipes, err = [], None
    try:
        while True:
            pipes.append(MP.Pipe(duplex=(kind == "pipe_duplex")))
    except Exception as e:
        err = exc_info(e)
    count = len(pipes)
    fds_at_error = None
    if pipes:  # listing the fds needs one: close the last Pipe first and count it back in
        a, b = pipes.pop()
        a.close()
        b.close()
        n = _count_fds()
        fds_at_error = n + 2 if n is not None else None
    for a, b in pipes:
        a.close()
        b.close()
    result.send({"count": count, "error": err, "soft": limit[0], "hard": limit[1],
                 "soft_before": before[0], "fds_at_start": fds_at_start,
                 "fds_at_error": fds_at_error})


def run_descriptors(ctx):
    try:
        import resource
    except ImportError:
        raise Unsupported("the resource module is missing: RLIMIT_NOFILE cannot be read or set")
    kind, soft, max_fds = ctx.p["mechanism"], ctx.p["soft_limit"], ctx.p["max_fds"]
    cur, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft and hard != resource.RLIM_INFINITY and soft > hard:
        raise Unsupported("soft_limit=%d is above the hard RLIMIT_NOFILE %d; lower soft_limit"
                          % (soft, hard))
    effective = soft or cur
    if effective == resource.RLIM_INFINITY or effective > max_fds:
        raise Unsupported("RLIMIT_NOFILE soft limit %s is above max_fds=%d; set soft_limit or "
                          "raise max_fds" % (effective, max_fds))
    res_r, res_w = MP.Pipe(duplex=False)
    child = start_child(_open_pipes, kind, soft, res_w)
    res_w.close()
    r = recv_within(res_r, ctx.p["timeout"] / 1e9, "result from the child opening Pipes")
    res_r.close()
    reap_child(child, 5)
    facts = {"mechanism": kind, "error": r["error"],
             "rlimit_nofile": {"soft": r["soft"], "hard": r["hard"],
                               "soft_in_force_before": r["soft_before"],
                               "lowered": bool(soft)},
             "fds_open_at_start": r["fds_at_start"], "fds_open_at_error": r["fds_at_error"],
             "fds_per_pipe": 2}
    if r["error"] is None:
        ctx.record("pipes_before_error", status="failed", facts=facts,
                   reason="Pipe() never failed")
        return EXIT_FAILED
    ctx.record("pipes_before_error", r["count"], facts=facts)
    return EXIT_OK


# ---- the table -------------------------------------------------------------------------------

def P(*a, **k):
    return Param(*a, **k)


TIMEOUT = P("timeout", "duration", "60s", "1ms", "1h", help="deadline for any single wait")

CASES = [
    Case("send_bytes_limit",
         "The largest message Pipe.send_bytes/recv_bytes carries whole (sizes doubling from start "
         "to a memory-bounded cap), the exception at the first failing size, recv_bytes(maxlength) "
         "with a longer message, and the framing bytes per message.",
         [Metric("largest_whole", "bytes", "none",
                 "largest size carried whole; facts.first_failure or facts.bounded_by_cap"),
          Metric("framing_overhead", "bytes", "none",
                 "bytes on the wire per message beyond the payload"),
          Metric("maxlength_raises", "count", "none",
                 "1 if recv_bytes(maxlength) raises on a longer message (facts say what)")],
         [P("mechanism", "enum", "pipe_duplex", choices=PIPE_KINDS,
            help="Pipe(duplex=True) (a socketpair) or Pipe(duplex=False) (a pipe)"),
          P("start", "size", "1MiB", "1", "64GiB", help="first size tried"),
          P("cap", "size", "256MiB", "1", "64GiB",
            help="largest size tried (also bounded by a quarter of MemAvailable)"),
          TIMEOUT],
         run_send_bytes_limit),
    Case("blocking",
         "The largest payload send_bytes delivers with nobody reading (found by trying, a "
         "fresh Pipe per try, the sending end non-blocking so that no try hangs; the answer "
         "and one byte more checked again in blocking mode); then a send_bytes of size with "
         "no reader: the bytes queued when it stalls (FIONREAD on the receiving end, framing "
         "header included), and once a reader starts, the time until the send returns.",
         [Metric("largest_no_reader", "bytes", "none",
                 "the largest payload whose send_bytes returns with nobody reading"),
          Metric("bytes_queued_when_blocked", "bytes", "none",
                 "bytes in the receiver's buffer when a send_bytes of size stopped making "
                 "progress (header included); not the largest message that fits"),
          Metric("send_returns_after_reader", "ns", "lower",
                 "from the reader starting to send_bytes returning")],
         [P("mechanism", "enum", "pipe_duplex", choices=PIPE_KINDS,
            help="Pipe(duplex=True) (a socketpair) or Pipe(duplex=False) (a pipe)"),
          P("size", "size", "2MiB", "1", "1GiB", help="the message"),
          P("settle", "duration", "200ms", "1ms", "10s",
            help="no progress for this long counts as blocked"),
          P("timeout", "duration", "10s", "1ms", "1h", help="deadline for any single wait")],
         run_blocking),
    Case("queue_put",
         "Queue.put with no consumer (latency; does it return at once?), when put blocks with "
         "maxsize, and how long a process with items still buffered takes to exit.",
         [Metric("put_latency", "ns", "lower", "one put of a size-byte bytes object, no consumer"),
          Metric("put_blocks_after", "count", "none",
                 "puts into Queue(maxsize) that returned before one blocked for block_wait"),
          Metric("exit_blocked", "count", "none",
                 "1 if a child with items buffered had not exited exit_wait after its last put"),
          Metric("exit_after_drain_start", "ns", "lower",
                 "when it had not: from a consumer starting to drain to the child's exit"),
          Metric("exit_time", "ns", "lower",
                 "when it had: from the child's last put to its exit"),
          Metric("exit_time_cancel_join_thread", "ns", "lower",
                 "the same child calling cancel_join_thread(): last put to exit")],
         [P("size", "size", "4MiB", "1", "256MiB", help="bytes per item"),
          P("n", "int", "300", "1", "100000",
            help="puts timed with no consumer (hundreds: the tail is the question)"),
          P("maxsize", "int", "4", "1", "10000", help="Queue(maxsize) for the blocking test"),
          P("block_wait", "duration", "200ms", "1ms", "10s",
            help="a put waiting this long counts as blocked"),
          P("items", "int", "4", "1", "10000", help="items the exiting child leaves buffered"),
          P("exit_wait", "duration", "1s", "1ms", "1m",
            help="how long the child is given to exit on its own"),
          TIMEOUT],
         run_queue_put),
    Case("latency",
         "Round trips of a size-byte message to a child that echoes it, through one mechanism; "
         "the distribution of single round trips after a warm-up.",
         [Metric("rtt", "ns", "lower", "one round trip (median; dist holds the rest)")],
         [P("mechanism", "enum", "pipe_duplex", choices=LAT_MECHS,
            help="Pipe kind, Queue, SimpleQueue, JoinableQueue or Manager().Queue()"),
          P("size", "size", "64", "1", "64MiB", help="message bytes"),
          P("n", "int", "2000", "1", "10000000", help="timed round trips"),
          P("warmup", "int", "100", "0", "1000000", help="untimed round trips first"),
          P("pipe_api", "enum", "send_bytes", choices=("send_bytes", "send"),
            help="for Pipes: send_bytes/recv_bytes, or send/recv (pickle)")],
         run_latency),
    Case("manager_ops",
         "Per-operation cost of Manager().dict()/list()/Value() against multiprocessing.Value/"
         "Array with their lock and a shared_memory buffer, and their ratios.",
         [Metric(m, "ns", "lower", "one operation, per-op mean of each batch (median)")
          for m in ("manager_dict_set", "manager_dict_get", "manager_list_set",
                    "manager_list_get", "manager_value_set", "manager_value_get", "mp_value_set",
                    "mp_value_get", "mp_array_set", "mp_array_get", "shm_set", "shm_get")] +
         [Metric(r[0], "ratio", "none", "%s / %s" % (r[1], r[2])) for r in RATIOS],
         [P("n", "int", "4000", "1", "100000000", help="operations timed per kind"),
          P("batches", "int", "20", "1", "10000", help="batches the operations are timed in")],
         run_manager_ops),
    Case("large_data",
         "Handing size bytes to another process by Pipe.send_bytes, Queue.put, a "
         "shared_memory block created once and reused, a fresh shared_memory block per "
         "hand-over, and a temporary file, the mechanisms interleaved; the cost of creating "
         "a block alone; with a sweep of smaller sizes, the size from which shared_memory "
         "wins.",
         [Metric(m, "ns", "lower", "one hand-over (median of repeats): " + LD_WHAT[m])
          for m in LD_MECHS] +
         [Metric("shared_memory_create", "ns", "lower",
                 "creating a block of size and faulting its pages in (median of repeats)"),
          Metric("shared_memory_speedup", "ratio", "higher",
                 "fastest non-shm hand-over / shared_memory_reused (above 1: a reused block "
                 "wins); facts.fresh_speedup for a fresh block per hand-over")],
         [P("size", "size", "64MiB", "1", "1GiB",
            help="bytes handed over (bounded by MemAvailable)"),
          P("sweep_from", "size", "1MiB", "0", "1GiB",
            help="also time sizes from here up to size (0: no sweep)"),
          P("sweep_factor", "int", "4", "2", "1024", help="sweep step factor"),
          P("repeats", "int", "10", "1", "1000",
            help="timed hand-overs per size and mechanism, the mechanisms interleaved"),
          TIMEOUT],
         run_large_data),
    Case("descriptors",
         "How many Pipe() objects a process opens before the error, which error, and the "
         "RLIMIT_NOFILE in force.",
         [Metric("pipes_before_error", "count", "none", "Pipe() calls that succeeded")],
         [P("mechanism", "enum", "pipe_duplex", choices=PIPE_KINDS,
            help="Pipe(duplex=True) or Pipe(duplex=False)"),
          P("soft_limit", "int", "1024", "0", "1048576",
            help="lower the soft RLIMIT_NOFILE to this in the child (0: keep the one in force)"),
          P("max_fds", "int", "65536", "64", "16777216",
            help="refuse to run under a larger limit (each Pipe costs kernel memory)"),
          TIMEOUT],
         run_descriptors),
]


# ---- main ------------------------------------------------------------------------------------

def describe():
    return {"schema": SCHEMA, "probe": PROBE,
            "help": "Python's multiprocessing one layer above the OS: send_bytes limits, "
                    "blocking, Queue behaviour, latency, Manager overhead, large data, "
                    "descriptors",
            "cases": [c.describe() for c in CASES]}


def parse_args(argv):
    """(case, canonical params) from argv, or ('--list', None); UsageError otherwise."""
    case_name, kv = None, []
    i = 0
    while i < len(argv):
        a = argv[i]
        if a == "--list":
            return "--list", None
        if i + 1 >= len(argv):
            raise UsageError("%s needs a value or is unknown" % a)
        if a == "--case":
            case_name = argv[i + 1]
        elif a == "--transport":
            raise UsageError("the python probe's cases take no transport (got --transport %s)"
                             % argv[i + 1])
        elif a == "--param":
            kv.append(argv[i + 1])
        else:
            raise UsageError("unknown argument %s" % a)
        i += 2
    if case_name is None:
        raise UsageError("--case or --list is required")
    case = next((c for c in CASES if c.name == case_name), None)
    if case is None:
        near = closest_name(case_name, [c.name for c in CASES])
        raise UsageError("no case named %s%s" % (case_name,
                                                 "; did you mean %s?" % near if near else ""))
    values = {}
    for p in case.params:
        try:
            values[p.name] = p.parse(p.default)
        except ValueError as e:
            raise UsageError("default of %s is invalid (a bug): %s" % (p.name, e))
    by_name = {p.name: p for p in case.params}
    for item in kv:
        key, eq, text = item.partition("=")
        if not eq:
            raise UsageError("--param %s: expected KEY=VALUE" % item)
        if key not in by_name:
            raise UsageError("case %s has no parameter %s" % (case.name, key))
        try:
            values[key] = by_name[key].parse(text)
        except ValueError as e:
            raise UsageError("--param %s: %s" % (key, e))
    return case, values


def main(argv):
    try:
        case, values = parse_args(argv)
    except UsageError as e:
        sys.stderr.write("%s: %s\nusage: %s --list\n       %s --case NAME [--param KEY=VALUE]...\n"
                         % (PROBE, e, PROBE, PROBE))
        return EXIT_USAGE
    if case == "--list":
        json.dump(describe(), sys.stdout, indent=1)
        sys.stdout.write("\n")
        return EXIT_OK
    for s in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP):
        signal.signal(s, _on_signal)
    _mp_init()
    ctx = Ctx(case, values)
    try:
        rc = case.run(ctx)
    except Unsupported as e:
        log("%s: unsupported: %s" % (case.name, e))
        ctx.record(case.metrics[0].name, status="unsupported", reason=str(e))
        rc = EXIT_UNSUPPORTED
    except Exception as e:
        import traceback
        traceback.print_exc()
        reason = "%s: %s" % (type(e).__name__, e)
        log("%s: failed: %s" % (case.name, reason))
        ctx.record(case.metrics[0].name, status="failed", reason=reason)
        rc = EXIT_FAILED
    finally:
        cleanup_run()
    return rc


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
