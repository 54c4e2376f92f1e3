"""large_data - handing size bytes to another process by Pipe.send_bytes, Queue.put,
shared_memory (a block reused, or a fresh one per hand-over; read in place or copied out) and a
temporary file, the mechanisms interleaved, every receiver copying into memory it allocated
before timing; the control round trip alone; minor faults per hand-over; the cost of creating a
block; the size from which shared_memory wins."""

import os
import time

try:
    import resource
except ImportError:  # no getrusage: the faults are not counted (None)
    resource = None

from .. import children
from ..children import reap_child, recv_within, start_child
from ..cleanup import cleanup_add, cleanup_remove, ipc_path
from ..contract import EXIT_OK, Case, Metric, Unsupported
from ..measure import check_payload, close_queue, mem_available, payload, spoil_payload
from ..params import TIMEOUT, fmt_size
from ..params import Param as P
from ..records import dist
from ..shm import SHM_MISSING, attach_shm, free_shm, new_shm, shm_tracker_start


LD_MECHS = ("pipe_send_bytes", "queue_put", "shared_memory_reused",
            "shared_memory_reused_in_place", "shared_memory_fresh",
            "shared_memory_fresh_in_place", "temp_file")
# The token and its acknowledgement alone, over the control Pipe every mechanism uses: the
# part of a shared_memory hand-over that is not the copy.  Timed beside the mechanisms, never
# compared with them.
CONTROL = "control_round_trip"
PAGE = 4096


def minor_faults():
    """This process's minor page faults so far (all its threads), or None without getrusage."""
    if resource is None:
        return None
    return resource.getrusage(resource.RUSAGE_SELF).ru_minflt


def _faults_since(f0):
    return None if f0 is None else minor_faults() - f0


def _readinto_full(f, mv):
    """Read a file into mv until it is full or the file ends; the bytes read."""
    k = 0
    while k < len(mv):
        got = f.readinto(mv[k:])
        if not got:
            break
        k += got
    return k


def _ld_take(kind, ctl, data_end, n, mv, reused):
    """Receive one hand-over of n bytes by kind, into mv (a buffer allocated once) or, for
    the in-place kinds, in the block itself (a _Held): (where the bytes are now, or None and
    the reason they are not).  Every receiver holds its own copy in memory allocated before timing, so that no
    mechanism carries the cost of faulting in a fresh allocation that is not its own."""
    if kind == CONTROL:
        ctl.recv()
        return None, None
    if kind == "pipe_send_bytes":
        got = data_end.recv_bytes_into(mv)
        return (mv, None) if got == n else (None, "received %d bytes of %d" % (got, n))
    if kind == "queue_put":
        return data_end.get(), None  # a new object: unpickling allocates it, always
    if kind == "temp_file":
        with open(ctl.recv(), "rb", buffering=0) as f:
            got = _readinto_full(f, mv)
        return (mv, None) if got == n else (None, "read %d bytes of %d" % (got, n))
    msg = ctl.recv()
    fresh = attach_shm(msg) if reused is None else None
    view = (reused or fresh).buf[:n]
    if kind.endswith("_in_place"):
        view[::PAGE].tobytes()  # one byte per page read where it lies: every page mapped in
        return _Held(view, fresh), None
    mv[:] = view
    view.release()
    if fresh is not None:
        fresh.close()
    return mv, None


class _Held:
    """Bytes received in place: the view of them, and the fresh block to close after (None
    for the reused one)."""

    def __init__(self, view, block):
        self.view, self.block = view, block

    def release(self):
        self.view.release()
        if self.block is not None:
            self.block.close()


