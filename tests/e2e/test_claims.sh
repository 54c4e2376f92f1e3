#!/bin/sh
# test_claims.sh - claims are decided by the records and their rule: holds, does not hold,
# not measured (nothing matches, or the selector is ambiguous), facts compared as text; a
# selector may pick a statistic of the distribution (dist.max: the largest over repetitions),
# and each figure says what decided it; with interpreters, one column per interpreter, a
# missing one "unsupported", a failed one with its whole reason.
. "$(dirname "$0")/../lib/harness.sh"
mkdir "$tmp/run"
python3 - "$tmp/run" <<'PY'
import json, os, sys
def rec(case, metric, unit, value, params, rep, facts=None):
    return {"schema": 1, "probe": "latency", "case": case, "transport": "pipe", "params": params,
            "metric": metric, "unit": unit, "direction": "lower", "status": "ok", "reason": None,
            "value": value, "rep": rep, "facts": facts or {}}
with open(os.path.join(sys.argv[1], "records.jsonl"), "w") as f:
    for rep, v in enumerate([100, 110, 120]):
        r = rec("roundtrip", "rtt", "ns", v, {"size": 64}, rep, {"err": "EMFILE"})
        # The median of the medians is 110 ns; the largest single round trip 5 us (rep 1).
        r["dist"] = {"n": 300, "min": v - 50, "p50": v, "p90": 2 * v, "p99": 3 * v, "p999": 4 * v,
                     "max": 5000 if rep == 1 else 900, "mean": v, "stddev": 1}
        f.write(json.dumps(r) + "\n")
        f.write(json.dumps(rec("roundtrip", "rtt", "ns", 10 * v, {"size": 65536}, rep)) + "\n")
json.dump({"schema": 1, "status": "complete", "platform": {"os": "Linux"}},
          open(os.path.join(sys.argv[1], "run.json"), "w"))
PY
cat > "$tmp/claims.yaml" <<'YAML'
claims:
  - claim: small is under 200 ns
    holds_if: "a < b"
    a: {probe: latency, case: roundtrip, metric: rtt, params: {size: 64}}
    b: 200
  - claim: big is 20x small
    holds_if: "a >= b"
    factor: 20
    a: {probe: latency, case: roundtrip, metric: rtt, params: {size: 64KiB}}
    b: {probe: latency, case: roundtrip, metric: rtt, params: {size: 64}}
  - claim: ambiguous
    holds_if: "a < b"
    a: {probe: latency, case: roundtrip, metric: rtt}
    b: 1
  - claim: absent
    holds_if: "a < b"
    a: {probe: shm, case: handover, metric: rtt}
    b: 1
  - claim: the fact is EMFILE
    holds_if: "a == b"
    a: {probe: latency, case: roundtrip, metric: rtt, params: {size: 64}, fact: err}
    b: EMFILE
  - claim: never above 1 us
    holds_if: "a < b"
    a: {probe: latency, case: roundtrip, metric: rtt, params: {size: 64}, stat: dist.max}
    b: 1000
  - claim: p99 under 400 ns
    holds_if: "a < b"
    a: {probe: latency, case: roundtrip, metric: rtt, params: {size: 64}, stat: dist.p99}
    b: 400
  - claim: bad stat
    holds_if: "a < b"
    a: {probe: latency, case: roundtrip, metric: rtt, params: {size: 64}, stat: dist.p42}
    b: 400
YAML
IPCPROBE_CLAIMS="$tmp/claims.yaml" "$BUILD/ipcprobe" report "$tmp/run" > "$tmp/out" 2>&1 || { cat "$tmp/out"; fail "report failed"; }
md="$tmp/run/report.md"
grep -q "^| small is under 200 ns | holds | a = 110 ns (value, median of 3 repetitions); b = 200 ns (a < b) |" "$md" || { grep "^| small" "$md"; fail "claim 1"; }
grep -q "^| never above 1 us | does not hold | a = 5 us (dist.max, largest of 3 repetitions); b = 1 us (a < b) |" "$md" ||
	{ grep "^| never" "$md"; fail "a claim on dist.max is not judged on the largest of all repetitions"; }
grep -q "^| p99 under 400 ns | holds | a = 330 ns (dist.p99, median of 3 repetitions); b = 400 ns (a < b) |" "$md" ||
	{ grep "^| p99" "$md"; fail "a claim on dist.p99"; }
grep -q "^| bad stat | not measured | stat: expected value or dist." "$md" || { grep "^| bad stat" "$md"; fail "a bad stat"; }
grep -q "^| big is 20x small | does not hold | " "$md" || fail "claim 2"
grep -q "^| ambiguous | not measured | the selector matches 2 combinations" "$md" || fail "claim 3"
grep -q "^| absent | not measured | no ok record of shm/handover rtt |" "$md" || fail "claim 4"
grep -q "^| the fact is EMFILE | holds | a = EMFILE (fact err); b = EMFILE (a == b)" "$md" || fail "claim 5"

