#!/bin/sh
# test_compare_rules.sh - compare's rules of issue 16 on runs written here with known figures:
# overlapping 95% intervals are never a regression (even when Mann-Whitney and the threshold
# would call it one), a ratio of timings that moves inside its intervals is unchanged, and a
# figure whose every repetition was disturbed is not judged (the gate fails unless
# --allow-disturbed) while a fact of the same case runs is still judged; the report shows the
# intervals and the disturbed repetitions.  Each verdict names
# the rule that decided it.
# And the holes of issue 28 in the gate: a duration of 0 or -0 is refused at load (exit 2,
# naming file, line and field), a zero median is never divided by ("not comparable: zero
# median"), a figure ok in BASE and unsupported or failing in every repetition of NEW is lost
# (exit 1, said first), a NEW without one ok figure fails even with --allow-missing, and the
# same run given twice on one side is refused (exit 2, both arguments named).
. "$(dirname "$0")/../lib/harness.sh"

python3 - "$tmp" <<'PY'
import json, os, sys
tmp = sys.argv[1]
def rec(metric, unit, direction, value, rep, k):
    return {"schema": 1, "probe": "latency", "case": "roundtrip", "transport": "pipe",
            "params": {"size": 64}, "metric": metric, "unit": unit, "direction": direction,
            "status": "ok", "reason": None, "value": value, "rep": rep, "case_run": k}
def run(name, rtts, ratios, disturbed=False):
    d = os.path.join(tmp, name)
    os.makedirs(d)
    cases = []
    with open(os.path.join(d, "records.jsonl"), "w") as f:
        for i, (v, q) in enumerate(zip(rtts, ratios)):
            dist = disturbed[i] if isinstance(disturbed, list) else disturbed
            f.write(json.dumps(rec("rtt", "ns", "lower", v, i, i)) + "\n")
            f.write(json.dumps(rec("fault_ratio", "ratio", "none", q, i, i)) + "\n")
            f.write(json.dumps(rec("capacity", "bytes", "none", 65536, i, i)) + "\n")
            cases.append({"index": 0, "rep": i, "status": "ok", "label": "latency/roundtrip pipe size=64",
                          "machine": {"disturbed": dist, "disturbed_why":
                                      "other processes used 92% of the CPU time" if dist else None,
                                      "foreign_cpu_share": 0.92 if dist else 0.01,
                                      "steal_share": 0.0}})
    json.dump({"schema": 1, "name": name, "status": "complete", "cases": cases},
              open(os.path.join(d, "run.json"), "w"))
# Six repetitions: each median's interval is min..max (96.9%).  NEW is 25% slower by the
# medians and Mann-Whitney calls it significant, but the intervals touch at 110.
run("base", [100, 102, 104, 106, 108, 110], [180, 185, 190, 195, 200, 205])
run("touch", [110, 130, 131, 132, 133, 134], [190, 192, 194, 196, 198, 200])
run("apart", [130, 131, 132, 133, 134, 135], [250, 251, 252, 253, 254, 255])
run("busy", [300, 310, 320, 330, 340, 350], [190, 192, 194, 196, 198, 200], disturbed=True)
# Two of eight repetitions disturbed (and slow): the table's p50 leaves them out as its
# interval does (with all eight the median would be 107 ns).
run("mixed", [100, 102, 104, 106, 108, 110, 900, 950], [190] * 8, disturbed=[False] * 6 + [True] * 2)
PY

verdict() { # FILE KEY-SUBSTRING -> "verdict|rule"
	python3 - "$1" "$2" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
r = [r for r in d["results"] if sys.argv[2] in r["key"]][0]
print(r["verdict"] + "|" + r["rule"])
PY
}

"$BUILD/ipcprobe" compare "$tmp/base" "$tmp/touch" --format json > "$tmp/t.json"
[ $? -eq 0 ] || { cat "$tmp/t.json"; fail "overlapping intervals made a regression (exit != 0)"; }
v=$(verdict "$tmp/t.json" "/rtt ")
[ "$v" = "no significant change|the medians' intervals overlap" ] || fail "touching intervals: got '$v'"
v=$(verdict "$tmp/t.json" "/fault_ratio ")
[ "$v" = "unchanged|the values' intervals overlap" ] || fail "a ratio inside its intervals: got '$v'"

"$BUILD/ipcprobe" compare "$tmp/base" "$tmp/apart" --format json > "$tmp/a.json"
[ $? -eq 1 ] || fail "a 26% slowdown with intervals apart did not fail the gate"
v=$(verdict "$tmp/a.json" "/rtt ")
case "$v" in "regression|intervals apart, p = 0.002, +26.2% beyond the threshold 10% and the noise"*) ;;
	*) fail "intervals apart: got '$v'" ;; esac
