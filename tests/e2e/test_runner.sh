#!/bin/sh
# test_runner.sh - the runner against a probe that misbehaves on request (tests/probes/
# selftest.c): every ending gets its named status and reason, the run goes on, the exit
# status says what happened, and nothing of the probes survives.
. "$(dirname "$0")/../lib/harness.sh"
IPCPROBE_PROBE_DIR=$(pwd)/$BUILD/tests/probes
export IPCPROBE_PROBE_DIR

cat > "$tmp/all.yaml" <<YAML
name: selftest-all
timeout: 1s
probes:
  - probe: selftest
    cases: [ok, unsupported, crash, garbage, silent, exit1, hang]
  - probe: selftest
    cases: [ok]
    params:
      value: [1, 2]
YAML
"$BUILD/ipcprobe" run "$tmp/all.yaml" -o "$tmp/run" > "$tmp/out" 2>&1
rc=$?
[ $rc -eq 1 ] || { cat "$tmp/out"; fail "a run with failures exited $rc, not 1"; }
python3 - "$tmp/run" <<'PY' || exit 1
import json, os, sys
run = sys.argv[1]
meta = json.load(open(os.path.join(run, "run.json")))
assert meta["status"] == "complete", meta["status"]
assert meta["summary"] == {"ok": 3, "unsupported": 1, "failed": 4, "timeout": 1}, meta["summary"]
lines = open(os.path.join(run, "records.jsonl")).read().splitlines()
recs = [json.loads(l) for l in lines]
by = {}
for r in recs:
    assert r["rep"] == 0 and r["schema"] == 1, r
    by.setdefault(r["case"], []).append(r)
def status(case):
    return [(r["status"], r["reason"]) for r in by[case]]
assert sorted(r["value"] for r in by["ok"]) == [1.0, 2.0, 42.0], by["ok"]
assert status("unsupported") == [("unsupported", "selftest: this case is never supported (on purpose)")], status("unsupported")
crash = status("crash")
assert crash[0][0] == "ok" and crash[1][0] == "failed" and "SIGSEGV" in crash[1][1], crash
assert status("garbage")[0][0] == "failed" and "malformed record on line 1" in status("garbage")[0][1], status("garbage")
assert status("silent") == [("failed", "exited 0 without a record")], status("silent")
assert status("exit1")[0][0] == "failed" and status("exit1")[0][1].startswith("exit 1: "), status("exit1")
hang = status("hang")
assert hang[0][0] == "timeout" and "no result within 1 s" in hang[0][1], hang
for c in meta["cases"]:
    assert os.path.exists(os.path.join(run, c["log"])), c
print("test_runner: statuses and reasons as expected; %d records" % len(recs))
PY
grep -q "SIGSEGV" "$tmp/out" || fail "the summary does not show the crash"
# The hang case's child (same process group) is gone too.
# SIGKILL is delivered at once, but a process takes a moment to be gone: one that survives
# keeps this waiting until the test's deadline, which names it.
h_wait_gone selftest

# A probe that writes 192 MiB to stderr before it fails: the reason is its last line, and the
# runner reads only the end of the log (its peak memory stays far below the log's size; the
# runner reading the log whole, as it once did, peaked above 192 MiB).
cat > "$tmp/shout.yaml" <<YAML
probes:
  - probe: selftest
    cases: [shout]
YAML
"$BUILD/ipcprobe" run "$tmp/shout.yaml" -o "$tmp/shout" > "$tmp/out" 2>&1
[ $? -eq 1 ] || { cat "$tmp/out"; fail "a run whose only case failed did not exit 1"; }
python3 - "$tmp/shout" <<'PY' || fail "the shouting probe's ending is not as expected"
import json, os, sys
meta = json.load(open(os.path.join(sys.argv[1], "run.json")))
case = meta["cases"][0]
assert case["status"] == "failed", case
assert case["reason"] == "exit 1: selftest: my last words after 192 MiB", case["reason"]
log = os.path.getsize(os.path.join(sys.argv[1], case["log"]))
assert log > 192 << 20, log
rss = meta["runner_peak_rss_kib"] << 10
assert rss < log // 2, "runner peak RSS %d for a log of %d bytes" % (rss, log)
PY

# A probe that prints a failed record and exits 1 (selftest oom: alloc.h's failure) ends with
# that one record: the runner adds none of its own (it used to, counting not_ok 2 for one
# case run), and the case's reason is the probe's.
cat > "$tmp/oom.yaml" <<YAML
probes:
  - probe: selftest
    cases: [oom]
YAML
"$BUILD/ipcprobe" run "$tmp/oom.yaml" -o "$tmp/oom" > "$tmp/out" 2>&1
[ $? -eq 1 ] || { cat "$tmp/out"; fail "a run whose only case failed did not exit 1"; }
python3 - "$tmp/oom" <<'PY' || fail "a probe's own failed record was doubled by the runner's"
import json, os, sys
d = sys.argv[1]
recs = [json.loads(l) for l in open(os.path.join(d, "records.jsonl"))]
assert [r["status"] for r in recs] == ["failed"], recs
case = json.load(open(os.path.join(d, "run.json")))["cases"][0]
assert case["status"] == "failed" and case["reason"] == recs[0]["reason"], (case, recs[0])
summary = json.load(open(os.path.join(d, "summary.json")))
assert [f["not_ok"] for f in summary["figures"]] == [1], summary
PY

