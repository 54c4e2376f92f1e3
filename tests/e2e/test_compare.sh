#!/bin/sh
# test_compare.sh - compare's rule on runs written here with known figures: a shift within
# the repetitions' own noise is not a regression, a 2x slowdown is (exit 1), facts that change
# are reported, a case that now fails is a regression, three repetitions are too few to tell,
# and export writes Google Benchmark and github-action-benchmark JSON.
. "$(dirname "$0")/../lib/harness.sh"

python3 - "$tmp" <<'PY'
import json, os, sys
tmp = sys.argv[1]
def rec(metric, unit, direction, value, rep, status="ok", case="roundtrip", probe="latency"):
    return {"schema": 1, "probe": probe, "case": case, "transport": "pipe",
            "params": {"size": 64}, "metric": metric, "unit": unit, "direction": direction,
            "status": status, "reason": None if status == "ok" else "exit 1: boom",
            "value": value if status == "ok" else None, "rep": rep}
def run(name, rtts, cap=65536, bw_status="ok"):
    os.makedirs(os.path.join(tmp, name))
    with open(os.path.join(tmp, name, "records.jsonl"), "w") as f:
        for i, v in enumerate(rtts):
            f.write(json.dumps(rec("rtt", "ns", "lower", v, i)) + "\n")
            f.write(json.dumps(rec("bandwidth", "bytes_per_s", "higher", 1e9, i, bw_status,
                                   "stream", "throughput")) + "\n")
        f.write(json.dumps(rec("capacity", "bytes", "none", cap, 0, "ok", "fill_nonblocking",
                               "capacity")) + "\n")
    started = {"base": 1, "aa": 2, "slow": 3}.get(name, 4)
    # The slow run was measured in an emulated VM (the kernel lab's guests say so).
    platform = {"virtual_machine": True, "cpu_execution": "emulated (QEMU TCG)"} \
        if name == "slow" else {"virtual_machine": False, "cpu_execution": "native"}
    json.dump({"schema": 1, "name": name, "status": "complete", "platform": platform,
               "started": "2026-11-0%dT00:00:00Z" % started},
              open(os.path.join(tmp, name, "run.json"), "w"))
run("base", [8000, 8500, 10000, 11500, 11600])      # spread 30% of the median, ends trimmed
run("aa", [11400, 11700, 12000, 12500, 13000])        # +20%: significant, within the noise
run("stray", [10000, 10200, 10400, 10600, 95000])     # one repetition in the slow mode
run("slow", [20000, 21000, 22000, 23000, 24000], cap=131072, bw_status="failed")
run("base3", [9000, 10000, 10500])
run("three", [20000, 21000, 22000])
# Broken NEW runs (issue 15): killed (incomplete, records in .partial, one case lost), and
# complete but with an empty records file.
run("killed", [8100, 8600, 10100, 11400, 11500])
d = os.path.join(tmp, "killed")
lines = open(d + "/records.jsonl").read().splitlines()
open(d + "/records.jsonl.partial", "w").write("\n".join(l for l in lines if "capacity" not in l) + "\n")
os.remove(d + "/records.jsonl")
json.dump({"schema": 1, "name": "killed", "status": "incomplete",
           "reason": "the runner (pid 42) died before the run ended (killed?)",
           "started": "2026-11-05T00:00:00Z"}, open(d + "/run.json", "w"))
run("empty", [1])
d = os.path.join(tmp, "empty")
open(d + "/records.jsonl", "w").close()
json.dump({"schema": 1, "name": "empty", "status": "complete", "cases": [{"status": "ok"}],
           "started": "2026-11-06T00:00:00Z"}, open(d + "/run.json", "w"))
PY

# A killed NEW run or an empty one never passes the gate silently, in any format; an explicit
# option judges what is there.
for fmt in text markdown json; do
	"$BUILD/ipcprobe" compare "$tmp/base" "$tmp/killed" --format $fmt > "$tmp/k.out" 2> "$tmp/k.err"
	[ $? -eq 1 ] || { cat "$tmp/k.out" "$tmp/k.err"; fail "a killed NEW run passed the gate ($fmt)"; }
	cat "$tmp/k.out" "$tmp/k.err" | grep -q "NEW ($tmp/killed) is incomplete: the runner" ||
		{ cat "$tmp/k.out" "$tmp/k.err"; fail "compare did not say NEW is incomplete ($fmt)"; }
	cat "$tmp/k.out" "$tmp/k.err" | grep -q "1 figure of BASE is missing from NEW" ||
		fail "compare did not say a figure is missing ($fmt)"
	"$BUILD/ipcprobe" compare "$tmp/base" "$tmp/empty" --format $fmt > "$tmp/e.out" 2>&1
	[ $? -eq 1 ] || { cat "$tmp/e.out"; fail "an empty NEW run passed the gate ($fmt)"; }
	grep -q "has no records although run.json lists case runs" "$tmp/e.out" ||
		{ cat "$tmp/e.out"; fail "compare did not say NEW has no records ($fmt)"; }
