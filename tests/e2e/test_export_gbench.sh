#!/bin/sh
# test_export_gbench.sh - `export --format gbench` read by Google Benchmark's own compare.py
# (Debian's libbenchmark-tools, with python3-scipy) on two fixture runs of 3 repetitions
# (tests/e2e/export_runs.py) that differ: every name unique (two interpreters, two round_trips
# knobs), the 2x slowdowns show as +1.0000, an unchanged figure shows +0.0000 with a U-test of
# its own (p 1.0), facts and untimed rates are left out with one note on stderr.  On a run
# with disturbed repetitions (DIR/busy; issue 25): the entries are the repetitions the report
# and compare use (the undisturbed ones), so their median is theirs, (name, repetition_index)
# unique, 0..repetitions-1; stderr names what was left out; a figure disturbed throughout keeps
# every repetition, marked.
. "$(dirname "$0")/../lib/harness.sh"
python3 tests/e2e/export_runs.py "$tmp" || fail "no fixture runs"
for r in base new; do
	"$BUILD/ipcprobe" export --format gbench "$tmp/$r" > "$tmp/$r.json" 2> "$tmp/$r.err" ||
		fail "export of $r failed"
done
[ "$(wc -l < "$tmp/base.err")" -eq 1 ] &&
	grep -q '^ipcprobe export: left out 3 facts (capacities, limits) and 1 rates without a timing' "$tmp/base.err" ||
	{ cat "$tmp/base.err"; fail "stderr does not say what was left out"; }
python3 - "$tmp/base.json" <<'PY' || exit 1
import collections, json, sys
b = json.load(open(sys.argv[1]))["benchmarks"]
per = collections.Counter((x["name"], x["repetition_index"]) for x in b)
assert max(per.values()) == 1, [k for k, v in per.items() if v > 1]
names = {x["name"] for x in b}
assert len(names) == 6 and all(x["repetitions"] == 3 for x in b), names
assert not any(n.startswith(("capacity/", "limits/", "manager/")) for n in names), names
PY
"$BUILD/ipcprobe" export --format gbench "$tmp/busy" > "$tmp/busy.json" 2> "$tmp/busy.err" ||
	fail "export of busy failed"
! grep -q disturbed "$tmp/base.err" || fail "a run with no disturbed case run speaks of disturbance"
grep -q '^ipcprobe export: left out 3 disturbed repetitions of 2 figures (.*): latency/roundtrip/pipe/rtt/size:64/placement:cross_core (2 of 5); throughput/stream/pipe/bandwidth/chunk:65536 (1 of 5)$' "$tmp/busy.err" ||
	{ cat "$tmp/busy.err"; fail "stderr does not name the disturbed repetitions left out"; }
grep -q '^ipcprobe export: 1 figure had no undisturbed repetition, .*: shm/handover/rtt/wake:futex/round_trips:1000 (5)$' "$tmp/busy.err" ||
	{ cat "$tmp/busy.err"; fail "stderr does not name the figure disturbed throughout"; }
"$BUILD/ipcprobe" compare "$tmp/busy" "$tmp/busy" --format json > "$tmp/busy-cmp.json" 2> /dev/null
python3 - "$tmp/busy.json" "$tmp/busy-cmp.json" <<'PY' || exit 1
import collections, json, statistics, sys
b = json.load(open(sys.argv[1]))["benchmarks"]
cmp = {r["key"]: r for r in json.load(open(sys.argv[2]))["results"]}
per = collections.Counter((x["name"], x["repetition_index"]) for x in b)
assert max(per.values()) == 1, [k for k, v in per.items() if v > 1]
def entries(name):
    e = [x for x in b if x["name"] == name]
    assert sorted(x["repetition_index"] for x in e) == list(range(len(e))), e
    assert all(x["repetitions"] == len(e) for x in e), e
    return e
