#!/bin/sh
# test_rundir_owner.sh - a run directory owned by someone else (issue 28 item 2).  As root,
# with nobody as the other user:
#   1. `run -o DIR` where DIR is an empty directory nobody made first (a predictable CI
#      directory in a shared temporary directory) is refused, naming the owner, and nothing
#      is written there; so is an empty directory of root's that everyone may write in, and
#      one its group may write in when that group is not root's;
#   2. a run whose directory lies in a directory of nobody's, which nobody swaps mid-run for a
#      link to a root-only directory (`mv run moved; ln -s secret run`), goes on writing in
#      its own directory, now "moved": every log, run.json, records.jsonl, summary.json and
#      report.html end up there, and nothing is created in the root-only directory.
# On old main, case 1 ran into nobody's directory, and in case 2 run.json and the report
# were written through the link into the root-only directory (everything was addressed by
# path for the whole run).
# e2e-deadline: 300
. "$(dirname "$0")/../lib/harness.sh"
runner=$(cd "$BUILD" && pwd)/ipcprobe

[ "$(id -u)" = 0 ] || h_skip "not root: the other user (nobody) must be made to own directories"
command -v setpriv > /dev/null || h_skip "no setpriv(1) to act as nobody"
as_nobody() { setpriv --reuid 65534 --regid 65534 --clear-groups -- "$@"; }
chmod 755 "$tmp"	# nobody works in here

cat > "$tmp/quick.yaml" <<'YAML'
probes:
  - probe: capacity
    cases: [fill_nonblocking]
    transports: [pipe]
YAML

# expect_refused DIR TEXT: run -o DIR exits 2 saying TEXT, and DIR stays empty.
expect_refused() {
	"$runner" run "$tmp/quick.yaml" -o "$1" > "$tmp/out" 2>&1
	rc=$?
	[ $rc = 2 ] || { cat "$tmp/out"; fail "run -o $1 exited $rc, not 2 (refused)"; }
	grep -qF "$2" "$tmp/out" || { cat "$tmp/out"; fail "run -o $1 did not say: $2"; }
	[ -z "$(ls -A "$1")" ] || fail "run -o $1 was refused but wrote: $(ls -A "$1")"
}

# 1. Directories someone else owns or may write in.
mkdir "$tmp/shared" && chmod 1777 "$tmp/shared"
as_nobody mkdir "$tmp/shared/ci" || fail "nobody cannot make a directory in $tmp/shared"
expect_refused "$tmp/shared/ci" "belongs to nobody (uid 65534), not to you"
mkdir "$tmp/open" && chmod 0777 "$tmp/open"
expect_refused "$tmp/open" "is writable by everyone (mode 0777)"
mkdir "$tmp/grp" && chgrp 65534 "$tmp/grp" && chmod 0775 "$tmp/grp"
expect_refused "$tmp/grp" "is writable by its group (mode 0775)"
# Its own group writing is this user's choice (a umask of 002), and a new directory is fine.
mkdir "$tmp/mine" && chmod 0775 "$tmp/mine"
"$runner" run "$tmp/quick.yaml" -o "$tmp/mine" > "$tmp/out" 2>&1 ||
	{ cat "$tmp/out"; fail "run -o an empty directory of root's own group was refused"; }
"$runner" run "$tmp/quick.yaml" -o "$tmp/new/deeper" > "$tmp/out" 2>&1 ||
	{ cat "$tmp/out"; fail "run -o a directory that does not exist yet failed"; }

# 2. The path swapped mid-run.  The run is long (1000 repetitions) and stopped by SIGINT
# after the swap, so the swap is mid-run on a machine of any speed.
mkdir "$tmp/nob" && chown 65534:65534 "$tmp/nob"
mkdir -m 700 "$tmp/secret" && echo "root's own" > "$tmp/secret/keep"
cat > "$tmp/long.yaml" <<'YAML'
repetitions: 1000
probes:
  - probe: latency
    cases: [roundtrip]
    transports: [pipe]
    params: { size: [64B], min_time: [2ms] }
YAML
"$runner" run "$tmp/long.yaml" -o "$tmp/nob/run" > "$tmp/long.out" 2>&1 &
pid=$!
h_defer "kill -KILL $pid 2>/dev/null"
second_case_started() { [ -e "$tmp/nob/run/logs/000-latency-roundtrip-pipe-r1.log" ]; }
h_wait_alive $pid "the run's second case run to start" second_case_started
as_nobody mv "$tmp/nob/run" "$tmp/nob/moved" || fail "nobody could not move the run directory"
as_nobody ln -s "$tmp/secret" "$tmp/nob/run" || fail "nobody could not plant the link"
logs_at_swap=$(ls "$tmp/nob/moved/logs" | wc -l)
# Two more case runs after the swap (or the run ending, which fails below), then stop it.
two_after_swap() {
	[ "$(ls "$tmp/nob/moved/logs" | wc -l)" -ge $((logs_at_swap + 2)) ] || ! h_alive $pid
}
h_wait "two case runs after the swap" two_after_swap
kill -INT $pid 2>/dev/null
wait $pid
rc=$?
[ $rc = 130 ] || { tail -5 "$tmp/long.out"; fail "the run exited $rc before it was interrupted"; }

[ "$(ls -A "$tmp/secret")" = keep ] ||
	fail "the run wrote into the root-only directory the link pointed to: $(ls -A "$tmp/secret" | tr '\n' ' ')"
[ "$(cat "$tmp/secret/keep")" = "root's own" ] || fail "secret/keep was changed"
for f in run.json records.jsonl summary.json report.html report.md; do
	[ -f "$tmp/nob/moved/$f" ] || { cat "$tmp/long.out"; fail "$f is not in the run's own (moved) directory"; }
done
python3 - "$tmp/nob/moved" <<'PY' || fail "run.json in the moved directory is not the whole run"
import json, os, sys
d = sys.argv[1]
meta = json.load(open(os.path.join(d, "run.json")))
assert meta["status"] == "incomplete" and "interrupted by signal 2" in meta["reason"], meta["reason"]
logs = sorted(os.listdir(os.path.join(d, "logs")))
cases = [c["log"] for c in meta["cases"]]
assert len(cases) >= 3, cases
assert sorted("logs/" + l for l in logs) == sorted(cases), (logs, cases)
recs = [json.loads(l) for l in open(os.path.join(d, "records.jsonl"))]
assert {r["case_run"] for r in recs} == set(range(len(cases))), "records of every case run"
PY
echo "$H_NAME: ok"
