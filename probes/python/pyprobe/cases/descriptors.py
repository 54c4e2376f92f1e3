"""descriptors - how many Pipe() objects a process opens before the error, which error,
and the RLIMIT_NOFILE in force (lowered in the child that opens them)."""

import os

from .. import children
from ..children import reap_child, recv_within, start_child
from ..contract import EXIT_FAILED, EXIT_OK, Case, Metric, Unsupported
from ..measure import PIPE_KINDS, exc_info
from ..params import TIMEOUT
from ..params import Param as P


def _count_fds():
    for d in ("/proc/self/fd", "/dev/fd"):
        try:
            return len(os.listdir(d)) - 1  # the directory's own descriptor
        except OSError:
            continue
    return None


def _open_pipes(kind, soft, result):
    import resource
    before = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft:
        resource.setrlimit(resource.RLIMIT_NOFILE, (soft, before[1]))
    limit = resource.getrlimit(resource.RLIMIT_NOFILE)
    fds_at_start = _count_fds()
    pipes, err = [], None
    try:
        while True:
            pipes.append(children.MP.Pipe(duplex=(kind == "pipe_duplex")))
    except Exception as e:
        err = exc_info(e)
    count = len(pipes)
    fds_at_error = None
    if pipes:  # listing the fds needs one: close the last Pipe first and count it back in
        a, b = pipes.pop()
        a.close()
        b.close()
        n = _count_fds()
        fds_at_error = n + 2 if n is not None else None
    for a, b in pipes:
        a.close()
        b.close()
    result.send({"count": count, "error": err, "soft": limit[0], "hard": limit[1],
                 "soft_before": before[0], "fds_at_start": fds_at_start,
                 "fds_at_error": fds_at_error})


def run_descriptors(ctx):
    try:
        import resource
    except ImportError:
        raise Unsupported("the resource module is missing: RLIMIT_NOFILE cannot be read or set")
    kind, soft, max_fds = ctx.p["mechanism"], ctx.p["soft_limit"], ctx.p["max_fds"]
    cur, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft and hard != resource.RLIM_INFINITY and soft > hard:
        raise Unsupported("soft_limit=%d is above the hard RLIMIT_NOFILE %d; lower soft_limit"
                          % (soft, hard))
    effective = soft or cur
    if effective == resource.RLIM_INFINITY or effective > max_fds:
        raise Unsupported("RLIMIT_NOFILE soft limit %s is above max_fds=%d; set soft_limit or "
                          "raise max_fds" % (effective, max_fds))
    res_r, res_w = children.MP.Pipe(duplex=False)
    child = start_child(_open_pipes, kind, soft, res_w)
    res_w.close()
    r = recv_within(res_r, ctx.p["timeout"] / 1e9, "result from the child opening Pipes")
    res_r.close()
    reap_child(child, 5)
    facts = {"mechanism": kind, "error": r["error"],
             "rlimit_nofile": {"soft": r["soft"], "hard": r["hard"],
                               "soft_in_force_before": r["soft_before"],
                               "lowered": bool(soft)},
             "fds_open_at_start": r["fds_at_start"], "fds_open_at_error": r["fds_at_error"],
             "fds_per_pipe": 2}
    if r["error"] is None:
        ctx.record("pipes_before_error", status="failed", facts=facts,
                   reason="Pipe() never failed")
        return EXIT_FAILED
    ctx.record("pipes_before_error", r["count"], facts=facts)
    return EXIT_OK


CASE = Case("descriptors",
            "How many Pipe() objects a process opens before the error, which error, and the "
            "RLIMIT_NOFILE in force.",
            [Metric("pipes_before_error", "count", "none", "Pipe() calls that succeeded")],
            [P("mechanism", "enum", "pipe_duplex", choices=PIPE_KINDS,
               help="Pipe(duplex=True) or Pipe(duplex=False)"),
             P("soft_limit", "int", "1024", "0", "1048576",
               help="lower the soft RLIMIT_NOFILE to this in the child (0: keep the one in force)"),
             P("max_fds", "int", "65536", "64", "16777216",
               help="refuse to run under a larger limit (each Pipe costs kernel memory)"),
             TIMEOUT],
            run_descriptors)