v=$(verdict "$tmp/a.json" "/fault_ratio ")
[ "$v" = "changed|the values' intervals are apart" ] || fail "a ratio outside its intervals: got '$v'"

"$BUILD/ipcprobe" compare "$tmp/base" "$tmp/busy" --format json > "$tmp/b.json" 2> "$tmp/b.err"
[ $? -eq 1 ] || fail "a run disturbed throughout passed the gate"
grep -q "failing: figures could not be judged: every repetition of a run was disturbed" "$tmp/b.err" ||
	{ cat "$tmp/b.err"; fail "compare did not say why it fails on a disturbed run"; }
v=$(verdict "$tmp/b.json" "/rtt ")
[ "$v" = "disturbed: not judged|every repetition of NEW was disturbed (6)" ] || fail "disturbed timing: got '$v'"
v=$(verdict "$tmp/b.json" "/capacity ")
[ "$v" = "unchanged|the same value" ] || fail "a fact of disturbed case runs was not judged: got '$v'"
"$BUILD/ipcprobe" compare "$tmp/base" "$tmp/busy" --allow-disturbed > /dev/null 2>&1
[ $? -eq 0 ] || fail "--allow-disturbed did not pass a run whose only problem is disturbance"
"$BUILD/ipcprobe" compare "$tmp/base" "$tmp/busy" --format markdown 2>/dev/null | grep -q "| disturbed: not judged | \`latency/roundtrip/pipe/rtt" ||
	fail "markdown lacks the disturbed row"
# The report shows each median's interval, and the disturbed repetitions it left out.
"$BUILD/ipcprobe" report "$tmp/base" > /dev/null 2>&1 || fail "report of base failed"
grep -q "| pipe | 64 B | 105 ns | \[100 ns – 110 ns\] 96.9% |" "$tmp/base/report.md" ||
	{ grep "| pipe |" "$tmp/base/report.md"; fail "the latency table lacks the p50's interval"; }
"$BUILD/ipcprobe" report "$tmp/busy" > /dev/null 2>&1 || fail "report of busy failed"
grep -q "| pipe | 64 B | 325 ns | — disturbed 6/6 |" "$tmp/busy/report.md" ||
	{ grep "| pipe |" "$tmp/busy/report.md"; fail "the latency table does not say the repetitions were disturbed"; }
# The summary says it for every section: how many case runs, and the cases with no others.
grep -q "6 of 6 case runs were disturbed.* One case has none, and its figures were measured under that load: latency/roundtrip pipe size=64\." "$tmp/busy/report.md" ||
	fail "the report's summary does not name the case measured only under load"
"$BUILD/ipcprobe" report "$tmp/mixed" > /dev/null 2>&1 || fail "report of mixed failed"
grep -q "| pipe | 64 B | 105 ns | \[100 ns – 110 ns\] 96.9% disturbed 2/8 |" "$tmp/mixed/report.md" ||
	{ grep "| pipe |" "$tmp/mixed/report.md"; fail "the p50 is not of the undisturbed repetitions its interval is of"; }
grep -q "^2 of 8 case runs were disturbed: .*undisturbed repetitions\.$" "$tmp/mixed/report.md" ||
	fail "the report's summary does not count the disturbed case runs"
grep -q "case runs were disturbed" "$tmp/base/report.md" && fail "an undisturbed run's report speaks of disturbance"

# ---- issue 28 items 4, 5 and 7 -----------------------------------------------------------
python3 - "$tmp" <<'PY'
import json, os, sys
tmp = sys.argv[1]
def write(name, recs, token=None):
    """recs: (metric, unit, direction, status, value) per repetition, a list per repetition."""
    d = os.path.join(tmp, name)
    os.makedirs(d)
    with open(os.path.join(d, "records.jsonl"), "w") as f:
        for rep, rs in enumerate(recs):
            for metric, unit, direction, status, value in rs:
                f.write(json.dumps({"schema": 1, "probe": "shm", "case": "touch",
                                    "transport": None, "params": {"size": 4096},
                                    "metric": metric, "unit": unit, "direction": direction,
                                    "status": status,
                                    "reason": None if status == "ok" else
                                    "memfd_create: not found when this build was configured",
                                    "value": value if status == "ok" else None,
                                    "rep": rep}) + "\n")
    meta = {"schema": 1, "name": name, "status": "complete"}
    if token:
        meta["ipc_token"] = token
    json.dump(meta, open(os.path.join(d, "run.json"), "w"))
def reps(*cols):
    return [list(r) for r in zip(*cols)]
