#!/bin/sh
# test_export_gbench.sh - `export --format gbench` read by Google Benchmark's own compare.py
# (Debian's libbenchmark-tools, with python3-scipy) on two fixture runs of 3 repetitions
# (tests/e2e/export_runs.py) that differ: every name unique (two interpreters, two round_trips
# knobs), the 2x slowdowns show as +1.0000, an unchanged figure shows +0.0000 with a U-test of
# its own (p 1.0), facts and untimed rates are left out with one note on stderr.
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
