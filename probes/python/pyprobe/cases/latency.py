"""latency - round trips of a message to a child that echoes it, through one mechanism
(a Pipe kind, a Queue kind or a Manager queue), the two processes placed as the C latency
probe places its own; the distribution after a warm-up."""

import time

from .. import children
from ..children import reap_child, start_child, start_manager, stop_manager
from ..contract import EXIT_OK, Case, Metric, Unsupported
from ..measure import payload, timer_overhead_ns
from ..params import Param as P
from ..placement import PLACEMENTS, Pinned, choose
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


class _Channel:
    """The parent's ends of one mechanism: send, recv, the child's ends, what to close."""

    def __init__(self, send, recv, ends, closers):
        self.send, self.recv, self.ends, self.closers = send, recv, ends, closers


def _pipe_channel(kind, api, facts):
    facts["api"] = api + ("/recv_bytes" if api == "send_bytes" else "/recv (pickle)")
    # Parent sends on p_tx, child receives on c_rx and replies on c_tx to p_rx.
    if kind == "pipe_duplex":
        p_end, c_end = children.MP.Pipe(duplex=True)
        p_tx = p_rx = p_end
        c_rx = c_tx = c_end
    else:
        c_rx, p_tx = children.MP.Pipe(duplex=False)
        p_rx, c_tx = children.MP.Pipe(duplex=False)
    return _Channel(p_tx.send_bytes if api == "send_bytes" else p_tx.send,
                    p_rx.recv_bytes if api == "send_bytes" else p_rx.recv,
                    (c_rx, c_tx), [p_tx.close, p_rx.close])


def _queue_channel(kind, manager, facts):
    facts["api"] = "put/get of a bytes object (pickled)"
    try:
        if kind == "manager_queue":
            qa, qb = manager.Queue(), manager.Queue()
        else:
            make = {"queue": children.MP.Queue, "simple_queue": children.MP.SimpleQueue,
                    "joinable_queue": children.MP.JoinableQueue}[kind]
            qa, qb = make(), make()
    except (ImportError, OSError) as e:
        raise Unsupported("%s cannot be created here: %s: %s" % (kind, type(e).__name__, e))
    recv = qb.get
    if kind == "joinable_queue":
        def recv():
            m = qb.get()
            qb.task_done()
            return m
    return _Channel(qa.put, recv, (qa, qb), [getattr(qa, "close", lambda: None),
                                            getattr(qb, "close", lambda: None)])


def _time_round_trips(ch, size, n, warm):
    """n round trips of a size-byte message after warm untimed ones: ns each."""
    msg = bytes(payload(size))
    samples = []
    for i in range(n + warm):
        t0 = time.perf_counter_ns()
        ch.send(msg)
        got = ch.recv()
        t1 = time.perf_counter_ns()
        if i >= warm:
            samples.append(t1 - t0)
    if len(got) != size:
        raise RuntimeError("the echo came back with %d bytes, sent %d" % (len(got), size))
    return samples


def _start_manager(kind, cpu):
    if kind != "manager_queue":
        return None
    try:
        return start_manager(cpu=cpu)
    except (ImportError, OSError) as e:
        raise Unsupported("%s cannot be created here: %s: %s" % (kind, type(e).__name__, e))


def run_latency(ctx):
    kind, size, n, warm = ctx.p["mechanism"], ctx.p["size"], ctx.p["n"], ctx.p["warmup"]
    here, there = choose(ctx.p["placement"])
    facts = {"mechanism": kind, "message_bytes": size, "warmup": warm,
             "timer": "time.perf_counter_ns", "peer": "a child process echoing each message",
             "cpus": {"parent": here, "child": there}}
    with Pinned(here):
        manager = _start_manager(kind, here)  # on the parent's CPU, where it is pinned
        if manager:
            facts["cpus"]["manager"] = here
        ch = (_pipe_channel(kind, ctx.p["pipe_api"], facts) if kind.startswith("pipe")
              else _queue_channel(kind, manager, facts))
        child = start_child(_echo, kind, ctx.p["pipe_api"], n + warm, *ch.ends, cpu=there)
        if kind.startswith("pipe"):
            for c in set(ch.ends):
                c.close()
        try:
            samples = _time_round_trips(ch, size, n, warm)
        finally:
            reap_child(child, 5)
            for c in ch.closers:
                c()
            if kind in ("queue", "joinable_queue"):
                for q in ch.ends:
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
               help="for Pipes: send_bytes/recv_bytes, or send/recv (pickle)"),
             P("placement", "enum", "unpinned", choices=PLACEMENTS,
               help="the two processes on one CPU, on two, or wherever the scheduler puts "
                    "them (as the C latency probe's placement)")],
            run_latency)
