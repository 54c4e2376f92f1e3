#!/bin/sh
# test_hostile.sh - a config cannot make the runner run anything but its own probes (issue 8,
# "no shell, no escape").  The hostile configs that must be refused are in tests/bad/
# (hostile-*.yaml, output-*.yaml, interpreter-path.yaml, name-slash.yaml); here, a config that
# is accepted carries shell and HTML in its run name, which must reach neither a shell nor the
# report's markup, and the plan runs only build/probes/NAME by argv.
. "$(dirname "$0")/../lib/harness.sh"
runner=$(pwd)/$BUILD/ipcprobe
probes=$(cd "$BUILD/probes" && pwd)

cat > "$tmp/h.yaml" <<'YAML'
name: "<i>x<i>; $(touch pwned1) `touch pwned2` | touch pwned3 'q'"
output: "results; touch pwned4"
probes:
  - probe: capacity
    cases: [pipe_buf]
YAML
(cd "$tmp" && "$runner" run h.yaml) > "$tmp/out" 2>&1 || { cat "$tmp/out"; fail "the run failed"; }
for f in pwned1 pwned2 pwned3 pwned4; do
	[ -e "$tmp/$f" ] && fail "a config value reached a shell: $f exists"
done
dir=$(ls -d "$tmp/results; touch pwned4"/*)
[ -f "$dir/report.html" ] || fail "no report in $dir"
grep -q '&lt;i&gt;x&lt;i&gt;' "$dir/report.html" || fail "the run name is not escaped in report.html"
grep -q "<i>x<i>" "$dir/report.html" && fail "the run name reached report.html as markup"

# Every case of every shipped config runs a probe of this build, by path, with options the
# runner wrote; nothing else.
"$runner" check --plan configs/quick.yaml configs/default.yaml > "$tmp/plan" || fail "ipcprobe check failed"
grep '^  ' "$tmp/plan" | awk -v p="$probes/" '{ prog = $1 == "python3" ? $2 : $1
	if (index(prog, p) != 1) { print "not a probe of this build: " $0; bad = 1 } }
	END { exit bad }' || fail "the plan runs something else"
echo "test_hostile: ok"