# Interpreters: one column each; the C probes' records count for every column; a missing
# interpreter is unsupported; a failed one shows its whole reason, every line of it.
mkdir "$tmp/py"
python3 - "$tmp/py" <<'PY'
import json, os, sys
def rec(interp, status, value, rep, reason=None, mx=None):
    r = {"schema": 1, "probe": "python", "case": "queue_put", "transport": None,
         "params": {"size": 4194304}, "metric": "put_latency", "unit": "ns", "direction": "lower",
         "status": status, "reason": reason, "value": value, "rep": rep, "interpreter": interp,
         "facts": {"python": {"implementation": "CPython", "version": interp[6:] + ".1"}}
                   if status == "ok" else {}}
    if mx is not None:
        r["dist"] = {"n": 300, "min": 900, "p50": value, "p90": 2000, "p99": 3000, "p999": mx,
                     "max": mx, "mean": 1000, "stddev": 5}
    return r
with open(os.path.join(sys.argv[1], "records.jsonl"), "w") as f:
    for rep in range(2):
        f.write(json.dumps(rec("python3.11", "ok", 2000, rep, mx=[6e6, 7e6][rep])) + "\n")
        f.write(json.dumps(rec("python3.13", "ok", 1500, rep, mx=[4e5, 5e5][rep])) + "\n")
        f.write(json.dumps(rec("python3.9", "unsupported", None, rep,
                               "interpreter python3.9 is not installed here (not on PATH)")) + "\n")
        f.write(json.dumps(rec("python3.8", "failed", None, rep,
                               "exit 127: pyenv: python3.8: command not found\n\nThe `python3.8' "
                               "command exists in these Python versions:\n  3.8.18")) + "\n")
        f.write(json.dumps({"schema": 1, "probe": "capacity", "case": "fill", "transport": "pipe",
                            "params": {}, "metric": "capacity", "unit": "bytes",
                            "direction": "none", "status": "ok", "reason": None,
                            "value": 65536, "rep": rep, "facts": {}}) + "\n")
json.dump({"schema": 1, "status": "complete", "platform": {"os": "Linux"}},
          open(os.path.join(sys.argv[1], "run.json"), "w"))
PY
cat > "$tmp/pyclaims.yaml" <<'YAML'
claims:
  - claim: put never blocks
    holds_if: "a < b"
    a: {probe: python, case: queue_put, metric: put_latency, stat: dist.max}
    b: 1000000
  - claim: a pipe holds 64 KiB
    holds_if: "a == b"
    a: {probe: capacity, case: fill, metric: capacity, transport: pipe}
    b: 65536
YAML
IPCPROBE_CLAIMS="$tmp/pyclaims.yaml" "$BUILD/ipcprobe" report "$tmp/py" > "$tmp/out" 2>&1 || { cat "$tmp/out"; fail "report of interpreters failed"; }
md="$tmp/py/report.md"
grep -q "^| claim | python3.11 (CPython 3.11.1) | python3.13 (CPython 3.13.1) | python3.9 | python3.8 |" "$md" ||
	{ grep "^| claim" "$md"; fail "no column per interpreter"; }
grep -q "^| put never blocks | does not hold: a = 7 ms (dist.max, largest of 2 repetitions); b = 1 ms (a < b) | holds: a = 500 us (dist.max, largest of 2 repetitions); b = 1 ms (a < b) | unsupported: interpreter python3.9 is not installed here (not on PATH) | not measured: failed: exit 127: pyenv: python3.8: command not found  The \`python3.8' command exists in these Python versions:   3.8.18 |" "$md" ||
	{ grep "^| put never" "$md"; fail "the per-interpreter verdicts"; }
grep -q "^| a pipe holds 64 KiB | holds: a = 64 KiB (value, median of 2 repetitions); b = 64 KiB (a == b) | holds: .* | holds: .* | holds: .* |" "$md" ||
	{ grep "^| a pipe" "$md"; fail "the C probes' records do not count for every interpreter"; }
# Two runs side by side: a column per run and interpreter.
IPCPROBE_CLAIMS="$tmp/pyclaims.yaml" "$BUILD/ipcprobe" report "$tmp/py" "$tmp/run" -o "$tmp/multi" > "$tmp/out" 2>&1 ||
	{ cat "$tmp/out"; fail "multi-run report failed"; }
grep -q "^| claim | 1: ?, Linux ? / python3.11 | 1: ?, Linux ? / python3.13 | 1: ?, Linux ? / python3.9 | 1: ?, Linux ? / python3.8 | 2: ?, Linux ? |" "$tmp/multi/report.md" ||
	{ grep "^| claim" "$tmp/multi/report.md"; fail "multi-run: no column per run and interpreter"; }
grep -q "^| put never blocks | does not hold: a = 7 ms (dist.max" "$tmp/multi/report.md" ||
	{ grep "^| put never" "$tmp/multi/report.md"; fail "multi-run: no deciding figure in the cell"; }
echo "test_claims: ok"
