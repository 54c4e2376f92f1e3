#!/bin/sh
# test_chaos.sh - SIGKILL at random points, twice over (issue 8):
#  1. the runner itself, at CHAOS_POINTS (20) random points of a run of tests/e2e/chaos.yaml:
#     each point is a case run of the plan (the kill comes once that case has started,
#     then after a random 0-20 ms), so it lands mid-run however fast this machine is;
#  2. a probe and its peers (the whole group), CHAOS_POINTS times in one run long enough to
#     outlast them, which is then interrupted with SIGINT.
# After each: no process of the run is left, the test's IPC objects are as before, run.json
# says complete or incomplete (complete only with every case run of the plan), every record line is
# valid JSON, and the directory still makes a report.  Then the next run succeeds.
# CHAOS_SEED replays a failure (the seed is printed); H_KEEP=1 keeps the run directories.
# e2e-deadline: 600
. "$(dirname "$0")/../lib/harness.sh"
points=${CHAOS_POINTS:-20}
seed=${CHAOS_SEED:-$(od -An -N2 -tu2 /dev/urandom | tr -d ' ')}
H_NAME="test_chaos (seed $seed)"
echo "test_chaos: seed $seed, $points points each"

# Live processes of our runs: the runners are started with IPCPROBE_CHAOS=$tag in their
# environment, which the watchman, probes and peers inherit (zombies have none).
tag=$$-$seed
export IPCPROBE_CHAOS=
live_procs() {
	grep -l -s -a "IPCPROBE_CHAOS=$tag" /proc/[0-9]*/environ | while read -r f; do
		p=${f#/proc/}; p=${p%/environ}
		[ "$p" != $$ ] && ps -o pid=,stat=,args= -p "$p"
	done | awk '$2 !~ /^Z/'
}
# N numbers from the seed: awk's rand() * max, as integers (int) or seconds.
draw() {
	awk -v n="$1" -v max="$2" -v s="$3" -v fmt="$4" 'BEGIN { srand(s); for (i = 0; i < n; i++)
		printf fmt "\n", rand() * max }'
}
# The case runs a run directory has started so far: one log each.
started_in() {
	ls "$1/logs" 2>/dev/null | wc -l | tr -d ' '
}
# Has the run in $1 started more than $2 case runs?
started_past() { [ -f "$1/run.json" ] && [ "$(started_in "$1")" -gt "$2" ]; }
# The case runs run.json lists.
cases_in() {
	python3 -c 'import json, sys; print(len(json.load(open(sys.argv[1]))["cases"]))' "$1/run.json"
}
# Every line of the run's records is whole JSON; run.json is complete or incomplete.
check_run_dir() {
	dir=$1
	[ -d "$dir" ] || return 0	# killed before it made the directory: nothing to check
	python3 - "$dir" <<'PY' || return 1
import json, os, sys
d = sys.argv[1]
meta = json.load(open(os.path.join(d, "run.json")))
assert not os.path.exists(os.path.join(d, ".space-reserve")), "the space reserve was left"
assert meta["status"] in ("complete", "incomplete"), meta["status"]
for name in ("records.jsonl", "records.jsonl.partial"):
    p = os.path.join(d, name)
    if os.path.exists(p):
        data = open(p, "rb").read()
        assert data == b"" or data.endswith(b"\n"), "%s: last line cut" % p
        for i, line in enumerate(data.splitlines(), 1):
            json.loads(line)
# A killed run's run.json lists the case runs that ended (issue 28 item 11: it listed none,
# their statuses and disturbed verdicts lost): every case run with records but the one that
# was running when the runner died; the journal they came from is gone.
recs = [json.loads(l) for n in ("records.jsonl", "records.jsonl.partial")
        if os.path.exists(os.path.join(d, n)) for l in open(os.path.join(d, n))]
ran = {r["case_run"] for r in recs if "case_run" in r}
assert len(meta["cases"]) >= len(ran) - 1, (len(meta["cases"]), sorted(ran))
assert not os.path.exists(os.path.join(d, "cases.jsonl.partial")), "the case journal was left"
PY
	"$BUILD/ipcprobe" report "$dir" >/dev/null 2>"$tmp/report.err" ||
		{ cat "$tmp/report.err" >&2; echo "no report from $dir" >&2; return 1; }
}
no_live_procs() { [ -z "$(live_procs)" ]; }
wait_gone() { h_wait "every process of the run to be gone" no_live_procs; }

before=$(h_ipc_state)

# A first run, undisturbed: how many case runs the plan has.
IPCPROBE_CHAOS=$tag "$BUILD/ipcprobe" run tests/e2e/chaos.yaml -o "$tmp/first" >"$tmp/fout" 2>&1 ||
	{ tail -20 "$tmp/fout" >&2; fail "the undisturbed run failed"; }