done
grep -q '"fails": true' "$tmp/k.out" || fail "compare --format json does not say it fails"
"$BUILD/ipcprobe" compare "$tmp/base" "$tmp/killed" --allow-incomplete >/dev/null 2>&1
[ $? -eq 1 ] || fail "--allow-incomplete alone also excused a missing figure"
"$BUILD/ipcprobe" compare "$tmp/base" "$tmp/killed" --allow-incomplete --allow-missing >/dev/null 2>&1
[ $? -eq 0 ] || fail "--allow-incomplete --allow-missing did not judge what is there"

"$BUILD/ipcprobe" compare "$tmp/base" "$tmp/aa" --format json > "$tmp/aa.json"
[ $? -eq 0 ] || fail "an A/A-like shift within the noise exited non-zero"
"$BUILD/ipcprobe" compare "$tmp/base" "$tmp/slow" --format json > "$tmp/slow.json"
[ $? -eq 1 ] || fail "a 2x slowdown did not exit 1"
"$BUILD/ipcprobe" compare "$tmp/stray" "$tmp/slow" > "$tmp/stray.txt"
[ $? -eq 1 ] || { cat "$tmp/stray.txt"; fail "one stray repetition hid a 2x slowdown"; }
"$BUILD/ipcprobe" compare "$tmp/base3" "$tmp/three" --format json > "$tmp/three.json"
[ $? -eq 0 ] || fail "three repetitions each exited non-zero"
"$BUILD/ipcprobe" compare "$tmp/base" "$tmp/slow" --format markdown > "$tmp/slow.md"
grep -q "^| regression | \`latency/roundtrip/pipe/rtt" "$tmp/slow.md" || fail "markdown lacks the regression row"
python3 - "$tmp" <<'PY' || exit 1
import json, os, sys
tmp = sys.argv[1]
def verdicts(name):
    d = json.load(open(os.path.join(tmp, name + ".json")))
    return {r["key"].split(" ")[0]: r for r in d["results"]}
aa = verdicts("aa")["latency/roundtrip/pipe/rtt"]
assert aa["verdict"] == "no significant change" and aa["p"] < 0.05 and aa["worse_by"] < aa["noise"], aa
slow = verdicts("slow")
assert slow["latency/roundtrip/pipe/rtt"]["verdict"] == "regression", slow
assert slow["capacity/fill_nonblocking/pipe/capacity"]["verdict"] == "changed", slow
assert slow["throughput/stream/pipe/bandwidth"]["verdict"] == "regression (now failing)", slow
three = verdicts("three")["latency/roundtrip/pipe/rtt"]
assert three["verdict"] == "too few repetitions", three
PY
"$BUILD/ipcprobe" compare "$tmp/base" "$tmp/nonexistent" > /dev/null 2>&1; [ $? -eq 2 ] || fail "a missing run did not exit 2"
"$BUILD/ipcprobe" compare "$tmp/base" "$tmp/aa" --threshold lots > /dev/null 2>&1; [ $? -eq 2 ] || fail "a bad threshold did not exit 2"
for t in nan% inf% -1% 10001%; do
	"$BUILD/ipcprobe" compare "$tmp/base" "$tmp/aa" --threshold "$t" > /dev/null 2>&1
	[ $? -eq 2 ] || fail "--threshold $t did not exit 2"
done

# The same runs side by side in one report: the 2x slowdown shows as the ratio 2.20.
"$BUILD/ipcprobe" report "$tmp/base" "$tmp/slow" -o "$tmp/side" > /dev/null || fail "report of two runs failed"
grep -q '^| latency/roundtrip/pipe/rtt {"size":64} | 10 us | 22 us | 2.20 |' "$tmp/side/report.md" ||
	{ grep rtt "$tmp/side/report.md"; fail "the side-by-side report lacks the rtt row"; }
# Which runs ran in a VM, and how, and what that means for their timings.
grep -q '| emulated (QEMU TCG) |' "$tmp/side/report.md" && grep -q '| native |' "$tmp/side/report.md" ||
	fail "the runs table does not say how each run's CPU executed it"
grep -q 'ran inside a virtual machine.*their timings are the VM' "$tmp/side/report.md" ||
	fail "the side-by-side report does not warn that a VM's timings are the VM's"
