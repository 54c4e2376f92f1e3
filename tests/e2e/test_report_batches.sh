#!/bin/sh
# test_report_batches.sh - batch means are never shown as single events (issue 27 items 6
# and 7).  Crafted records, no probe runs: a latency case timed in batches of 8 (dist over
# 1000 batch means) beside one timed round trip by round trip, 3 repetitions each.  The
# latency table must
#   - mark the batched case's p99, p99.9 and min "(8-op means)", and only that case's;
#   - count its round trips as 8000, naming the 1000 batches of 8;
#   - head the interval column without claiming a level, and give each cell its own (three
#     repetitions reach 75.0%, not 95%);
# and the percentile chart's line for it must say it is of 8-op means.
. "$(dirname "$0")/../lib/harness.sh"
mkdir "$tmp/run"
python3 - "$tmp/run" <<'PY'
import json, os, sys
def rec(tr, batch, p50, rep):
    n = 1000
    return {"schema": 1, "probe": "latency", "case": "roundtrip", "transport": tr,
            "params": {"size": 64}, "metric": "rtt", "unit": "ns", "direction": "lower",
            "status": "ok", "reason": None, "value": p50, "rep": rep,
            "facts": {"batch": batch, "round_trips": n * batch},
            "dist": {"n": n, "min": p50 * 0.9, "p50": p50, "p90": p50 * 1.2, "p99": p50 * 2,
                     "p999": p50 * 3, "max": p50 * 10, "mean": p50, "stddev": 1.0}}
with open(os.path.join(sys.argv[1], "records.jsonl"), "w") as f:
    for rep in range(3):
        f.write(json.dumps(rec("shm-spin", 8, 100.0 + rep, rep)) + "\n")
        f.write(json.dumps(rec("pipe", 1, 20000.0 + rep, rep)) + "\n")
json.dump({"schema": 1, "status": "complete", "platform": {"os": "Linux"}},
          open(os.path.join(sys.argv[1], "run.json"), "w"))
PY
"$BUILD/ipcprobe" report "$tmp/run" > "$tmp/out" 2>&1 || { cat "$tmp/out"; fail "report failed"; }
python3 - "$tmp/run" <<'PY' || fail "batched figures are not labelled as batch means"
import os, sys
md = open(os.path.join(sys.argv[1], "report.md")).read()
sec = md[md.index("## Latency"):]
lines = [l for l in sec.splitlines() if l.startswith("|")]
head = [c.strip() for c in lines[0].strip("|").split("|")]
assert "p50's interval, level" in head and not any("95%" in h for h in head), head
rows = {}
for l in lines[2:]:
    cells = [c.strip() for c in l.strip("|").split("|")]
    rows[cells[0]] = dict(zip(head, cells))
spin, pipe = rows["shm-spin"], rows["pipe"]
for col in ("p99", "p99.9", "min"):
    assert spin[col].endswith("(8-op means)"), (col, spin[col])
    assert "means" not in pipe[col], (col, pipe[col])
assert spin["round trips"] == "8000 (1000 batches of 8)", spin["round trips"]
assert pipe["round trips"] == "1000", pipe["round trips"]
for r in (spin, pipe):
    assert r["p50's interval, level"].endswith("] 75.0%"), r["p50's interval, level"]
cdf = open(os.path.join(sys.argv[1], "plots", "latency_percentiles.dat")).read()
assert '"shm-spin (8-op means)" x ns' in cdf and "\npipe x ns" in "\n" + cdf, cdf
PY
echo "$H_NAME: ok"
