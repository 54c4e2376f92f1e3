#!/bin/sh
# test_chaos.sh - SIGKILL at random points, twice over (issue 8):
#  1. the runner itself, at CHAOS_POINTS (20) random moments of a run of tests/e2e/chaos.yaml;
#  2. a probe and its peers (the whole group), at 20 random moments of one longer run.
# After each: no process of the run is left, /dev/shm, /dev/mqueue and ipcs are as before,
# run.json says complete or incomplete, every record line is valid JSON, and the directory
# still makes a report.  Then the next run on the machine succeeds.  CHAOS_SEED replays a
# failure (the seed is printed).
set -u
BUILD=${BUILD:-build}
points=${CHAOS_POINTS:-20}
seed=${CHAOS_SEED:-$(od -An -N2 -tu2 /dev/urandom | tr -d ' ')}
tmp=$(mktemp -d)
trap '[ -n "${CHAOS_KEEP:-}" ] || rm -rf "$tmp"' EXIT
fail() { echo "test_chaos (seed $seed): $*" >&2; exit 1; }
echo "test_chaos: seed $seed, $points points each"

ipc_state() {
	ls -1 /dev/shm /dev/mqueue 2>/dev/null
	ipcs 2>/dev/null | awk '$1 ~ /^0x/ {print $1, $2}'
}
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
# The moments to kill at, in seconds: N numbers from the seed.
moments() {
	awk -v n="$1" -v max="$2" -v s="$seed" 'BEGIN { srand(s); for (i = 0; i < n; i++)
		printf "%.3f\n", 0.05 + rand() * max }'
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
PY
	"$BUILD/ipcprobe" report "$dir" >/dev/null 2>"$tmp/report.err" ||
		{ cat "$tmp/report.err" >&2; echo "no report from $dir" >&2; return 1; }
}
wait_gone() {
	i=0
	while [ $i -lt 100 ] && [ -n "$(live_procs)" ]; do sleep 0.05; i=$((i + 1)); done
	[ -z "$(live_procs)" ] || { live_procs >&2; return 1; }
}

before=$(ipc_state)

# A first run, undisturbed, says how long the probes take here (report excluded), so that the
# kills spread over the probes' time.
IPCPROBE_CHAOS=$tag "$BUILD/ipcprobe" run tests/e2e/chaos.yaml -o "$tmp/first" >"$tmp/fout" 2>&1 ||
	{ tail -20 "$tmp/fout" >&2; fail "the undisturbed run failed"; }
span=$(python3 -c "import json; print(json.load(open('$tmp/first/run.json'))['duration_s'])")

# ---- 1. the runner -----------------------------------------------------------------------
n=0 incomplete=0
for t in $(moments "$points" "$span"); do
	n=$((n + 1))
	dir=$tmp/r$n
	IPCPROBE_CHAOS=$tag "$BUILD/ipcprobe" run tests/e2e/chaos.yaml -o "$dir" >"$tmp/out$n" 2>&1 &
	runner=$!
	sleep "$t"
	kill -KILL $runner 2>/dev/null
	wait $runner 2>/dev/null
	wait_gone || fail "runner killed at ${t}s (point $n): processes survive"
	[ "$(ipc_state)" = "$before" ] ||
		fail "runner killed at ${t}s (point $n): IPC objects left: $(ipc_state)"
	check_run_dir "$dir" || fail "runner killed at ${t}s (point $n): bad run directory $dir"
	grep -q '"incomplete"' "$dir/run.json" 2>/dev/null && incomplete=$((incomplete + 1))
done
echo "runner killed at $n points: $incomplete runs marked incomplete, the others had finished"
[ $incomplete -ge $((points / 2)) ] || fail "most kills should land mid-run; only $incomplete did"

# ---- 2. probes and their peers ------------------------------------------------------------
sed 's/^name: chaos/name: chaos-probes\nrepetitions: 12/' tests/e2e/chaos.yaml > "$tmp/probes.yaml"
IPCPROBE_CHAOS=$tag "$BUILD/ipcprobe" run "$tmp/probes.yaml" -o "$tmp/p" >"$tmp/pout" 2>&1 &
runner=$!
hits=0
# Not before the run has started: the probes' --list answers, read while loading the config,
# are not case runs (a kill there is a config error, exit 2).
i=0
while [ ! -f "$tmp/p/run.json" ] && [ $i -lt 200 ]; do sleep 0.05; i=$((i + 1)); done
for t in $(moments 400 0.25); do
	[ $hits -ge "$points" ] && break
	kill -0 $runner 2>/dev/null || break
	sleep "$t"
	# A probe of the run: a child of the runner leading its own process group (the
	# watchman, ipcprobe-watch, is one too, and is left alone).
	pg=$(ps -eo pid=,ppid=,pgid=,stat=,comm= | awk -v r=$runner '$2 == r && $1 == $3 &&
		$4 !~ /^Z/ && $5 != "ipcprobe-watch" {print $1; exit}')
	[ -n "$pg" ] && kill -9 -"$pg" 2>/dev/null && hits=$((hits + 1))
done
# Enough: end the run as a user would (Ctrl-C), which must also leave it whole.
kill -INT $runner 2>/dev/null
wait $runner
rc=$?
[ $hits -ge "$points" ] || { tail -5 "$tmp/pout" >&2
	fail "only $hits probe groups killed (the run ended first, exit $rc)"; }
[ $rc -eq 130 ] || [ $rc -eq 1 ] ||
	{ tail -20 "$tmp/pout" >&2; fail "the run with killed probes exited $rc, not 130 (or 1)"; }
wait_gone || fail "processes survive the run whose probes were killed"
[ "$(ipc_state)" = "$before" ] || fail "IPC objects left after killing probes: $(ipc_state)"
check_run_dir "$tmp/p" || fail "bad run directory after killing probes"
killed=$(grep -c 'killed by signal 9' "$tmp/p/records.jsonl")
echo "probe groups killed: $hits; cases recorded as killed by SIGKILL: $killed"
[ "$killed" -ge 1 ] || fail "no case was recorded as killed"

# ---- the next run ------------------------------------------------------------------------
"$BUILD/ipcprobe" run tests/e2e/chaos.yaml -o "$tmp/next" >"$tmp/nout" 2>&1 ||
	{ tail -20 "$tmp/nout" >&2; fail "the run after the chaos did not succeed"; }
echo "test_chaos: ok"
