#!/bin/sh
# test_timing_records.sh - every timing record says how sure it is (issue 16): each case with a
# lower/higher metric, of every probe (ipcprobe list), runs once with tiny parameters through
# the runner, and every ok timing record carries facts.timer_overhead_ns (one clock read) and
# either a distribution with its n and the median's interval (dist.n, dist.p50_ci, lo <= p50 <=
# hi, its exact level) or facts.timed_intervals (a figure from that many timed spans, whose
# interval can come only from the repetitions).  A timing case missing from the config below
# fails the test too, so that a new one cannot go unchecked.  A few seconds.
. "$(dirname "$0")/../lib/harness.sh"

cat > "$tmp/timing.yaml" <<'YAML'
name: timing-records
repetitions: 1
timeout: 30s
probes:
  - probe: capacity
    cases: [blocking_writer]
    transports: [pipe]
    params: {size: 256KiB, settle: 5ms}
  - probe: latency
    cases: [roundtrip]
    transports: [pipe, shm-spin]
    params: {warmup: 0ns, min_time: 5ms}
  - probe: latency
    cases: [floor_cacheline]
    params: {warmup: 0ns, min_time: 5ms}
  - probe: throughput
    cases: [stream]
    transports: [pipe]
    params: {chunk: 4KiB, min_time: 5ms}
  - probe: throughput
    cases: [floor_memcpy]
    params: {chunk: 4KiB, min_time: 5ms}
  - probe: manager
    params: {mode: [broker, shared_mutex, atomic], ops: 200}
  - probe: shm
    cases: [setup]
    params: {size: 64KiB, iterations: 5}
  - probe: shm
    cases: [touch]
    params: {size: 64KiB, samples: 5}
  - probe: shm
    cases: [copy_bandwidth]
    params: {size: 64KiB, min_time: 5ms}
  - probe: shm
    cases: [handover]
    params: {round_trips: 100}
  - probe: python
    cases: [blocking]
    params: {size: 256KiB, settle: 5ms}
  - probe: python
    cases: [queue_put]
    params: {size: 64KiB, n: 20, block_wait: 5ms, exit_wait: 50ms}
  - probe: python
    cases: [latency]
    params: {n: 50, warmup: 5}
  - probe: python
    cases: [manager_ops]
    params: {n: 50, batches: 3}
  - probe: python
    cases: [large_data]
    params: {size: 256KiB, sweep_from: 64KiB, repeats: 2}
YAML
"$BUILD/ipcprobe" list --json > "$tmp/list.json" || fail "ipcprobe list --json exited $?"
"$BUILD/ipcprobe" run "$tmp/timing.yaml" -o "$tmp/run" > "$tmp/out" 2>&1
rc=$?
[ $rc -eq 0 ] || { cat "$tmp/out"; fail "the run exited $rc"; }

python3 - "$tmp" <<'PY' || exit 1
import json, os, sys
tmp = sys.argv[1]
timing = {(p["probe"], c["name"]) for p in json.load(open(os.path.join(tmp, "list.json")))
          for c in p["cases"] if any(m["direction"] != "none" for m in c["metrics"])}
recs = [json.loads(l) for l in open(os.path.join(tmp, "run", "records.jsonl")) if l.strip()]
ran = {(r["probe"], r["case"]) for r in recs}
assert timing <= ran, "timing cases this test does not run: %s" % sorted(timing - ran)
checked = spans = dists = 0
for r in recs:
    if r["direction"] == "none":
        continue
    where = (r["probe"], r["case"], r["transport"], r["metric"], r["params"])
    assert r["status"] in ("ok", "unsupported"), where + (r["reason"],)
    if r["status"] != "ok":
        continue
    f, d = r.get("facts") or {}, r.get("dist")
    assert isinstance(f.get("timer_overhead_ns"), int) and f["timer_overhead_ns"] >= 0, where
    if d is not None:
        ci = d["p50_ci"]
        assert d["n"] >= 1 and isinstance(ci, dict), where
        assert ci["lo"] <= d["p50"] <= ci["hi"], (where, d)
        assert 0 <= ci["level"] <= 1 and ci["reached"] == (ci["level"] >= 0.95), (where, ci)
        assert ci["method"] == "order statistics (binomial, distribution-free)", (where, ci)
        assert d["modes"] is None or len(d["modes"]) >= 2, (where, d["modes"])
        assert "timed_intervals" not in f, where
        dists += 1
    else:
        assert isinstance(f.get("timed_intervals"), int) and f["timed_intervals"] >= 1, (where, f)
        spans += 1
    checked += 1
assert dists and spans, (dists, spans)
print("test_timing_records: %d timing records of %d cases: %d with dist.n and p50_ci, %d with "
      "timed_intervals; all with timer_overhead_ns" % (checked, len(timing), dists, spans))
PY
echo "test_timing_records: ok"
