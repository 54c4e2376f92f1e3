#!/bin/sh
# test_report_keys.sh - every table row and chart line is keyed on every parameter that
# varies: records of two CPU placements never share a median, in the latency and throughput
# sections of one run's report and in the grouped charts of runs side by side.
. "$(dirname "$0")/../lib/harness.sh"
mkdir "$tmp/a" "$tmp/b"
python3 - "$tmp" <<'PY'
import json, os, sys
def rec(probe, case, metric, unit, value, params, rep):
    r = {"schema": 1, "probe": probe, "case": case, "transport": "pipe", "params": params,
         "metric": metric, "unit": unit, "direction": "lower", "status": "ok", "reason": None,
         "value": value, "rep": rep, "facts": {}}
    if unit == "ns":
        r["dist"] = {"n": 100, "min": value, "p50": value, "p90": value, "p99": value,
                     "p999": value, "max": value, "mean": value, "stddev": 0}
    return r
for run in ("a", "b"):
    with open(os.path.join(sys.argv[1], run, "records.jsonl"), "w") as f:
        for rep in range(3):
            for pl, v in (("cross_core", 100), ("unpinned", 1000)):
                f.write(json.dumps(rec("latency", "roundtrip", "rtt", "ns", v + rep,
                                       {"size": 64, "placement": pl, "warmup": 1000}, rep)) + "\n")
                f.write(json.dumps(rec("throughput", "stream", "bandwidth", "bytes_per_s",
                                       v * 1e6, {"chunk": 4096, "placement": pl}, rep)) + "\n")
    json.dump({"schema": 1, "status": "complete", "host": run, "platform": {"os": "Linux"}},
              open(os.path.join(sys.argv[1], run, "run.json"), "w"))
PY
"$BUILD/ipcprobe" report "$tmp/a" > "$tmp/out" 2>&1 || { cat "$tmp/out"; fail "report failed"; }
md="$tmp/a/report.md"
grep -q "^| transport | placement | size | p50 |" "$md" || { grep "^| transport" "$md"; fail "no placement column in the latency table"; }
grep -q "^| pipe | cross_core | 64 B | 101 ns |" "$md" || { grep "^| pipe" "$md"; fail "no cross_core latency row of its own"; }
grep -q "^| pipe | unpinned | 64 B | 1 us |" "$md" || { grep "^| pipe" "$md"; fail "no unpinned latency row of its own"; }
grep -q "^| pipe | cross_core | 4 KiB | 100 MB/s |" "$md" || { grep "^| pipe" "$md"; fail "no cross_core throughput row of its own"; }
grep -q "^| pipe | unpinned | 4 KiB | 1 GB/s |" "$md" || { grep "^| pipe" "$md"; fail "no unpinned throughput row of its own"; }
grep -q "^pipe/cross_core size p50 p99" "$tmp/a/plots/latency.dat" || fail "the latency chart mixes placements"
"$BUILD/ipcprobe" report "$tmp/a" "$tmp/b" -o "$tmp/m" > "$tmp/out" 2>&1 || { cat "$tmp/out"; fail "multi-run report failed"; }
grep -q '^"pipe cross_core" 0.101 0.101' "$tmp/m/plots/grouped_latency.dat" &&
grep -q '^"pipe unpinned" 1.001 1.001' "$tmp/m/plots/grouped_latency.dat" ||
	{ cat "$tmp/m/plots/grouped_latency.dat"; fail "the grouped latency chart mixes placements"; }
echo "test_report_keys: ok"