def col(metric, unit, direction, values, status="ok"):
    return [(metric, unit, direction, status, v) for v in values]
six = [100, 102, 104, 106, 108, 110]
# Item 4: a duration of -0 or 0 in BASE against 45 us in NEW.
write("negzero", reps(col("rtt", "ns", "lower", [-0.0] * 6)))
write("poszero", reps(col("rtt", "ns", "lower", [0] * 6)))
write("us45", reps(col("rtt", "ns", "lower", [45000 + i for i in range(6)])))
# ...and a count (lower is better) whose BASE median is 0, and a rate that falls to 0.
write("cnt0", reps(col("faults", "count", "lower", [0] * 6),
                   col("rate", "ops_per_s", "higher", [1e6 + i for i in range(6)])))
write("cnt5", reps(col("faults", "count", "lower", [5, 6, 7, 8, 9, 10]),
                   col("rate", "ops_per_s", "higher", [0] * 6)))
# Item 5: a figure ok in BASE, unsupported in every repetition of NEW (the rest unchanged);
# one ok in some repetitions of BASE and failed in every one of NEW; a NEW with nothing ok.
write("feat", reps(col("rtt", "ns", "lower", six), col("map_ns", "ns", "lower", six),
                   col("flaky", "ns", "lower", six[:3]) + col("flaky", "ns", "lower", [0] * 3,
                                                                  "failed")))
write("featlost", reps(col("rtt", "ns", "lower", six),
                       col("map_ns", "ns", "lower", [0] * 6, "unsupported"),
                       col("flaky", "ns", "lower", six[:3]) +
                       col("flaky", "ns", "lower", [0] * 3, "failed")))
write("flakyfails", reps(col("rtt", "ns", "lower", six), col("map_ns", "ns", "lower", six),
                         col("flaky", "ns", "lower", [0] * 6, "failed")))
write("nothing", reps(col("rtt", "ns", "lower", [0] * 6, "unsupported"),
                      col("map_ns", "ns", "lower", [0] * 6, "unsupported"),
                      col("flaky", "ns", "lower", [0] * 6, "unsupported")))
# Item 7: one run under two names (a copy keeps its run.json ipc_token), and another run.
write("tok1", reps(col("rtt", "ns", "lower", six)), token="00000000000000a1")
write("tok2", reps(col("rtt", "ns", "lower", [v + 1 for v in six])), token="00000000000000a2")
write("tok3", reps(col("rtt", "ns", "lower", [v * 2 for v in six])), token="00000000000000a3")
PY
cp -r "$tmp/tok1" "$tmp/tok1-copy"
ln -s "$tmp/feat" "$tmp/feat-link"

# Item 4: a duration of -0 or 0 is no measurement; the records are refused, naming where.
for z in negzero poszero; do
	"$BUILD/ipcprobe" compare "$tmp/$z" "$tmp/us45" > "$tmp/z.out" 2> "$tmp/z.err"
	rc=$?
	[ $rc -eq 2 ] || { cat "$tmp/z.out" "$tmp/z.err"; fail "a BASE rtt of $z against 45 us: exit $rc, not 2"; }
	grep -q "^ipcprobe compare: $tmp/$z/records.jsonl:1:[0-9]*: \"value\" -\{0,1\}0 is no duration" "$tmp/z.err" ||
		{ cat "$tmp/z.err"; fail "the refusal of a $z duration does not name file, line and field"; }
done
# A count's zero median is not divided by: the 0 -> 5 faults and the rate that fell to 0 are
# not comparable, and NEW is worse in both (the gate fails); no infinity is printed.
"$BUILD/ipcprobe" compare "$tmp/cnt0" "$tmp/cnt5" --format json > "$tmp/c.json"
[ $? -eq 1 ] || { cat "$tmp/c.json"; fail "a count from 0 to 5 and a rate fallen to 0 passed the gate"; }
for k in /faults /rate; do
	v=$(verdict "$tmp/c.json" "$k ")
	case "$v" in "not comparable: zero median|"*) ;; *) fail "zero median of $k: got '$v'" ;; esac
done
python3 - "$tmp/c.json" <<'PY' || fail "a zero median gave a worse_by"
import json, sys
assert all(r["worse_by"] is None for r in json.load(open(sys.argv[1]))["results"])
PY
"$BUILD/ipcprobe" compare "$tmp/cnt0" "$tmp/cnt5" > "$tmp/c.txt"
grep -qiE '(^|[^a-z])[+-]?inf([^a-z]|$)' "$tmp/c.txt" && { cat "$tmp/c.txt"; fail "compare printed an infinity"; }

