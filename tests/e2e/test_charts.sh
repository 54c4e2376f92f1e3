#!/bin/sh
# test_charts.sh - every chart of configs/default.yaml's report, of a side-by-side report of
# two runs and of their history, laid out without gnuplot squeezing it, ready for a write-up,
# and coloured and ordered by series (issue 25 items 2 to 4).  From tests/fixtures/default-run, a real default
# run (one repetition; the python probe's records left out, it draws no chart), so no probe
# runs.  tests/charts_check.py checks each report's plots/:
#   - no gnuplot warning in any plots/*.log (and none said on stderr);
#   - each SVG has a width and height, its <title> the chart's title, a named font with
#     fallbacks; its PNG is the same drawing 1.5 times larger; the report links SVG, PNG, data;
#   - a log axis has no decade without data at either end;
#   - one colour per series in every chart; every chart's series and rows in the probes'
#     order (ipcprobe list --json: transports, then each parameter's choices).
# Then: colours go by name, not place (the run with its records reversed and some transports
# gone draws every series left in the colours it had); a chart of every transport and
# placement the probes list comes in exactly their order; and a gnuplot that warns is said on
# stderr, naming the chart.
. "$(dirname "$0")/../lib/harness.sh"
command -v gnuplot >/dev/null 2>&1 || h_skip "gnuplot is not installed: no charts to check"
fixture=tests/fixtures/default-run
check="python3 tests/charts_check.py"
single=capacity,latency,latency_percentiles,limits,manager,shm_handover,throughput
side=grouped_latency,grouped_throughput,grouped_capacity,grouped_capacity_raised,grouped_manager
"$BUILD/ipcprobe" list --json > "$tmp/list.json" || fail "ipcprobe list --json failed"

# One run's report, and two runs side by side (the second another host).
cp -R "$fixture" "$tmp/a"
cp -R "$fixture" "$tmp/b"
python3 - "$tmp/b/run.json" <<'PY'
import json, sys
m = json.load(open(sys.argv[1]))
m["host"] = m["platform"]["hostname"] = "other"
m["ipc_token"] = "0123456789abcdef"
json.dump(m, open(sys.argv[1], "w"))
PY
"$BUILD/ipcprobe" report "$tmp/a" > "$tmp/out" 2> "$tmp/err" || { cat "$tmp/out" "$tmp/err"; fail "report failed"; }
grep "warning" "$tmp/err" && fail "the report warned"
$check "$tmp/a" --charts "$single" --list "$tmp/list.json" || fail "the default run's charts"
"$BUILD/ipcprobe" report "$tmp/a" "$tmp/b" -o "$tmp/side" > "$tmp/out" 2> "$tmp/err" ||
	{ cat "$tmp/out" "$tmp/err"; fail "the side-by-side report failed"; }
grep "warning" "$tmp/err" && fail "the side-by-side report warned"
$check "$tmp/side" --charts "$side" --list "$tmp/list.json" || fail "the side-by-side charts"
# And over time (ipcprobe history): two equal runs, rows without a first value among them.
"$BUILD/ipcprobe" history "$tmp/a" "$tmp/b" -o "$tmp/hist" > "$tmp/out" 2> "$tmp/err" ||
	{ cat "$tmp/out" "$tmp/err"; fail "the history report failed"; }
grep "warning" "$tmp/err" && fail "the history report warned"
$check "$tmp/hist" --charts history || fail "the history chart"

# Colour by name: the records reversed, fifo and unix-stream gone (every series after them
# moves up a place), the charts drawn again: each series left keeps its colour.
mkdir "$tmp/c"
cp "$fixture/run.json" "$tmp/c/"
grep -v '"transport":"\(fifo\|unix-stream\)"' "$fixture/records.jsonl" | sed -n '1!G;h;$p' > "$tmp/c/records.jsonl"
"$BUILD/ipcprobe" report "$tmp/c" > "$tmp/out" 2>&1 || { cat "$tmp/out"; fail "report of the reordered run failed"; }
grep -q '^fifo' "$tmp/c/plots/latency.dat" && fail "fifo was not left out"
$check "$tmp/c" --charts "$single" --list "$tmp/list.json" --same-colours "$tmp/a" ||
	fail "colours or order follow the records' order"