def _ld_receiver(kind, rounds, n, ctl, data_end):
    """Receive rounds hand-overs of n bytes by kind.  Each is acknowledged as soon as the bytes
    are held (the sender's clock stops there); then, untimed, the receiver checks them, spoils
    the bytes it checked (so that the next round must really deliver them again) and sends
    (None or what was bad, its minor page faults while receiving).  A shared_memory_reused
    block is attached and its pages read once, before any round."""
    mv = memoryview(payload(n))  # the receiver's buffer: allocated once, every page written
    reused = None
    if kind.startswith("shared_memory_reused"):
        reused = attach_shm(ctl.recv())
        reused.buf[:n:PAGE].tobytes()  # fault every page of the mapping in, untimed
        ctl.send(None)
    for _ in range(rounds):
        f0 = minor_faults()
        held, bad = _ld_take(kind, ctl, data_end, n, mv, reused)
        faults = _faults_since(f0)
        ctl.send(None)
        if held is not None:
            bad = check_payload(held.view if isinstance(held, _Held) else held, n)
            spoil_payload(mv, n)
            if reused is not None:
                spoil_payload(reused.buf, n)
            if isinstance(held, _Held):
                held.release()
        del held
        ctl.send((bad, faults))
    mv.release()
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
        if kind.startswith("shared_memory_reused"):
            # Created once, every page written by the sender and read by the receiver before
            # the first timed round: the way a reused block is used.
            self.shm = new_shm(n)
            self.shm.buf[:n] = bytes(n)
            self.ctl.send(self.shm.name)
            recv_within(self.ctl, timeout_s, "the receiver attaching the block")

    def _send(self, data):
        """The sender's side of one hand-over; what to free once it is over."""
        kind, n = self.kind, self.n
        if kind == CONTROL:
            self.ctl.send(None)
        elif kind == "pipe_send_bytes":
            self.tx.send_bytes(data)
        elif kind == "queue_put":
            self.q.put(data)
        elif kind.startswith("shared_memory_reused"):
            self.shm.buf[:n] = data
            self.ctl.send(None)
        elif kind.startswith("shared_memory"):
            shm = new_shm(n)
            shm.buf[:n] = data
            self.ctl.send(shm.name)
            return lambda: free_shm(shm)
        else:
            path = ipc_path(".dat")
            handle = cleanup_add("file " + path, lambda p=path: os.unlink(p))
            with open(path, "wb") as f:
                f.write(data)
            self.ctl.send(path)
            return lambda: cleanup_remove(handle)
        return None

    def once(self, data):
        """One hand-over: (ns from the sender holding the bytes to the receiver holding them,
        the sender's minor faults in that time, the receiver's)."""
        f0 = minor_faults()
        t0 = time.monotonic_ns()
        free = self._send(data)
        recv_within(self.ctl, self.timeout_s, "acknowledgement from the receiver")
        t1 = time.monotonic_ns()
        faults = _faults_since(f0)
        if free is not None:
            free()
        bad, rx_faults = recv_within(self.ctl, self.timeout_s, "the receiver's check")
        if bad:
            raise RuntimeError("%s: the receiver got bad data: %s" % (self.kind, bad))
        return t1 - t0, faults, rx_faults

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
    """For each mechanism, (ns per hand-over of data, sender faults, receiver faults), each a
    list over rounds: one untimed round, then repeats rounds, each round visiting every
    mechanism, starting one further along each time."""
    hs = []
    try:
        for m in mechs:
            hs.append(Handover(m, len(data), repeats + 1, timeout_s))
        out = {m: ([], [], []) for m in mechs}
        for r in range(repeats + 1):
            k = r % len(hs)
            for h in hs[k:] + hs[:k]:
                got = h.once(data)
                if r:
                    for lst, v in zip(out[h.kind], got):
                        lst.append(v)
        return out
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


def _compared(mech):
    """Is mech one of the non-shm mechanisms shared_memory is set against?"""
    return not mech.startswith("shared_memory") and mech != CONTROL


def wins_from(sweep, med, shm):
    """The smallest swept size from which shm is at least as fast as every non-shm mechanism
    at that size and all larger ones; None if it never is (or shm was not measured)."""
    if shm not in med[0]:
        return None
    found = None
    for row, m in reversed(list(zip(sweep, med))):
        if m[shm] > min(v for k, v in m.items() if _compared(k)):
            break
        found = row["size"]
    return found


_COPY_OUT = "; the receiver copies the bytes out into a buffer it allocated once"
LD_WHAT = {
    "pipe_send_bytes": "Pipe().send_bytes; the receiver takes them with recv_bytes_into into "
                       "a buffer it allocated once (multiprocessing still reads through "
                       "allocations of its own: see receiver_minor_faults)",
    "queue_put": "Queue.put (pickled); the receiver holds the object from get(), a new one "
                 "each time (unpickling allocates it)",
    "shared_memory_reused": "one block created before timing, every page already faulted in "
                            "on both sides; copy in, send a token" + _COPY_OUT,
    "shared_memory_reused_in_place": "as shared_memory_reused, but the receiver reads one "
                                     "byte per page where the bytes lie instead of copying "
                                     "them out: the use shared memory is made for",
    "shared_memory_fresh": "create a block (shm_open, ftruncate, mmap, resource-tracker "
                           "registration), copy in (faulting fresh pages), send its name; the "
                           "receiver attaches (faulting its mapping)" + _COPY_OUT[1:] +
                           "; unlink not timed",
    "shared_memory_fresh_in_place": "as shared_memory_fresh, but the receiver reads one byte "
                                    "per page in place instead of copying out",
    "temp_file": "write a file in TMPDIR (no fsync), send its path; the receiver reads it "
                 "whole with readinto into a buffer it allocated once; unlink not timed",
    CONTROL: "the token and its acknowledgement alone over the control Pipe (pickled, about "
             "20 bytes each way): what each shared_memory hand-over spends beside its copies"}


def _ld_sizes(size, sweep_from, factor):
    sizes = []
    if sweep_from and sweep_from < size:
        s = sweep_from
        while s < size:
            sizes.append(s)
            s *= factor
    return sizes + [size]


