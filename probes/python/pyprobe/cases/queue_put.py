"""queue_put - Queue.put with no consumer (its whole distribution), when put blocks under
maxsize, and how long a process with items still buffered takes to exit."""

import queue
import time

from .. import children
from ..children import reap_child, start_child
from ..contract import EXIT_OK, Case, Metric, Unsupported
from ..measure import close_queue, drain, exc_info, timer_overhead_ns
from ..params import TIMEOUT
from ..params import Param as P
from ..records import dist


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
    q = children.MP.Queue()
    mark_r, mark_w = children.MP.Pipe(duplex=False)
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
        children.MP.Queue().close()
    except (ImportError, OSError) as e:
        raise Unsupported("multiprocessing.Queue cannot be created here: %s: %s"
                          % (type(e).__name__, e))
    # Forks first: Python 3.12+ warns about forking while the feeder threads below run.
    blocked, ns = queue_exit(ctx, cancel=False)
    efacts = dict(base, items=ctx.p["items"], buffered_bytes=ctx.p["items"] * size,
                  exit_wait_ns=ctx.p["exit_wait"])
    cblocked, cns = queue_exit(ctx, cancel=True)

    # put() with no consumer.
    q = children.MP.Queue()
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
    q = children.MP.Queue(maxsize)
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
    once = dict(efacts, timed_intervals=1)  # one span each: no interval within the run
    if blocked:
        ctx.record("exit_after_drain_start", ns, facts=once)
    else:
        ctx.record("exit_time", ns, facts=once)
    ctx.record("exit_time_cancel_join_thread", cns,
               facts=dict(once, blocked=cblocked, data_lost="items still in the buffer"))
    return EXIT_OK


CASE = Case("queue_put",
            "Queue.put with no consumer (latency; does it return at once?), when put blocks with "
            "maxsize, and how long a process with items still buffered takes to exit.",
            [Metric("put_latency", "ns", "lower",
                    "one put of a size-byte bytes object, no consumer"),
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
            run_queue_put)
