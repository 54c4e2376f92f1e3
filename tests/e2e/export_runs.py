#!/usr/bin/env python3
"""export_runs.py DIR - fixture runs for the export tests: DIR/base and DIR/new, with 3
repetitions each and known figures (no case run disturbed):
  - latency rtt over pipe (knobs warmup/min_time, placement cross_core on cpus 0,1; one stray
    repetition in base): 2x slower in new;
  - throughput bandwidth with Google Benchmark's own entry (bigger is better; time per
    iteration alongside): half the bandwidth in new;
  - manager throughput (ops/s, no timing behind it): unchanged;
  - python rtt under two interpreters with the same parameters: python3.13 2x slower in new;
  - shm handover rtt at round_trips 1000 and 2000 (two figures differing only by a knob);
  - facts: pipe capacity (65536, then 131072 in new) and posix_mq msgsize_max unprivileged and
    privileged;
  - a failed case whose reason has a comma, quotes and a newline.
And DIR/busy, 5 repetitions, some of whose case runs were disturbed (run.json cases[].machine):
  - latency rtt over pipe, reps 1 and 3 disturbed (53.7 us and 274 us): the median of all 5 is
    53.7 us, of the 3 undisturbed (40, 43.2, 60 us) 43.2 us (issue 25's case);
  - throughput bandwidth with Google Benchmark's own entry, rep 2 disturbed;
  - shm handover rtt at round_trips 1000 with every repetition disturbed, and at 2000 none;
  - pipe capacity (a fact) in case runs disturbed at reps 1 and 3."""
import json, os, sys

def rec(probe, case, transport, params, metric, unit, direction, value, rep, **more):
    r = {"schema": 1, "probe": probe, "case": case, "transport": transport, "params": params,
         "metric": metric, "unit": unit, "direction": direction, "status": "ok",
         "reason": None, "value": value, "rep": rep}
    r.update(more)
    return r

def dist(v, n=100):
    return {"n": n, "min": v * 0.9, "p50": v, "p90": v * 1.2, "p99": v * 1.5, "p999": None,
            "max": v * 2, "mean": v * 1.05, "stddev": v * 0.1}

def records(new):
    out = []
    k = 2.0 if new else 1.0
    for rep, rtt in enumerate([10000, 10500, 30000] if not new else [20000, 21000, 20500]):
        out.append(rec("latency", "roundtrip", "pipe",
                       {"size": 64, "placement": "cross_core", "warmup": 10000000,
                        "min_time": 20000000}, "rtt", "ns", "lower", float(rtt), rep,
                       facts={"placement": "cross_core", "cpus": [0, 1], "batch": 1},
                       dist=dist(rtt)))
        bw = [1e9, 1.1e9, 0.95e9][rep] / k
        name = "throughput/stream/pipe/chunk:65536/placement:cross_core/manual_time"
        out.append(rec("throughput", "stream", "pipe",
                       {"chunk": 65536, "placement": "cross_core", "min_time": 20000000},
                       "bandwidth", "bytes_per_s", "higher", bw, rep,
                       facts={"placement": "cross_core", "cpus": [0, 1]},
                       gbench={"name": name, "run_name": name, "run_type": "iteration",
                               "family_index": 0, "per_family_instance_index": 0,
                               "repetitions": 1, "repetition_index": 0, "threads": 1,
                               "iterations": 100, "real_time": 65536 / bw * 1e9,
                               "cpu_time": 65536 / bw * 1e9 / 3, "time_unit": "ns",
                               "bytes_per_second": bw}))
        out.append(rec("manager", "ops", None, {"mode": "broker", "clients": 2, "ops": 2000},
                       "throughput", "ops_per_s", "higher", [30000.0, 31000.0, 29000.0][rep],
                       rep))
        for interp, slow in (("python3.11", 1.0), ("python3.13", k)):
            v = [50000.0, 52000.0, 51000.0][rep] * slow
            out.append(rec("python", "roundtrip", None, {"size": 64}, "rtt", "ns", "lower",
                           v, rep, interpreter=interp, dist=dist(v, 500)))
        for rt in (1000, 2000):
            v = [800.0, 820.0, 810.0][rep] + rt / 100
            out.append(rec("shm", "handover", None, {"wake": "futex", "round_trips": rt},
                           "rtt", "ns", "lower", v, rep, dist=dist(v, rt)))
        out.append(rec("capacity", "fill_nonblocking", "pipe", {"chunk": 4096}, "capacity",
                       "bytes", "none", 131072.0 if new else 65536.0, rep))
        for priv, v in (("unprivileged", 8192.0), ("privileged", 1048576.0)):
            out.append(rec("limits", "posix_mq", "posix-mq", {"privilege": priv},
                           "msgsize_max", "bytes", "none", v, rep))
        f = rec("limits", "sysv_msg", "sysv-msg", {}, "msgmax", "bytes", "none", None, rep)
        f.update(status="failed", reason='exit 1: "msgget", EINVAL,\nthen a second line')
        out.append(f)
    return out

