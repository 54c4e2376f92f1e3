"""large_data - handing size bytes to another process by Pipe.send_bytes, Queue.put,
shared_memory (a block reused, or a fresh one per hand-over) and a temporary file, the
mechanisms interleaved; the cost of creating a block; the size from which shared_memory wins."""

import os
import time

from .. import children
from ..children import reap_child, recv_within, start_child
from ..cleanup import cleanup_add, cleanup_remove, ipc_path
from ..contract import EXIT_OK, Case, Metric, Unsupported
from ..measure import check_payload, close_queue, mem_available, payload
from ..params import TIMEOUT, fmt_size
from ..params import Param as P
from ..records import dist
from ..shm import SHM_MISSING, attach_shm, free_shm, new_shm, shm_tracker_start


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
        self.ctl, c_ctl = children.MP.Pipe(duplex=True)
        self.tx = self.q = self.shm = None
        c_data = None
        if kind == "pipe_send_bytes":
            self.tx, c_data = children.MP.Pipe(duplex=True)
        elif kind == "queue_put":
            self.q = c_data = children.MP.Queue()
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
                          timed_intervals=repeats,  # a ratio of medians of repeats spans
                          fastest=min(lm, key=lm.get),
                          fresh_speedup=others[best] / lm["shared_memory_fresh"]))
    return EXIT_OK


CASE = Case("large_data",
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
            run_large_data)
