#!/bin/sh
# test_signals.sh - SIGINT during a run stops the current probe, keeps what was measured,
# marks the run incomplete, and leaves no process behind.
. "$(dirname "$0")/../lib/harness.sh"
IPCPROBE_PROBE_DIR=$(pwd)/$BUILD/tests/probes
export IPCPROBE_PROBE_DIR

cat > "$tmp/c.yaml" <<YAML
timeout: 60s
order: plan
probes:
  - probe: selftest
    cases: [ok, hang]
  - probe: selftest
    cases: [ok]
    params: {value: 2}
YAML
"$BUILD/ipcprobe" run "$tmp/c.yaml" -o "$tmp/run" > "$tmp/out" 2>&1 &
pid=$!
# Wait until the hang case is running (its log exists and its probe lives: the ok case before
# it was reaped first), then interrupt.
hang_running() { ls "$tmp/run/logs" 2>/dev/null | grep -q hang && h_live selftest; }
h_wait_alive $pid "the hang case to run" hang_running
kill -INT $pid
wait $pid
rc=$?
[ $rc -eq 130 ] || { cat "$tmp/out"; fail "an interrupted run exited $rc, not 130"; }
python3 - "$tmp/run" <<'PY' || exit 1
import json, os, sys
run = sys.argv[1]
meta = json.load(open(os.path.join(run, "run.json")))
assert meta["status"] == "incomplete" and "interrupted by signal 2" in meta["reason"], meta
recs = [json.loads(l) for l in open(os.path.join(run, "records.jsonl"))]
assert recs[0]["case"] == "ok" and recs[0]["status"] == "ok", recs
assert recs[1]["case"] == "hang" and recs[1]["status"] == "failed", recs
assert len(recs) == 2, recs
assert not os.path.exists(os.path.join(run, "records.jsonl.partial"))
PY
grep -q "incomplete" "$tmp/run/report.html" || fail "the report does not say the run is incomplete"
# SIGKILL is delivered at once, but a process takes a moment to be gone: one that survives
# keeps this waiting until the test's deadline, which names it.
h_wait_gone selftest

# SIGTERM while a probe that has printed its record ends whole on its own: the case is ok,
# not also failed (issue 15); the run is incomplete (stopped before the next case).
cat > "$tmp/l.yaml" <<YAML
order: plan
probes:
  - probe: selftest
    cases: [linger, ok]
YAML
"$BUILD/ipcprobe" run "$tmp/l.yaml" -o "$tmp/linger" > "$tmp/out" 2>&1 &
pid=$!
h_wait_alive $pid "the linger record" grep -qs linger "$tmp/linger/records.jsonl.partial"
kill -TERM $pid
wait $pid
python3 - "$tmp/linger" <<'PY' || { cat "$tmp/out"; fail "a probe that ended whole was called failed"; }
import json, os, sys
run = sys.argv[1]
meta = json.load(open(os.path.join(run, "run.json")))
recs = [json.loads(l) for l in open(os.path.join(run, "records.jsonl"))]
linger = [r["status"] for r in recs if r["case"] == "linger"]
assert linger == ["ok"], linger
assert meta["cases"][0]["status"] == "ok", meta["cases"][0]
assert meta["status"] == "incomplete", meta["status"]
PY

# SIGTERM while the report is drawn (a gnuplot that takes its time): no "gnuplot failed", the
# report says which charts were not drawn, and run.json is not "complete".
mkdir "$tmp/bin"
cat > "$tmp/bin/gnuplot" <<SH
#!/bin/sh
touch "$tmp/gnuplot-started"
sleep 3
SH
chmod +x "$tmp/bin/gnuplot"
cat > "$tmp/r.yaml" <<YAML
order: plan
probes:
  - probe: capacity
    cases: [fill_nonblocking]
    transports: [pipe]
YAML
PATH="$tmp/bin:$PATH" "$BUILD/ipcprobe" run "$tmp/r.yaml" -o "$tmp/rep" > "$tmp/out" 2>&1 &
pid=$!
h_wait_alive $pid "the report's gnuplot" test -e "$tmp/gnuplot-started"
kill -TERM $pid
wait $pid
rc=$?
[ $rc -eq 143 ] || { cat "$tmp/out"; fail "a run stopped while drawing exited $rc, not 143"; }
grep -q "gnuplot.*failed" "$tmp/out" && { cat "$tmp/out"; fail "a stop while drawing was called a gnuplot failure"; }
grep -q "not drawn: interrupted by signal 15" "$tmp/rep/report.html" || fail "the report does not say the chart was not drawn"
grep -q '"status": "incomplete"' "$tmp/rep/run.json" || fail "run.json says complete after a stop while drawing"
grep -q "while drawing the report; every case was measured" "$tmp/rep/run.json" || fail "run.json does not say why"

# SIGKILL while the report is drawn (issue 28 item 11): run.json said "complete" with no report
# in the directory, the watchman already gone.  It now stays until the report is drawn, and
# marks the run incomplete, saying the report is missing and how to draw it.
rm -f "$tmp/gnuplot-started"
PATH="$tmp/bin:$PATH" "$BUILD/ipcprobe" run "$tmp/r.yaml" -o "$tmp/rep9" > "$tmp/out" 2>&1 &
pid=$!
h_wait_alive $pid "the report's gnuplot (SIGKILL)" test -e "$tmp/gnuplot-started"
kill -KILL $pid
wait $pid
h_wait "the watchman marking run.json" grep -qs '"report": "missing"' "$tmp/rep9/run.json"
python3 - "$tmp/rep9/run.json" <<'PY' || fail "a run killed while drawing its report is not marked so"
import json, sys
m = json.load(open(sys.argv[1]))
assert m["status"] == "incomplete" and m["report"] == "missing", (m["status"], m.get("report"))
assert "died while drawing the report" in m["reason"] and "ipcprobe report" in m["reason"], m["reason"]
PY
# A run that ends whole says its report was written.
grep -q '"report": "written"' "$tmp/linger/run.json" || fail "run.json does not say the report was written"
echo "test_signals: ok"
