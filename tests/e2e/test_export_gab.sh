#!/bin/sh
# test_export_gab.sh - `export --format github-action-benchmark` on fixture runs of 3
# repetitions (tests/e2e/export_runs.py): one entry per figure, its median; range = min..max of
# the repetitions; extra = repetitions, samples, placement and the knobs, which are not in the
# name (unless two figures differ only by a knob); smaller and bigger in separate outputs; one
# line on stderr saying what was left out and why.
. "$(dirname "$0")/../lib/harness.sh"
python3 tests/e2e/export_runs.py "$tmp" || fail "no fixture runs"
for d in smaller bigger; do
	"$BUILD/ipcprobe" export --format github-action-benchmark --direction $d "$tmp/base" \
		> "$tmp/$d.json" 2> "$tmp/$d.err" || fail "export --direction $d failed"
	[ "$(wc -l < "$tmp/$d.err")" -eq 1 ] || { cat "$tmp/$d.err"; fail "not one stderr line ($d)"; }
done
grep -q '^ipcprobe export: left out 3 facts (capacities, limits: neither smaller nor bigger is better), 2 bigger-is-better figures (--direction bigger writes them) and 3 records not ok' "$tmp/smaller.err" ||
	{ cat "$tmp/smaller.err"; fail "stderr does not say what was left out"; }
grep -q ', 5 smaller-is-better figures (--direction smaller writes them)' "$tmp/bigger.err" ||
	{ cat "$tmp/bigger.err"; fail "stderr (bigger) does not say what was left out"; }
python3 - "$tmp" <<'PY' || exit 1
import json, sys
tmp = sys.argv[1]
small = json.load(open(tmp + "/smaller.json"))
big = json.load(open(tmp + "/bigger.json"))
names = [e["name"] for e in small]
assert len(names) == len(set(names)) == 5, names
e = {x["name"]: x for x in small}
rtt = e["latency/roundtrip/pipe/rtt/size:64/placement:cross_core"]
# The median of 10000, 10500, 30000: the stray repetition is in the range, not the value.
assert rtt["value"] == 10500 and rtt["unit"] == "ns", rtt
assert rtt["range"] == "10000..30000 (min..max of 3 repetitions)", rtt
assert rtt["extra"] == ("repetitions=3 samples=100 placement=cross_core cpus=[0,1] "
                        "warmup=10000000 min_time=20000000"), rtt
assert not any("warmup" in n or "min_time" in n for n in names), names
# Two interpreters stay two figures; two figures that differ only by a knob keep it.
assert "python/roundtrip/rtt/size:64/interpreter:python3.13" in e, names
assert e["shm/handover/rtt/wake:futex/round_trips:1000"]["value"] == 820, names
assert e["shm/handover/rtt/wake:futex/round_trips:2000"]["value"] == 830, names
b = {x["name"]: x for x in big}
assert set(b) == {"throughput/stream/pipe/bandwidth/chunk:65536/placement:cross_core",
                  "manager/ops/throughput/mode:broker/clients:2"}, b
bw = b["throughput/stream/pipe/bandwidth/chunk:65536/placement:cross_core"]
assert bw["value"] == 1e9 and bw["unit"] == "bytes_per_s", bw
assert bw["extra"] == "repetitions=3 placement=cross_core cpus=[0,1] min_time=20000000", bw
PY
echo "test_export_gab: ok"
