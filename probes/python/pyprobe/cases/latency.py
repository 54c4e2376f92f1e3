"""latency - round trips of a message to a child that echoes it, through one mechanism
(a Pipe kind, a Queue kind or a Manager queue); the distribution after a warm-up."""

import time

from .. import children
from ..children import reap_child, start_child, start_manager, stop_manager
from ..contract import EXIT_OK, Case, Metric, Unsupported
from ..measure import payload, timer_overhead_ns
from ..params import Param as P
from ..records import dist


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
            p_end, c_end = children.MP.Pipe(duplex=True)
            p_tx = p_rx = p_end
            c_rx = c_tx = c_end
        else:
            c_rx, p_tx = children.MP.Pipe(duplex=False)
            p_rx, c_tx = children.MP.Pipe(duplex=False)
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
                make = {"queue": children.MP.Queue, "simple_queue": children.MP.SimpleQueue,
                        "joinable_queue": children.MP.JoinableQueue}[kind]
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


CASE = Case("latency",
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
            run_latency)