total=$(cases_in "$tmp/first")
[ "$total" -gt 1 ] && [ "$(started_in "$tmp/first")" -eq "$total" ] ||
	fail "the undisturbed run has $total case runs and $(started_in "$tmp/first") logs"

# ---- 1. the runner -----------------------------------------------------------------------
n=0 incomplete=0
draw "$points" 20 "$seed" %.3f >"$tmp/extra"
for k in $(draw "$points" "$total" "$seed" %d); do
	n=$((n + 1))
	extra=$(sed -n "${n}p" "$tmp/extra")
	dir=$tmp/r$n
	IPCPROBE_CHAOS=$tag "$BUILD/ipcprobe" run tests/e2e/chaos.yaml -o "$dir" >"$tmp/out$n" 2>&1 &
	runner=$!
	h_wait_alive $runner "run $n to start case run $((k + 1)) of $total" started_past "$dir" "$k"
	sleep "0.0$(printf %02d "${extra%.*}")"
	kill -KILL $runner 2>/dev/null
	wait $runner 2>/dev/null
	where="runner killed in case run $((k + 1)) + ${extra%.*} ms (point $n)"
	wait_gone
	[ "$(h_ipc_state)" = "$before" ] || fail "$where: IPC objects left: $(h_ipc_state)"
	check_run_dir "$dir" || fail "$where: bad run directory $dir"
	if grep -q '"incomplete"' "$dir/run.json"; then
		incomplete=$((incomplete + 1))
	else
		got=$(cases_in "$dir")
		[ "$got" -eq "$total" ] || fail "$where: run.json says complete with $got of $total case runs"
	fi
done
echo "runner killed at $n points: $incomplete runs marked incomplete, the others had finished"

# ---- 2. probes and their peers ------------------------------------------------------------
# Far more repetitions than the kills need: the run outlasts them on a machine of any speed,
# and SIGINT ends it.
sed 's/^name: chaos/name: chaos-probes\nrepetitions: 1000/' tests/e2e/chaos.yaml > "$tmp/probes.yaml"
IPCPROBE_CHAOS=$tag "$BUILD/ipcprobe" run "$tmp/probes.yaml" -o "$tmp/p" >"$tmp/pout" 2>&1 &
runner=$!
hits=0
# Not before the run has started: the probes' --list answers, read while loading the config,
# are not case runs (a kill there is a config error, exit 2).
h_wait_alive $runner "the run to start" test -f "$tmp/p/run.json"
# A probe of the run: a child of the runner leading its own process group (the watchman,
# ipcprobe-watch, is one too, and is left alone).
probe_group() {
	ps -eo pid=,ppid=,pgid=,stat=,comm= | awk -v r=$runner '$2 == r && $1 == $3 &&
		$4 !~ /^Z/ && $5 != "ipcprobe-watch" {print $1; exit}'
}
echo "test_chaos: killing $points probe groups"
for t in $(draw "$points" 0.25 "$seed" %.3f); do
	pg=
	h_alive $runner || { tail -5 "$tmp/pout" >&2; fail "the run ended after $hits probe kills"; }
	sleep "$t"
	until pg=$(probe_group) && [ -n "$pg" ]; do
		h_alive $runner || { tail -5 "$tmp/pout" >&2; fail "the run ended after $hits probe kills"; }
		sleep 0.01
	done
	kill -9 -"$pg" 2>/dev/null && hits=$((hits + 1))
done
# Enough: end the run as a user would (Ctrl-C), which must also leave it whole.
kill -INT $runner 2>/dev/null
wait $runner
rc=$?
[ $rc -eq 130 ] || [ $rc -eq 1 ] ||
	{ tail -20 "$tmp/pout" >&2; fail "the run with killed probes exited $rc, not 130 (or 1)"; }
wait_gone
[ "$(h_ipc_state)" = "$before" ] || fail "IPC objects left after killing probes: $(h_ipc_state)"
check_run_dir "$tmp/p" || fail "bad run directory after killing probes"
killed=$(grep -c 'killed by signal 9' "$tmp/p/records.jsonl")
echo "probe groups killed: $hits; cases recorded as killed by SIGKILL: $killed"
[ "$killed" -ge 1 ] || fail "no case was recorded as killed"

# ---- the next run ------------------------------------------------------------------------
"$BUILD/ipcprobe" run tests/e2e/chaos.yaml -o "$tmp/next" >"$tmp/nout" 2>&1 ||
	{ tail -20 "$tmp/nout" >&2; fail "the run after the chaos did not succeed"; }
echo "test_chaos: ok"
