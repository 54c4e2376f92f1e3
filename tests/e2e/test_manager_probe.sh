#!/bin/sh
# test_manager_probe.sh - the manager probe's records and its exactness check: after a
# contended run through the broker (and on shared memory) the counter equals the increments
# sent.  No timing assertions.
set -u
BUILD=${BUILD:-build}
P=$BUILD/probes/manager
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "test_manager_probe: $*" >&2; exit 1; }

"$P" --list > "$tmp/list.json" || fail "--list exited $?"
for mode in broker shared_mutex atomic; do
	"$P" --case ops --param mode=$mode --param clients=4 --param ops=3000 \
		> "$tmp/$mode.jsonl" 2> "$tmp/$mode.err" || { cat "$tmp/$mode.err"; fail "$mode exited $?"; }
done
"$P" --case ops --param mode=broker --param op=get --param clients=2 --param ops=500 \
	> "$tmp/get.jsonl" || fail "op=get exited $?"
python3 - "$tmp" <<'PY' || exit 1
import json, os, sys
tmp = sys.argv[1]
json.load(open(os.path.join(tmp, "list.json")))
for mode in ("broker", "shared_mutex", "atomic"):
    recs = [json.loads(l) for l in open(os.path.join(tmp, mode + ".jsonl"))]
    assert [r["metric"] for r in recs] == ["op_latency", "throughput"], recs
    lat, tput = recs
    assert lat["status"] == "ok" and lat["unit"] == "ns" and lat["direction"] == "lower", lat
    assert tput["unit"] == "ops_per_s" and tput["direction"] == "higher", tput
    assert lat["facts"]["final_sum"] == 4 * 3000, lat["facts"]
    assert lat["dist"]["n"] == 4 * 3000, lat["dist"]
    d = lat["dist"]
    assert d["min"] <= d["p50"] <= d["p99"] <= d["max"], d
    assert lat["params"] == {"mode": mode, "op": "incr", "clients": 4, "ops": 3000, "keys": 1,
                             "deadline": 60000000000}, lat["params"]
recs = [json.loads(l) for l in open(os.path.join(tmp, "get.jsonl"))]
assert recs[0]["status"] == "ok" and "final_sum" not in recs[0]["facts"], recs[0]
PY
"$P" --case ops --param mode=nope > /dev/null 2>&1
[ $? -eq 2 ] || fail "a bad mode did not exit 2"
"$P" --case ops --param clients=65 > /dev/null 2>&1
[ $? -eq 2 ] || fail "clients=65 did not exit 2"
echo "test_manager_probe: ok"
