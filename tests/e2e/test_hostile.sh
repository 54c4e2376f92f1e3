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
# A config of exactly the 1 MiB limit is read (it was refused as "grew past the limit"); one
# byte more is refused with its size; a seed of 2^64 or more is refused, not cut to 2^64-1.
mkcfg() {	# mkcfg FILE BYTES [SEED]: a valid config padded with a comment to BYTES
	python3 - "$@" <<'PY'
import sys
path, size = sys.argv[1], int(sys.argv[2])
head = "probes:\n  - probe: capacity\n    cases: [pipe_buf]\n"
if len(sys.argv) > 3:
    head = "seed: %s\n" % sys.argv[3] + head
pad = size - len(head) - 2
open(path, "w").write(head + "#" + "x" * pad + "\n")
PY
}
mkcfg "$tmp/mib.yaml" 1048576
"$runner" check "$tmp/mib.yaml" > "$tmp/out" 2>&1 || { cat "$tmp/out"; fail "a config of exactly 1 MiB was refused"; }
mkcfg "$tmp/mib1.yaml" 1048577
"$runner" check "$tmp/mib1.yaml" > "$tmp/out" 2>&1 && fail "a config over 1 MiB was accepted"
grep -q "1048577 bytes; at most 1048576 are read" "$tmp/out" || { cat "$tmp/out"; fail "no size in the refusal"; }
mkcfg "$tmp/seed.yaml" 4096 18446744073709551616
"$runner" check "$tmp/seed.yaml" > "$tmp/out" 2>&1 && fail "a seed of 2^64 was accepted"
grep -q "seed: expected a non-negative integer below 2^64" "$tmp/out" || { cat "$tmp/out"; fail "no clear refusal of the seed"; }
mkcfg "$tmp/seedmax.yaml" 4096 18446744073709551615
"$runner" check "$tmp/seedmax.yaml" > "$tmp/out" 2>&1 || { cat "$tmp/out"; fail "the seed 2^64-1 was refused"; }
echo "test_hostile: ok"
