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


def _consume(q, items, timeout_s, done):
    for _ in range(items):
        q.get(timeout=timeout_s)
    done.send_bytes(b"d")


def timed_puts(q, data, n, wait_s):
    """n puts of data into q, each timed; a put that raises queue.Full after waiting wait_s
    (an unbounded Queue only does that if put itself blocks) is counted, not retried."""
    lat, blocked = [], 0
    for _ in range(n):
        t0 = time.perf_counter_ns()
        try:
            q.put(data, timeout=wait_s)
        except queue.Full:
            blocked += 1
        lat.append(time.perf_counter_ns() - t0)
    return lat, blocked


def put_facts(base, lat, wait_ns, consumer):
    n = len(lat)
    slow = sorted(range(n), key=lambda i: lat[i], reverse=True)[:5]
    buffered = None if consumer else n * base["message_bytes"]
    return dict(base, puts=n, first_put_ns=lat[0], consumer=consumer, buffered_bytes=buffered,
                timer="time.perf_counter_ns", timer_overhead_ns=timer_overhead_ns(),
                puts_over_1ms=sum(1 for x in lat if x > 10 ** 6),
                puts_over_block_wait=sum(1 for x in lat if x >= wait_ns),
                slowest_puts=[{"index": i, "ns": lat[i]} for i in slow])


def puts_with_consumer(ctx, data):
    """The same puts while a child process takes every item as it comes: (latencies,
    blocked).  Forked before any feeder thread of this process runs."""
    n, timeout_s, wait_s = ctx.p["n"], ctx.p["timeout"] / 1e9, ctx.p["block_wait"] / 1e9
    q = children.MP.Queue()
    done_r, done_w = children.MP.Pipe(duplex=False)
    child = start_child(_consume, q, n, timeout_s, done_w)
    done_w.close()
    lat, blocked = timed_puts(q, data, n, wait_s)
    if not done_r.poll(timeout_s):
        raise RuntimeError("the consumer did not take the %d items within %.1f s"
                           % (n, timeout_s))
    done_r.recv_bytes()
    reap_child(child, 2)
    done_r.close()
    close_queue(q)
    return lat, blocked


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
    data = bytes(size)
    wait_ns = ctx.p["block_wait"]
    # The same puts with a consumer, so that a reader sees whether the slow put is about the
    # consumer (it is not: the main thread waits for the GIL while the feeder thread
    # pickles).  It forks, so it comes before any feeder thread of ours starts.
    clat, cblock = puts_with_consumer(ctx, data)

    # put() with no consumer: does every put return?
    q = children.MP.Queue()
    lat, nblocked = timed_puts(q, data, n, wait_ns / 1e9)
    facts = put_facts(base, lat, wait_ns, False)
    d = dist(lat)
    ctx.record("put_latency", d["p50"], dist_=d, facts=facts)
    ctx.record("puts_blocked", nblocked,
               facts=dict(base, puts=n, consumer=False, block_wait_ns=wait_ns,
                          how="put(timeout=block_wait) into an unbounded Queue with nobody "
                              "consuming; a put raising queue.Full is one that blocked"))
    ctx.record("longest_put", max(lat), facts=dict(facts, timed_intervals=n))
    cd = dist(clat)
    cfacts = put_facts(base, clat, wait_ns, True)
    ctx.record("put_latency_consumer", cd["p50"], dist_=cd, facts=cfacts)
    ctx.record("longest_put_consumer", max(clat), facts=dict(cfacts, timed_intervals=n,
                                                             puts_blocked=cblock))
    drain(q, n - nblocked, timeout_s)
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
             Metric("puts_blocked", "count", "none",
                    "puts (of n, no consumer) that waited block_wait and raised queue.Full"),
             Metric("longest_put", "ns", "lower",
                    "the longest of the n puts with no consumer (with large items: the main "
                    "thread waiting for the GIL while the feeder thread pickles)"),
             Metric("put_latency_consumer", "ns", "lower",
                    "one put while a child process takes every item as it comes"),
             Metric("longest_put_consumer", "ns", "lower",
                    "the longest of the n puts with that consumer"),
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
