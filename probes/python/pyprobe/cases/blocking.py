"""blocking - a Pipe with nobody reading: the largest payload send_bytes still delivers
(found by trying, non-blocking), the bytes queued when a larger send stalls (FIONREAD), and
the time until that send returns once a reader starts."""

import os
import threading
import time

from .. import children
from ..children import reap_child, recv_within, start_child
from ..contract import EXIT_FAILED, EXIT_OK, Case, Metric, Unsupported
from ..measure import PIPE_KINDS, exc_info, fionread, open_pipe, payload, pipe_size, termios
from ..params import fmt_size
from ..params import Param as P


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
    go_r, go_w = children.MP.Pipe(duplex=False)
    res_r, res_w = children.MP.Pipe(duplex=False)
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
            ctx.record("send_returns_after_reader", sent["t"] - t0,
                       facts=dict(facts, timed_intervals=1))  # one span
        rc = EXIT_OK
    for c in (tx, rx, go_w, res_r):
        c.close()
    reap_child(reader, 2)
    return rc


CASE = Case("blocking",
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
            run_blocking)
