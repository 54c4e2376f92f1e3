"""send_bytes_limit - the largest message Pipe.send_bytes/recv_bytes carries whole, what the
first failing size raises, recv_bytes(maxlength) with a longer message, and the framing bytes
on the wire per message."""

import time

from .. import children
from ..children import reap_child, recv_within, start_child
from ..contract import EXIT_OK, Case, Metric, Unsupported
from ..measure import (PIPE_KINDS, check_payload, exc_info, mem_available, open_pipe, payload,
                       read_available)
from ..params import TIMEOUT, fmt_size
from ..params import Param as P


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
    res_r, res_w = children.MP.Pipe(duplex=False)
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


CASE = Case("send_bytes_limit",
            "The largest message Pipe.send_bytes/recv_bytes carries whole (sizes doubling from "
            "start to a memory-bounded cap), the exception at the first failing size, "
            "recv_bytes(maxlength) with a longer message, and the framing bytes per message.",
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
            run_send_bytes_limit)