# Every transport and placement the probes list, in a shuffled order: the latency chart's
# series come exactly in --list's order, transports first, then placements.
mkdir "$tmp/all"
python3 - "$tmp/list.json" "$tmp/all" > "$tmp/want" <<'PY'
import json, os, random, sys
listing = json.load(open(sys.argv[1]))
case = [c for p in listing if p["probe"] == "latency" for c in p["cases"] if c["name"] == "roundtrip"][0]
places = [p for p in case["params"] if p["name"] == "placement"][0]["choices"]
recs = []
for t in case["transports"]:
    for k, pl in enumerate(places):
        print("%s/%s" % (t, pl))
        for size in (64, 4096):
            v = 1000.0 * (1 + k) + size
            recs.append({"schema": 1, "probe": "latency", "case": "roundtrip", "transport": t,
                         "params": {"size": size, "placement": pl}, "metric": "rtt",
                         "unit": "ns", "direction": "lower", "status": "ok", "reason": None,
                         "value": v, "rep": 0, "facts": {},
                         "dist": {"n": 100, "min": v, "p50": v, "p90": v, "p99": 2 * v,
                                  "p999": 3 * v, "max": 4 * v, "mean": v, "stddev": 1}})
random.Random(25).shuffle(recs)
with open(os.path.join(sys.argv[2], "records.jsonl"), "w") as f:
    f.writelines(json.dumps(r) + "\n" for r in recs)
json.dump({"schema": 1, "status": "complete", "host": "all", "platform": {"os": "Linux"}},
          open(os.path.join(sys.argv[2], "run.json"), "w"))
PY
"$BUILD/ipcprobe" report "$tmp/all" > "$tmp/out" 2>&1 || { cat "$tmp/out"; fail "report of every transport failed"; }
awk 'NR == 1 || prev == "" { print $1 } { prev = $0 }' "$tmp/all/plots/latency.dat" | grep -v '^$' > "$tmp/got"
diff "$tmp/want" "$tmp/got" > "$tmp/diff" || { cat "$tmp/diff"; fail "the latency chart's series are not in --list's order"; }
$check "$tmp/all" --charts latency,latency_percentiles --list "$tmp/list.json" || fail "the chart of every transport"

# A gnuplot that warns: the report says so on stderr, naming the chart and its log.
mkdir "$tmp/bin"
real=$(command -v gnuplot)
cat > "$tmp/bin/gnuplot" <<SH
#!/bin/sh
"$real" "\$@"; rc=\$?
echo '"latency.gp" line 1: warning: made up by test_charts' >&2
exit \$rc
SH
chmod +x "$tmp/bin/gnuplot"
PATH="$tmp/bin:$PATH" "$BUILD/ipcprobe" report "$tmp/all" > "$tmp/out" 2> "$tmp/err" || { cat "$tmp/out" "$tmp/err"; fail "report failed"; }
grep -q "^ipcprobe: warning: chart latency: gnuplot said 1 line, the first: \"latency.gp\" line 1: warning: made up by test_charts (all in $tmp/all/plots/latency.log)$" "$tmp/err" ||
	{ cat "$tmp/err"; fail "a gnuplot warning was not said on stderr"; }
$check "$tmp/all" --charts latency > "$tmp/out" 2>&1 && fail "charts_check passed a chart gnuplot warned about"
grep -q "gnuplot warned drawing latency: .*made up by test_charts" "$tmp/out" || { cat "$tmp/out"; fail "charts_check did not name the warning"; }
echo "test_charts: ok"