# Item 5: a lost figure fails the gate like a missing one, named first and in the table.
"$BUILD/ipcprobe" compare "$tmp/feat" "$tmp/featlost" --format json > "$tmp/l.json" 2> "$tmp/l.err"
[ $? -eq 1 ] || { cat "$tmp/l.json" "$tmp/l.err"; fail "a figure ok in BASE and unsupported in NEW passed the gate"; }
v=$(verdict "$tmp/l.json" "/map_ns ")
[ "$v" = "lost (now unsupported)|ok in BASE, unsupported in every repetition of NEW: memfd_create: not found when this build was configured" ] ||
	fail "a lost feature: got '$v'"
grep -q "ipcprobe compare: 1 figure measured in BASE is lost in NEW" "$tmp/l.err" ||
	{ cat "$tmp/l.err"; fail "compare did not say first that a figure is lost"; }
grep -q "failing: figures measured in BASE are lost in NEW" "$tmp/l.err" ||
	{ cat "$tmp/l.err"; fail "compare did not say why it fails on a lost figure"; }
"$BUILD/ipcprobe" compare "$tmp/feat" "$tmp/featlost" 2>/dev/null | grep -q "^lost (now unsupported) .*/map_ns " ||
	fail "the text table lacks the lost row"
"$BUILD/ipcprobe" compare "$tmp/feat" "$tmp/featlost" --allow-missing > /dev/null 2>&1
[ $? -eq 0 ] || fail "--allow-missing did not excuse a feature dropped on purpose"
# Failing in every repetition of NEW is a regression even when BASE failed some.
"$BUILD/ipcprobe" compare "$tmp/feat" "$tmp/flakyfails" --format json > "$tmp/f.json" 2> /dev/null
[ $? -eq 1 ] || fail "a figure now failing in every repetition (BASE failed some) passed the gate"
v=$(verdict "$tmp/f.json" "/flaky ")
case "$v" in "regression (now failing)|"*) ;; *) fail "now failing: got '$v'" ;; esac
# A NEW with no ok figure at all never passes, whatever is allowed.
"$BUILD/ipcprobe" compare "$tmp/feat" "$tmp/nothing" --allow-missing --allow-incomplete \
	--allow-disturbed > /dev/null 2> "$tmp/n.err"
[ $? -eq 1 ] || { cat "$tmp/n.err"; fail "a NEW whose every record is unsupported passed the gate"; }
grep -q "NEW has no ok figure" "$tmp/n.err" || { cat "$tmp/n.err"; fail "compare did not say NEW measured nothing"; }
cp -r "$tmp/nothing" "$tmp/nothing-too"
"$BUILD/ipcprobe" compare "$tmp/nothing" "$tmp/nothing-too" > /dev/null 2>&1
[ $? -eq 1 ] || fail "two runs that measured nothing passed the gate"

# Item 7: the same run twice on one side is refused before anything is judged: by its
# directory (however spelled) or by run.json ipc_token (a copy).
for dup in "$tmp/feat $tmp/feat" "$tmp/feat $tmp/./feat" "$tmp/feat $tmp/feat-link"; do
	# shellcheck disable=SC2086
	"$BUILD/ipcprobe" compare $dup --vs "$tmp/featlost" > "$tmp/d.out" 2> "$tmp/d.err"
	rc=$?
	[ $rc -eq 2 ] || { cat "$tmp/d.out" "$tmp/d.err"; fail "the same run twice in BASE ($dup): exit $rc, not 2"; }
	set -- $dup
	grep -qF "BASE run 1 ($1) and BASE run 2 ($2) are the same run" "$tmp/d.err" ||
		{ cat "$tmp/d.err"; fail "the refusal of $dup does not name both arguments"; }
	[ -s "$tmp/d.out" ] && fail "compare judged runs it refused"
done
"$BUILD/ipcprobe" compare "$tmp/tok2" --vs "$tmp/tok3" "$tmp/tok1" "$tmp/tok1-copy" > "$tmp/d.out" 2> "$tmp/d.err"
[ $? -eq 2 ] || fail "a copy of a run beside it in NEW was pooled"
grep -qF "NEW run 2 ($tmp/tok1) and NEW run 3 ($tmp/tok1-copy) are the same run (run.json ipc_token 00000000000000a1)" "$tmp/d.err" ||
	{ cat "$tmp/d.err"; fail "the refusal of a copied run does not name both arguments and the run id"; }
"$BUILD/ipcprobe" compare "$tmp/tok1" "$tmp/tok2" --vs "$tmp/tok3" > /dev/null 2>&1
[ $? -eq 1 ] || fail "two distinct runs a side were refused or misjudged"
echo "test_compare_rules: ok"