BUSY_RTT = [40000.0, 53700.0, 43200.0, 274000.0, 60000.0]
BUSY_BW = [1.0e9, 1.2e9, 0.3e9, 0.9e9, 1.1e9]

def busy_records():
    """The busy run's records and its run.json cases: one case run per figure and rep."""
    out, cases = [], []
    def add(r, label, disturbed):
        r["case_run"] = len(cases)
        out.append(r)
        cases.append({"index": len(cases), "rep": r["rep"], "status": "ok", "label": label,
                      "machine": {"disturbed": disturbed, "disturbed_why":
                                  "other processes used 62% of the CPU time" if disturbed
                                  else None, "foreign_cpu_share": 0.62 if disturbed else 0.01,
                                  "steal_share": 0.0}})
    for rep in range(5):
        rtt = BUSY_RTT[rep]
        add(rec("latency", "roundtrip", "pipe", {"size": 64, "placement": "cross_core"},
                "rtt", "ns", "lower", rtt, rep, dist=dist(rtt)),
            "latency/roundtrip pipe size=64", rep in (1, 3))
        bw = BUSY_BW[rep]
        name = "throughput/stream/pipe/chunk:65536/manual_time"
        add(rec("throughput", "stream", "pipe", {"chunk": 65536}, "bandwidth", "bytes_per_s",
                "higher", bw, rep,
                gbench={"name": name, "run_name": name, "run_type": "iteration",
                        "family_index": 0, "per_family_instance_index": 0, "repetitions": 1,
                        "repetition_index": 0, "threads": 1, "iterations": 100,
                        "real_time": 65536 / bw * 1e9, "cpu_time": 65536 / bw * 1e9 / 3,
                        "time_unit": "ns", "bytes_per_second": bw}),
            "throughput/stream pipe chunk=65536", rep == 2)
        for rt in (1000, 2000):
            v = 800.0 + 10 * rep + rt / 100
            add(rec("shm", "handover", None, {"wake": "futex", "round_trips": rt}, "rtt",
                    "ns", "lower", v, rep, dist=dist(v, rt)),
                "shm/handover round_trips=%d" % rt, rt == 1000)
        add(rec("capacity", "fill_nonblocking", "pipe", {"chunk": 4096}, "capacity", "bytes",
                "none", 65536.0, rep), "capacity/fill_nonblocking pipe", rep in (1, 3))
    return out, cases

def write_run(top, name, recs, cases):
    d = os.path.join(top, name)
    os.makedirs(d)
    with open(os.path.join(d, "records.jsonl"), "w") as f:
        for r in recs:
            f.write(json.dumps(r) + "\n")
    meta = {"schema": 1, "name": name, "status": "complete", "host": "fixture-" + name,
            "started": "2026-11-01T00:00:00Z", "ipc_token": "%016x" % (0xf1c7 + len(name)),
            "platform": {"cpu_count": 2, "kernel": "6.1.0-fixture-" + name}}
    if cases is not None:
        meta["cases"] = cases
    json.dump(meta, open(os.path.join(d, "run.json"), "w"))

def main(top):
    for name in ("base", "new"):
        write_run(top, name, records(name == "new"), None)
    write_run(top, "busy", *busy_records())

if __name__ == "__main__":
    main(sys.argv[1])
