"""manager_ops - the per-operation cost of Manager().dict()/list()/Value() against
multiprocessing.Value/Array with their lock and a shared_memory buffer, and their ratios."""

import struct
import time

from .. import children
from ..children import start_manager, stop_manager
from ..contract import EXIT_OK, Case, Metric, Unsupported
from ..params import Param as P
from ..records import dist
from ..shm import SHM_MISSING, free_shm, new_shm, shm_tracker_start


def time_ops(op, n, batches):
    """Per-operation ns of op(i), timed in batches: (median batch, dist over batches)."""
    k = max(1, n // batches)
    for i in range(min(k, 100)):  # warm-up
        op(i)
    per = []
    for _ in range(batches):
        t0 = time.perf_counter_ns()
        for i in range(k):
            op(i)
        per.append((time.perf_counter_ns() - t0) / k)
    d = dist(per)
    return d["p50"], d


WARMUP_OPS = 1000  # calls of every operation before any is timed


def time_ops_rotated(ops, n, batches):
    """Per-operation ns of each of ops ((metric, op(i), what) ...), timed in batches of
    n // batches and interleaved: batch b of every operation is timed in a row, starting at
    operation b (mod their count), so that none is always first after the manager starts
    (the first used to pick up its start-up placement).  Every operation is warmed up
    WARMUP_OPS times before any is timed.  {metric: (median batch, dist over batches)}."""
    k = max(1, n // batches)
    for _, op, _ in ops:
        for i in range(WARMUP_OPS):
            op(i)
    per = {metric: [] for metric, _, _ in ops}
    for b in range(batches):
        for j in range(len(ops)):
            metric, op, _ = ops[(b + j) % len(ops)]
            t0 = time.perf_counter_ns()
            for i in range(k):
                op(i)
            per[metric].append((time.perf_counter_ns() - t0) / k)
    out = {}
    for metric, v in per.items():
        d = dist(v)
        out[metric] = (d["p50"], d)
    return out


def _operations(manager):
    """The timed operations, (metric, op(i), what it does), on objects made here in this order:
    the Manager's dict, list and Value, multiprocessing's Value and Array, a shared_memory
    block (returned too, for the caller to free)."""
    md, ml, mv = manager.dict({"k": 0}), manager.list([0]), manager.Value("i", 0)
    v, a = children.MP.Value("i", 0), children.MP.Array("i", 16)
    shm = new_shm(64)
    buf = shm.buf
    pack, unpack = struct.Struct("i").pack_into, struct.Struct("i").unpack_from

    def s_md(i):
        md["k"] = i

    def g_md(i):
        return md["k"]

    def s_ml(i):
        ml[0] = i

    def g_ml(i):
        return ml[0]

    def s_mv(i):
        mv.value = i

    def g_mv(i):
        return mv.value

    def s_v(i):
        v.value = i

    def g_v(i):
        return v.value

    def s_a(i):
        a[0] = i

    def g_a(i):
        return a[0]

    def s_shm(i):
        pack(buf, 0, i)

    def g_shm(i):
        return unpack(buf, 0)[0]

    ops = (("manager_dict_set", s_md, "Manager().dict(): d[key] = i"),
           ("manager_dict_get", g_md, "Manager().dict(): d[key]"),
           ("manager_list_set", s_ml, "Manager().list(): l[0] = i"),
           ("manager_list_get", g_ml, "Manager().list(): l[0]"),
           ("manager_value_set", s_mv, "Manager().Value('i'): v.value = i"),
           ("manager_value_get", g_mv, "Manager().Value('i'): v.value"),
           ("mp_value_set", s_v, "multiprocessing.Value('i') (its lock taken): v.value = i"),
           ("mp_value_get", g_v, "multiprocessing.Value('i') (its lock taken): v.value"),
           ("mp_array_set", s_a, "multiprocessing.Array('i', 16) (its lock taken): a[0] = i"),
           ("mp_array_get", g_a, "multiprocessing.Array('i', 16) (its lock taken): a[0]"),
           ("shm_set", s_shm, "shared_memory buffer, no lock: struct.pack_into"),
           ("shm_get", g_shm, "shared_memory buffer, no lock: struct.unpack_from"))
    return ops, shm


def _noop(i):
    pass


def run_manager_ops(ctx):
    n, batches = ctx.p["n"], ctx.p["batches"]
    if SHM_MISSING:
        raise Unsupported(SHM_MISSING)
    shm_tracker_start()
    manager = start_manager()
    shm = None
    try:
        ops, shm = _operations(manager)
        call_ns, _ = time_ops(_noop, n, batches)
        timed = time_ops_rotated(ops, n, batches)
        res = {}
        for metric, op, what in ops:
            res[metric], d = timed[metric]
            ctx.record(metric, res[metric], dist_=d,
                       facts={"operation": what, "ops": (n // batches) * batches,
                              "batches": batches, "per_op_call_overhead_ns": call_ns,
                              "warmup_ops": WARMUP_OPS,
                              "order": "interleaved: batch b of every operation in a row, "
                                       "starting at operation b mod %d" % len(ops),
                              "note": "per-op mean of each batch; includes a Python call"})
        del ops  # the closures hold the block's buffer
    finally:
        if shm is not None:
            free_shm(shm)
        stop_manager(manager)
    for metric, num, den in RATIOS:
        ctx.record(metric, res[num] / res[den],
                   facts={"numerator": num, "denominator": den, "numerator_ns": res[num],
                          "denominator_ns": res[den]})
    return EXIT_OK


RATIOS = (("ratio_manager_value_to_mp_value", "manager_value_set", "mp_value_set"),
          ("ratio_manager_dict_to_mp_array", "manager_dict_set", "mp_array_set"),
          ("ratio_manager_list_to_mp_array", "manager_list_set", "mp_array_set"),
          ("ratio_mp_value_to_shm", "mp_value_set", "shm_set"),
          ("ratio_manager_value_to_shm", "manager_value_set", "shm_set"))


CASE = Case("manager_ops",
            "Per-operation cost of Manager().dict()/list()/Value() against multiprocessing.Value/"
            "Array with their lock and a shared_memory buffer, and their ratios.",
            [Metric(m, "ns", "lower", "one operation, per-op mean of each batch (median)")
             for m in ("manager_dict_set", "manager_dict_get", "manager_list_set",
                       "manager_list_get", "manager_value_set", "manager_value_get", "mp_value_set",
                       "mp_value_get", "mp_array_set", "mp_array_get", "shm_set", "shm_get")] +
            [Metric(r[0], "ratio", "none", "%s / %s" % (r[1], r[2])) for r in RATIOS],
            [P("n", "int", "4000", "1", "100000000", help="operations timed per kind"),
             P("batches", "int", "20", "1", "10000", help="batches the operations are timed in")],
            run_manager_ops)
