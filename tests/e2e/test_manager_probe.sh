#!/bin/sh
# test_manager_probe.sh - the manager probe's records and its exactness check: after a
# contended run through the broker (and on shared memory) the counter equals the increments
# sent; operations cheaper than 50 clock reads (atomic, mutex) are timed in batches, and the
# records say the batch and the clock's cost.  No timing assertions.
. "$(dirname "$0")/../lib/harness.sh"
P=$BUILD/probes/manager

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
    f = lat["facts"]
    k = f["batch"]
    assert isinstance(f["timer_overhead_ns"], int) and f["timer_overhead_ns"] >= 0, f
    assert 1 <= k <= 3000, f
    # the fewest operations whose fastest of three tries lasted 50 clock reads (a power of
    # two, or all 3000): what the calibration saw is in the record, so this is exact under
    # any load, where "an atomic is batched" was not (a preempted client stretches one)
    cal = f["batch_calibration"]
    assert cal["want_ns"] == 50 * f["timer_overhead_ns"], f
    assert k == 3000 or (k & (k - 1) == 0 and cal["fastest_ns"] >= cal["want_ns"]), f
    assert (cal["below_ns"] is None) == (k == 1), f
    assert cal["below_ns"] is None or cal["below_ns"] < cal["want_ns"], f
    assert f["batches"] == lat["dist"]["n"] == 4 * (3000 // k), (mode, f, lat["dist"])
    assert f["untimed_per_client"] == 3000 % k, (mode, f)
    assert f["operations"] == 4 * 3000, f
    assert tput["facts"]["batch"] == k, tput["facts"]
    assert tput["facts"]["timer_overhead_ns"] == f["timer_overhead_ns"], tput["facts"]
    d = lat["dist"]
    assert d["min"] <= d["p50"] <= d["max"], d
    # p99 needs 100 batches (n >= 1/(1-q)); with fewer it is null, never the max in disguise.
    assert (d["p99"] is None) == (d["n"] < 100), d
    assert d["p99"] is None or d["p50"] <= d["p99"] <= d["max"], d
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
