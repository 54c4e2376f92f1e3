#!/bin/sh
# test_cli.sh - the conventional CLI (issue 17 item 6): --version, every subcommand's --help on
# stdout with exit 0 (bad usage: stderr, exit 2), run --quiet, --filter, --repetitions,
# --export-json and run.json's config.command_line.  A few tiny cases, well under a second.
set -u
BUILD=${BUILD:-build}
IPC="$BUILD/ipcprobe"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "test_cli: $*" >&2; exit 1; }

# --version and version: the release and the git commit, exit 0.
for v in --version version; do
	out=$("$IPC" $v) || fail "$v exits $?"
	echo "$out" | grep -Eq '^ipcprobe [0-9]+\.[0-9]+\.[0-9]+ \(git ([0-9a-f]{7,}(-dirty)?|unknown)\)$' ||
		fail "$v says '$out'"
done

# Every subcommand's --help and -h: its full usage on stdout, nothing on stderr, exit 0.
for c in run check list report history compare export; do
	for h in --help -h; do
		"$IPC" $c $h >"$tmp/out" 2>"$tmp/err" || fail "$c $h exits $?"
		[ -s "$tmp/err" ] && fail "$c $h wrote on stderr: $(cat "$tmp/err")"
		grep -q "^usage: ipcprobe $c" "$tmp/out" || fail "$c $h: no usage on stdout"
		grep -q -- '-h, --help' "$tmp/out" || fail "$c $h: not the full usage"
	done
done
"$IPC" run --help | grep -q -- '--filter REGEX' || fail "run --help does not name --filter"
"$IPC" help compare | grep -q -- '--allow-missing' || fail "help compare is not compare's usage"
# Bad usage: the usage on stderr, exit 2, nothing on stdout.
"$IPC" run >"$tmp/out" 2>"$tmp/err"; rc=$?
[ $rc -eq 2 ] || fail "run without CONFIG exits $rc, not 2"
[ -s "$tmp/out" ] && fail "bad usage wrote on stdout"
grep -q '^usage: ipcprobe run' "$tmp/err" || fail "bad usage: no usage on stderr"
"$IPC" run configs/quick.yaml --repetitions 0 2>/dev/null; rc=$?
[ $rc -eq 2 ] || fail "--repetitions 0 exits $rc, not 2"

cat >"$tmp/cli.yaml" <<'YAML'
name: cli
repetitions: 3
timeout: 20s
probes:
  - probe: capacity
    cases: [pipe_buf]
  - probe: latency
    cases: [roundtrip]
    transports: [pipe]
    params:
      size: [64, 4KiB]
      warmup: 1ms
      min_time: 2ms
YAML

# --filter, --repetitions and --export-json: only the matching case, twice, and its table.
"$IPC" run "$tmp/cli.yaml" -o "$tmp/r1" --filter 'roundtrip pipe size=64 ' --repetitions 2 \
	--export-json "$tmp/e.json" >"$tmp/out" 2>&1 || fail "filtered run exits $?: $(cat "$tmp/out")"
python3 - "$tmp" <<'PY' || fail "filtered run: wrong cases, table or command_line"
import json, sys
tmp = sys.argv[1]
run = json.load(open(tmp + "/r1/run.json"))
labels = [c["label"] for c in run["cases"]]
want = "latency/roundtrip pipe size=64 warmup=1ms min_time=2ms"
assert labels == [want, want], labels
assert run["plan"] == {"cases": 1, "repetitions": 2}, run["plan"]
cl = run["config"]["command_line"]
assert cl["filter"] == "roundtrip pipe size=64 " and cl["repetitions"] == 2, cl
e = json.load(open(tmp + "/e.json"))
assert e["status"] == "complete" and e["run_dir"] == tmp + "/r1", e
rows = e["cases"]
assert [sorted(r) for r in rows] == [["label", "reason", "rep", "status", "value"]] * 2, rows
assert [(r["label"], r["rep"], r["status"]) for r in rows] == [(want, 0, "ok"), (want, 1, "ok")], rows
assert all(r["value"].endswith(" us") and r["reason"] is None for r in rows), rows
PY

# A filter matching nothing: exit 2, the labels there are, nothing written.
"$IPC" run "$tmp/cli.yaml" -o "$tmp/r2" --filter 'size=65' >"$tmp/out" 2>"$tmp/err"; rc=$?
[ $rc -eq 2 ] || fail "a filter matching nothing exits $rc, not 2"
grep -q 'matches none of the 4 cases' "$tmp/err" || fail "no-match message: $(cat "$tmp/err")"
grep -q 'capacity/pipe_buf fifo' "$tmp/err" || fail "no-match message does not list the labels"
[ -e "$tmp/r2" ] && fail "a filter matching nothing wrote $tmp/r2"
"$IPC" run "$tmp/cli.yaml" --filter '(' 2>/dev/null; rc=$?
[ $rc -eq 2 ] || fail "a bad regular expression exits $rc, not 2"

# --quiet: no plan line, no progress, no table; only the final paths.
"$IPC" run "$tmp/cli.yaml" -o "$tmp/r3" -q --repetitions 1 >"$tmp/out" 2>"$tmp/err" ||
	fail "quiet run exits $?"
[ -s "$tmp/err" ] && fail "quiet run wrote on stderr: $(cat "$tmp/err")"
printf 'results: %s/records.jsonl\nrun:     %s/run.json\nreport:  %s/report.html\n' \
	"$tmp/r3" "$tmp/r3" "$tmp/r3" | cmp -s - "$tmp/out" || fail "quiet run printed: $(cat "$tmp/out")"
echo "test_cli: ok"