# A daemon a probe starts in a session of its own (fork, setsid, fork) is outside the group the
# runner kills (issue 28 item 11): the runner, its subreaper, kills it after the case run and
# says so in run.json.
cat > "$tmp/daemon.yaml" <<YAML
probes:
  - probe: selftest
    cases: [daemon]
YAML
if [ ! -r "/proc/self/task/$$/children" ]; then
	h_skip_part "a probe's daemon: no /proc/PID/task/TID/children here (Linux 3.5+ only)"
else
"$BUILD/ipcprobe" run "$tmp/daemon.yaml" -o "$tmp/daemon" > "$tmp/out" 2>&1 ||
	{ cat "$tmp/out"; fail "the daemon's run exited $?"; }
python3 - "$tmp/daemon" <<'PY' || fail "a probe's daemon outlived its case run"
import json, os, sys
d = sys.argv[1]
pid = int(json.loads(open(os.path.join(d, "records.jsonl")).readline())["value"])
assert pid > 0 and not os.path.exists("/proc/%d" % pid), "daemon %d still runs" % pid
case = json.load(open(os.path.join(d, "run.json")))["cases"][0]
assert case["strays_killed"] == ["%d (selftest)" % pid], case.get("strays_killed")
PY
fi

# Only measured and unsupported cases: exit 0, reports there.
cat > "$tmp/ok.yaml" <<YAML
probes:
  - probe: selftest
    cases: [ok, unsupported, transport]
YAML
"$BUILD/ipcprobe" run "$tmp/ok.yaml" -o "$tmp/ok" > "$tmp/ok.out" 2>&1 ||
	{ cat "$tmp/ok.out"; fail "ok and unsupported cases did not exit 0"; }
[ -s "$tmp/ok/report.html" ] && [ -s "$tmp/ok/report.md" ] || fail "no report for the ok run"
# Every case run carries the machine sentinel read before it (run/sentinel.h: a number, or
# null where a placement cannot be had), and run.json how it was judged over the run.
python3 - "$tmp/ok/run.json" <<'PY' || fail "the machine sentinel is not recorded"
import json, os, sys
meta = json.load(open(sys.argv[1]))
ncpu = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else None
for c in meta["cases"]:
    s = c["machine"]["sentinel"]
    assert s["round_trips"] == 51, s
    for k in ("same_cpu_rtt_ns", "cross_cpu_rtt_ns"):
        assert s[k] is None or s[k] > 0, s
    if ncpu:  # where the runner can pin itself, the readings are there (cross: with 2 CPUs)
        assert s["same_cpu_rtt_ns"] is not None and (ncpu < 2 or s["cross_cpu_rtt_ns"] is not None), s
j = meta["sentinel"]
assert j["factor"] == 2.0 and j["marked"] >= 0 and "median_cross_cpu_rtt_ns" in j, j
PY

# -o at a directory that holds something: refused, nothing touched.
mkdir "$tmp/full" && echo keep > "$tmp/full/file"
"$BUILD/ipcprobe" run "$tmp/ok.yaml" -o "$tmp/full" > "$tmp/full.out" 2>&1
[ $? -eq 2 ] || fail "-o at a non-empty directory did not exit 2"
grep -q "not empty" "$tmp/full.out" || fail "the message does not say the directory is not empty"
[ "$(ls "$tmp/full")" = file ] || fail "the non-empty directory was changed"

# Bad usage exits 2.
"$BUILD/ipcprobe" run > /dev/null 2>&1; [ $? -eq 2 ] || fail "run without a config did not exit 2"
"$BUILD/ipcprobe" frobnicate > /dev/null 2>&1; [ $? -eq 2 ] || fail "an unknown command did not exit 2"
"$BUILD/ipcprobe" list capacity > "$tmp/list" || fail "ipcprobe list capacity failed"
grep -q "fill_nonblocking" "$tmp/list" || fail "list does not show the capacity cases"
"$BUILD/ipcprobe" list capacty > /dev/null 2> "$tmp/list.err"; [ $? -eq 2 ] || fail "list of an unknown probe did not exit 2"
grep -q "did you mean capacity" "$tmp/list.err" || fail "list gives no suggestion"
# A fixed count runs every repetition of a case that fails (it may not fail every time):
# the schedule stops a case early only when precision is asked for.
cat > "$tmp/reps.yaml" <<YAML
repetitions: 3
probes:
  - probe: selftest
    cases: [exit1, ok]
YAML
"$BUILD/ipcprobe" run "$tmp/reps.yaml" -o "$tmp/reps" > /dev/null 2>&1
python3 - "$tmp/reps/run.json" <<'PY' || fail "a failing case did not run all its repetitions"
import json, sys
m = json.load(open(sys.argv[1]))
runs = sorted((c["case"], c["rep"]) for c in m["cases"])
assert runs == [("exit1", 0), ("exit1", 1), ("exit1", 2), ("ok", 0), ("ok", 1), ("ok", 2)], runs
ended = {c["label"]: c["ended"] for c in m["schedule"]["cases"]}
assert set(ended.values()) == {"the repetitions asked for"}, ended
PY
echo "test_runner: ok"
