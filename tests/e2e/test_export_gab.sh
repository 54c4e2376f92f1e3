#!/bin/sh
# test_export_gab.sh - `export --format github-action-benchmark` on fixture runs of 3
# repetitions (tests/e2e/export_runs.py): one entry per figure, its median; range = min..max of
# the repetitions; extra = repetitions, samples, placement and the knobs, which are not in the
# name (unless two figures differ only by a knob); smaller and bigger in separate outputs; one
# line on stderr saying what was left out and why.  On a run with disturbed repetitions
# (DIR/busy): each value is the median the report and compare give, over the undisturbed
# repetitions (issue 25: not of all of them); the range is theirs; stderr names each figure
# that lost some, and the figure with no undisturbed repetition is written from all, marked.
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
! grep -q disturbed "$tmp/smaller.err" "$tmp/bigger.err" || fail "a run with no disturbed case run speaks of disturbance"
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

# The busy run: what the report and compare make of it, against the export.
for d in smaller bigger; do
	"$BUILD/ipcprobe" export --format github-action-benchmark --direction $d "$tmp/busy" \
		> "$tmp/busy-$d.json" 2> "$tmp/busy-$d.err" || fail "export of busy --direction $d failed"
done
"$BUILD/ipcprobe" report "$tmp/busy" > /dev/null 2>&1 || fail "report of busy failed"
"$BUILD/ipcprobe" compare "$tmp/busy" "$tmp/busy" --format json > "$tmp/busy-cmp.json" 2> /dev/null
grep -q '^ipcprobe export: left out 2 disturbed repetitions of 1 figure (.*): latency/roundtrip/pipe/rtt/size:64/placement:cross_core (2 of 5)$' "$tmp/busy-smaller.err" ||
	{ cat "$tmp/busy-smaller.err"; fail "stderr does not name the disturbed repetitions left out"; }
grep -q '^ipcprobe export: 1 figure had no undisturbed repetition, .*marked.*: shm/handover/rtt/wake:futex/round_trips:1000 (5)$' "$tmp/busy-smaller.err" ||
	{ cat "$tmp/busy-smaller.err"; fail "stderr does not name the figure disturbed throughout"; }
grep -q '^ipcprobe export: left out 1 disturbed repetition of 1 figure (.*): throughput/stream/pipe/bandwidth/chunk:65536 (1 of 5)$' "$tmp/busy-bigger.err" ||
	{ cat "$tmp/busy-bigger.err"; fail "stderr (bigger) does not name the disturbed repetition left out"; }
# The report's p50 cell for the pipe round trip: 43.2 us, the median of the 3 undisturbed.
grep -q '^| pipe | 64 B | 43.2 us | \[40 us – 60 us\] 75.0% disturbed 2/5 |' "$tmp/busy/report.md" ||
	{ grep '| pipe |' "$tmp/busy/report.md"; fail "the report's pipe round trip is not the fixture's 43.2 us"; }
python3 - "$tmp" <<'PY' || exit 1
import json, sys
tmp = sys.argv[1]
small = {x["name"]: x for x in json.load(open(tmp + "/busy-smaller.json"))}
big = {x["name"]: x for x in json.load(open(tmp + "/busy-bigger.json"))}
cmp = {r["key"]: r for r in json.load(open(tmp + "/busy-cmp.json"))["results"]}
rtt = small["latency/roundtrip/pipe/rtt/size:64/placement:cross_core"]
# compare's median (as summary.json's) of the undisturbed 40, 43.2, 60 us; all 5 give 53.7 us.
assert cmp['latency/roundtrip/pipe/rtt {"placement":"cross_core","size":64}']["median_base"] == 43200
assert rtt["value"] == 43200, rtt
assert rtt["range"] == "40000..60000 (min..max of 3 repetitions; 2 disturbed left out)", rtt
assert rtt["extra"] == "repetitions=3 disturbed_left_out=2 samples=100", rtt
bw = big["throughput/stream/pipe/bandwidth/chunk:65536"]
assert cmp['throughput/stream/pipe/bandwidth {"chunk":65536}']["median_base"] == 1.05e9
assert bw["value"] == 1.05e9 and bw["range"].startswith("900000000..1200000000 (min..max of 4 "), bw
# Every repetition disturbed: written from all 5, and said so; compare does not judge it.
all5 = small["shm/handover/rtt/wake:futex/round_trips:1000"]
assert all5["value"] == 830 and all5["range"] == "810..850 (min..max of 5 repetitions, all disturbed)", all5
assert all5["extra"].startswith("repetitions=5 all_disturbed=true "), all5
assert cmp['shm/handover/-/rtt {"round_trips":1000,"wake":"futex"}']["verdict"] == "disturbed: not judged"
calm = small["shm/handover/rtt/wake:futex/round_trips:2000"]
assert calm["value"] == 840 and calm["range"] == "820..860 (min..max of 5 repetitions)", calm
PY
echo "test_export_gab: ok"