rtt = entries("latency/roundtrip/pipe/rtt/size:64/placement:cross_core")
# The 3 undisturbed repetitions (reps 0, 2, 4): their median is compare's (and summary.json's
# and the report's) 43.2 us, not the 53.7 us of all 5.
assert cmp['latency/roundtrip/pipe/rtt {"placement":"cross_core","size":64}']["median_base"] == 43200
assert statistics.median(x["real_time"] for x in rtt) == 43200, [x["real_time"] for x in rtt]
assert sorted(x["real_time"] for x in rtt) == [40000, 43200, 60000], rtt
assert sorted(x["ipcprobe_rep"] for x in rtt) == [0, 2, 4], rtt
assert not any("ipcprobe_disturbed" in x for x in rtt), rtt
bw = entries("throughput/stream/pipe/bandwidth/chunk:65536")
assert sorted(x["ipcprobe_rep"] for x in bw) == [0, 1, 3, 4], bw
assert max(x["real_time"] for x in bw) < 65536 / 0.3e9 * 1e9, bw	# the disturbed 0.3 GB/s
all5 = entries("shm/handover/rtt/wake:futex/round_trips:1000")
assert len(all5) == 5 and all(x["ipcprobe_disturbed"] is True for x in all5), all5
calm = entries("shm/handover/rtt/wake:futex/round_trips:2000")
assert len(calm) == 5 and not any("ipcprobe_disturbed" in x for x in calm), calm
PY
cmp=""
for f in /usr/share/benchmark/compare.py /usr/share/doc/libbenchmark-tools/compare.py; do
	[ -f "$f" ] && cmp=$f && break
done
[ -n "$cmp" ] || h_skip "compare.py: not installed (Debian: libbenchmark-tools)"
py=""
for p in /usr/bin/python3 python3; do
	"$p" -c 'import scipy, numpy' 2>/dev/null && py=$p && break
done
[ -n "$py" ] || h_skip "compare.py: no python3 with scipy (python3-scipy)"
"$py" "$cmp" benchmarks "$tmp/base.json" "$tmp/new.json" > "$tmp/cmp.raw" 2>&1 ||
	{ cat "$tmp/cmp.raw"; fail "compare.py failed"; }
sed 's/\x1b\[[0-9;]*m//g' "$tmp/cmp.raw" > "$tmp/cmp.txt"
row() { grep -c "^$1 *$2 *$2 " "$tmp/cmp.txt"; }
[ "$(row 'latency/roundtrip/pipe/rtt/size:64/placement:cross_core/warmup:10000000/min_time:20000000' '+1.0000')" -eq 2 ] ||
	{ cat "$tmp/cmp.txt"; fail "compare.py does not show the pipe rtt doubling"; }
[ "$(row 'python/roundtrip/rtt/size:64/interpreter:python3.13' '+1.0000')" -eq 3 ] ||
	{ cat "$tmp/cmp.txt"; fail "compare.py does not show python3.13 doubling"; }
[ "$(row 'python/roundtrip/rtt/size:64/interpreter:python3.11' '+0.0000')" -eq 3 ] ||
	{ cat "$tmp/cmp.txt"; fail "python3.11 is not unchanged in compare.py"; }
# The bandwidth halved: Google Benchmark's time per iteration doubled.
[ "$(row 'throughput/stream/pipe/bandwidth/chunk:65536/placement:cross_core/min_time:20000000' '+1.0000')" -eq 3 ] ||
	{ cat "$tmp/cmp.txt"; fail "compare.py does not show the bandwidth halving"; }
# One U-test per figure, the unchanged one not significant.
[ "$(grep -c '_pvalue ' "$tmp/cmp.txt")" -eq 6 ] || { cat "$tmp/cmp.txt"; fail "not one U-test per figure"; }
grep -q '^python/roundtrip/rtt/size:64/interpreter:python3.11_pvalue *1.0000 *1.0000 ' "$tmp/cmp.txt" ||
	{ cat "$tmp/cmp.txt"; fail "a false U-test for an unchanged figure"; }
! grep -q '^capacity/\|^limits/' "$tmp/cmp.txt" || fail "compare.py shows a fact"
echo "test_export_gbench: ok"
