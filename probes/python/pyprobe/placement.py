"""placement - where a case's two processes run, chosen as probes/lib/affinity.c chooses for
the C probes, so that a Python figure and the C figure under it are placed alike: same_core
(both on the first CPU this process may use), cross_core (that one and another that is not its
SMT sibling, else a sibling), unpinned (wherever the scheduler puts them).  A child pins itself
first thing, so that spawn and forkserver children are placed too."""

import os

from .contract import Unsupported

PLACEMENTS = ("same_core", "cross_core", "unpinned")
_SIBLINGS = "/sys/devices/system/cpu/cpu%d/topology/thread_siblings_list"


def _cpu_list(text):
    """The CPUs of a sysfs list such as "0-3,8"."""
    out = set()
    for part in text.strip().split(","):
        if part:
            a, _, b = part.partition("-")
            out.update(range(int(a), int(b or a) + 1))
    return out


def _siblings(cpu):
    try:
        with open(_SIBLINGS % cpu) as f:
            return _cpu_list(f.read())
    except (OSError, ValueError):
        return set()


def choose(placement):
    """(the parent's CPU, the child's CPU), or (None, None) for unpinned; Unsupported with
    the reason where the placement cannot be had here."""
    if placement == "unpinned":
        return None, None
    if not hasattr(os, "sched_setaffinity"):
        raise Unsupported("%s needs sched_setaffinity(), which this platform lacks; use "
                          "placement unpinned" % placement)
    allowed = sorted(os.sched_getaffinity(0))
    first = allowed[0]
    if placement == "same_core":
        return first, first
    sib = _siblings(first)
    others = [c for c in allowed[1:] if c not in sib] or allowed[1:]
    if not others:
        raise Unsupported("cross_core needs two CPUs, and this process may run on only CPU %d "
                          "(its affinity mask or the machine)" % first)
    return first, others[0]


def pin_self(cpu):
    """Run this process (its calling thread and the threads it starts) on cpu alone; None: as
    it is."""
    if cpu is not None:
        os.sched_setaffinity(0, {cpu})


class Pinned:
    """The parent pinned to cpu for a with-block, its own mask given back after."""

    def __init__(self, cpu):
        self.cpu, self.saved = cpu, None

    def __enter__(self):
        if self.cpu is not None:
            self.saved = os.sched_getaffinity(0)
            pin_self(self.cpu)
        return self

    def __exit__(self, *exc):
        if self.saved is not None:
            os.sched_setaffinity(0, self.saved)
        return False
