#!/bin/sh
# test_claims.sh - claims are decided by the records and their rule: holds, does not hold,
# not measured (nothing matches, or the selector is ambiguous), facts compared as text.
set -u
BUILD=${BUILD:-build}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "test_claims: $*" >&2; exit 1; }
mkdir "$tmp/run"
python3 - "$tmp/run" <<'PY'
import json, os, sys
def rec(case, metric, unit, value, params, rep, facts=None):
    return {"schema": 1, "probe": "latency", "case": case, "transport": "pipe", "params": params,
            "metric": metric, "unit": unit, "direction": "lower", "status": "ok", "reason": None,
            "value": value, "rep": rep, "facts": facts or {}}
with open(os.path.join(sys.argv[1], "records.jsonl"), "w") as f:
    for rep, v in enumerate([100, 110, 120]):
        f.write(json.dumps(rec("roundtrip", "rtt", "ns", v, {"size": 64}, rep, {"err": "EMFILE"})) + "\n")
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
YAML
IPCPROBE_CLAIMS="$tmp/claims.yaml" "$BUILD/ipcprobe" report "$tmp/run" > "$tmp/out" 2>&1 || { cat "$tmp/out"; fail "report failed"; }
md="$tmp/run/report.md"
grep -q "^| small is under 200 ns | holds | a = 110 ns; b = 200 ns (a < b) |" "$md" || { grep "^| small" "$md"; fail "claim 1"; }
grep -q "^| big is 20x small | does not hold | " "$md" || fail "claim 2"
grep -q "^| ambiguous | not measured | the selector matches 2 combinations" "$md" || fail "claim 3"
grep -q "^| absent | not measured | no ok record of shm/handover rtt |" "$md" || fail "claim 4"
grep -q "^| the fact is EMFILE | holds | a = EMFILE; b = EMFILE" "$md" || fail "claim 5"
echo "test_claims: ok"