def _p50(xs):
    xs = sorted(x for x in xs if x is not None)
    return xs[(len(xs) - 1) // 2] if xs else None


def _faults_facts(row):
    """Minor page faults in one hand-over (medians over the rounds), each side."""
    return {"sender_minor_faults": _p50(row[1]), "receiver_minor_faults": _p50(row[2]),
            "minor_faults_how": "getrusage(RUSAGE_SELF).ru_minflt around the timed part, "
                                "all of the process's threads; median over the rounds"}


def _measure(ctx, mechs, timeout_s):
    """The sweep: for each size, {"size": s, mech: (times, sender faults, receiver faults)}."""
    size, repeats = ctx.p["size"], ctx.p["repeats"]
    data_all = bytes(payload(size))
    sweep = []
    for s in _ld_sizes(size, ctx.p["sweep_from"], ctx.p["sweep_factor"]):
        data = data_all[:s] if s < size else data_all  # bytes: Queue.put pickles it
        sweep.append(dict(size=s, **handover_interleaved(mechs, data, repeats, timeout_s)))
        del data
    return sweep


def run_large_data(ctx):
    size, repeats = ctx.p["size"], ctx.p["repeats"]
    timeout_s = ctx.p["timeout"] / 1e9
    avail = mem_available()
    mechs = [m for m in LD_MECHS if not (SHM_MISSING and m.startswith("shared_memory"))]
    # The sender's bytes and a slice of them, the pickle buffer, a buffer per receiver, two
    # shm blocks, the page cache of the file.
    need = (len(mechs) + 6) * size
    if avail is not None and need > avail:
        raise Unsupported("handing %s over needs about %s and MemAvailable is %s; lower size"
                          % (fmt_size(size), fmt_size(need), fmt_size(avail)))
    if not SHM_MISSING:
        shm_tracker_start()
    sweep = _measure(ctx, mechs + [CONTROL], timeout_s)
    med = [{m: dist(row[m][0])["p50"] for m in mechs} for row in sweep]
    last, lm = sweep[-1], med[-1]
    common = {"message_bytes": size, "repeats": repeats, "mem_available": avail,
              "order": "mechanisms interleaved: each round visits every mechanism, starting "
                       "one further along each round; one untimed round first",
              "includes": "from the sender holding the bytes to the receiver holding them "
                          "(its acknowledgement); the receiver checks them after, untimed",
              "sweep": [dict(size=row["size"], **m) for row, m in zip(sweep, med)]}
    for m in LD_MECHS:
        if m.startswith("shared_memory"):
            common[m + "_wins_from"] = wins_from(sweep, med, m)
    for m in mechs + [CONTROL]:
        d = dist(last[m][0])
        ctx.record(m, d["p50"], dist_=d,
                   facts=dict(common, how=LD_WHAT[m], bytes_per_s=size / d["p50"] * 1e9,
                              **_faults_facts(last[m])))
    if SHM_MISSING:
        for m in ("shared_memory_create", "shared_memory_speedup"):
            ctx.record(m, status="unsupported", reason=SHM_MISSING, facts=common)
        return EXIT_OK
    d = dist(shm_create_cost(size, repeats))
    ctx.record("shared_memory_create", d["p50"], dist_=d,
               facts={"message_bytes": size, "repeats": repeats,
                      "how": "SharedMemory(create=True) and one byte written per page, in the "
                             "sender alone; unlink not timed"})
    others = {k: v for k, v in lm.items() if _compared(k)}
    best = min(others, key=others.get)
    judged = "shared_memory_reused_in_place"
    ctx.record("shared_memory_speedup", others[best] / lm[judged],
               facts=dict(common, judged_on=judged, fastest_other=best,
                          timed_intervals=repeats,  # a ratio of medians of repeats spans
                          fastest=min(lm, key=lm.get),
                          copied_out_speedup=others[best] / lm["shared_memory_reused"],
                          fresh_speedup=others[best] / lm["shared_memory_fresh"]))
    return EXIT_OK


CASE = Case("large_data",
            "Handing size bytes to another process by Pipe.send_bytes, Queue.put, a "
            "shared_memory block created once and reused (read in place, or copied out), a "
            "fresh shared_memory block per hand-over, and a temporary file, the mechanisms "
            "interleaved, every receiver copying into a buffer it allocated once; the control "
            "round trip alone; the minor page faults per hand-over; the cost of creating a "
            "block alone; with a sweep of smaller sizes, the size from which shared_memory "
            "wins.",
            [Metric(m, "ns", "lower", "one hand-over (median of repeats): " + LD_WHAT[m])
             for m in LD_MECHS + (CONTROL,)] +
            [Metric("shared_memory_create", "ns", "lower",
                    "creating a block of size and faulting its pages in (median of repeats)"),
             Metric("shared_memory_speedup", "ratio", "higher",
                    "fastest non-shm hand-over / shared_memory_reused_in_place (above 1: a "
                    "reused block wins); facts.copied_out_speedup for the block copied out, "
                    "facts.fresh_speedup for a fresh block per hand-over")],
            [P("size", "size", "64MiB", "1", "1GiB",
               help="bytes handed over (bounded by MemAvailable)"),
             P("sweep_from", "size", "1MiB", "0", "1GiB",
               help="also time sizes from here up to size (0: no sweep)"),
             P("sweep_factor", "int", "4", "2", "1024", help="sweep step factor"),
             P("repeats", "int", "10", "1", "1000",
               help="timed hand-overs per size and mechanism, the mechanisms interleaved"),
             TIMEOUT],
            run_large_data)