"$BUILD/ipcprobe" report "$tmp/base" "$tmp/slow" > /dev/null 2>&1; [ $? -eq 2 ] || fail "two runs without -o did not exit 2"
# Grouped charts: a cluster per transport, a bar per run, only for figures two runs have
# (bandwidth failed in slow, so it has no chart).
for c in grouped_latency grouped_capacity; do
	[ -s "$tmp/side/plots/$c.png" ] && [ -s "$tmp/side/plots/$c.svg" ] || fail "no $c chart"
	grep -q "](plots/$c.png)" "$tmp/side/report.md" || fail "report.md does not show $c"
done
[ ! -e "$tmp/side/plots/grouped_throughput.dat" ] || fail "a throughput chart from one run only"
grep -q '^"pipe" 10 22$' "$tmp/side/plots/grouped_latency.dat" ||
	{ cat "$tmp/side/plots/grouped_latency.dat"; fail "the latency chart's data is not the medians in us"; }
[ "$(grep -c '<figure id="chart-grouped_[a-z_]*"><svg' "$tmp/side/report.html")" -eq 2 ] || fail "report.html lacks the two inline charts"

# History: runs in the order they started (given out of order), the chosen figure over them.
"$BUILD/ipcprobe" history "$tmp/slow" "$tmp/base" "$tmp/aa" -o "$tmp/hist" --match rtt > /dev/null ||
	fail "history failed"
grep -q '^| latency/roundtrip/pipe/rtt {"size":64} | 10 us | 12 us | 22 us |' "$tmp/hist/report.md" ||
	{ grep rtt "$tmp/hist/report.md"; fail "history lacks the rtt row in start order"; }
[ -s "$tmp/hist/plots/history.png" ] || fail "history drew no chart"

# Exports in detail: test_export_gab, test_export_gbench, test_export_csv.
"$BUILD/ipcprobe" export --format gbench "$tmp/base" > "$tmp/gb.json" 2>/dev/null || fail "export gbench failed"
"$BUILD/ipcprobe" export --format github-action-benchmark "$tmp/base" > "$tmp/small.json" 2>/dev/null || fail "export gab failed"
"$BUILD/ipcprobe" export --format github-action-benchmark --direction bigger "$tmp/base" > "$tmp/big.json" 2>/dev/null || fail "export gab bigger failed"
python3 - "$tmp" <<'PY' || exit 1
import json, os, sys
tmp = sys.argv[1]
gb = json.load(open(os.path.join(tmp, "gb.json")))
# The rtt's 5 repetitions; the capacity (a fact) and the untimed bandwidth are left out.
assert "context" in gb and len(gb["benchmarks"]) == 5, len(gb["benchmarks"])
b = [x for x in gb["benchmarks"] if "/rtt" in x["name"]][0]
assert b["time_unit"] == "ns" and b["real_time"] == 8000 and b["run_type"] == "iteration", b
small = json.load(open(os.path.join(tmp, "small.json")))
big = json.load(open(os.path.join(tmp, "big.json")))
assert [(e["unit"], e["value"]) for e in small] == [("ns", 10000)], small  # one median per name
assert [(e["unit"], e["value"]) for e in big] == [("bytes_per_s", 1e9)], big
PY
# Words of a foreign run that compare prints (issue 28 item 10): run.json's status and
# reason, and the reason a lost figure's NEW record gives, reach the terminal and the table
# without a control character or '|' (an ESC sequence retitled the terminal, "\r\e[2K"
# erased the line with the verdict, a '|' broke the Markdown table).
cp -r "$tmp/base" "$tmp/hostile"
python3 - "$tmp/hostile" <<'PY'
import json, os, sys
d = sys.argv[1]
meta = json.load(open(os.path.join(d, "run.json")))
meta["status"] = "incomplete\x1b]0;pwned\x07"
meta["reason"] = "killed\r\x1b[2K| all good |"
json.dump(meta, open(os.path.join(d, "run.json"), "w"))
recs = [json.loads(l) for l in open(os.path.join(d, "records.jsonl"))]
for r in recs:
    if r["metric"] == "capacity":
        r.update(status="unsupported", value=None, reason="gone\x1b[31m red | cell\nline")
open(os.path.join(d, "records.jsonl"), "w").write("".join(json.dumps(r) + "\n" for r in recs))
PY
for fmt in text markdown; do
	"$BUILD/ipcprobe" compare "$tmp/base" "$tmp/hostile" --format $fmt > "$tmp/hout" 2>&1
	python3 - "$tmp/hout" $fmt <<'PY' || fail "compare --format $fmt printed a foreign run's control characters or bars"
import sys
out = open(sys.argv[1], "rb").read()
assert b"\x1b" not in out and b"\r" not in out and b"\x07" not in out, out
assert b"pwned" in out and b"gone" in out, out     # the words are there, made harmless
assert b"| all good |" not in out and b"red | cell" not in out, out
PY
done
echo "test_compare: ok"
