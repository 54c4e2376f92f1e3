"""measure - what several cases share: a checkable payload, Pipe ends by kind, what a
descriptor holds (FIONREAD, F_GETPIPE_SZ), MemAvailable, the timer's own cost, an exception as
facts, and draining and closing a Queue."""

import array
import errno
import itertools
import os
import select
import sys
import time

from . import children

try:
    import fcntl
    import termios
except ImportError:  # not POSIX: the cases that need them say so
    fcntl = termios = None

PIPE_KINDS = ("pipe_duplex", "pipe_simplex")


def open_pipe(kind):
    """(sender, receiver) Connections of Pipe(duplex=True) or Pipe(duplex=False)."""
    if kind == "pipe_duplex":
        a, b = children.MP.Pipe(duplex=True)
        return a, b
    r, w = children.MP.Pipe(duplex=False)
    return w, r


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
    for i in _sampled(n):
        if data[i] != i % 256:
            return "byte %d is %d, expected %d" % (i, data[i], i % 256)
    return None


def _sampled(n):
    """The indexes check_payload reads."""
    step = max(1, n // 128)
    return itertools.chain(range(0, n, step), range(max(0, n - 64), n))


def spoil_payload(buf, n):
    """Make every byte check_payload reads in a writable buffer wrong, so that a buffer
    received into again passes only if the bytes really came again."""
    for i in _sampled(n):
        buf[i] = (i % 256) ^ 0xFF


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


def timer_overhead_ns():
    """What one perf_counter_ns() call costs: the median difference between two back-to-back
    calls, of 1001 (as probes/lib/timing.c measures its clock; the smallest would be the
    luckiest read, not its cost)."""
    d = []
    for _ in range(1001):
        a = time.perf_counter_ns()
        b = time.perf_counter_ns()
        d.append(b - a)
    d.sort()
    return d[len(d) // 2]


def exc_info(e):
    """An exception as facts: its type (qualified outside builtins), message, errno."""
    t = type(e)
    name = t.__name__ if t.__module__ == "builtins" else "%s.%s" % (t.__module__, t.__name__)
    d = {"exception": name, "message": str(e)}
    if isinstance(e, OSError) and e.errno is not None:
        d["errno"] = e.errno
        d["errno_name"] = errno.errorcode.get(e.errno)
    return d


def drain(q, count, timeout_s):
    for _ in range(count):
        q.get(timeout=timeout_s)


def close_queue(q):
    q.close()
    q.join_thread()
