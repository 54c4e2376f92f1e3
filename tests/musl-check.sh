#!/bin/sh
# musl-check.sh [UNIT_BIN...] - the test suite against the musl build ($MUSL_BUILD, default
# build-musl, made by `make musl`): the unit test binaries given (when cmocka for musl was at
# hand), then every end-to-end test through tests/run-e2e.sh, leftover check included.  A test
# that failed only because it needs a probe musl cannot build (the C++ probes, which `make musl`
# names) is reported as not run with musl, with the line that shows it; any other failure fails.
MUSL_BUILD=${MUSL_BUILD:-build-musl}
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root" || exit 1
if [ ! -x "$MUSL_BUILD/ipcprobe" ]; then
	echo "musl-check: $MUSL_BUILD/ipcprobe is not built (make musl)" >&2
	exit 2
fi

unit=0
if [ $# -gt 0 ]; then
	sh tests/run-unit.sh "$@" || unit=1
else
	echo "== unit tests: not run with musl (no cmocka for musl; see make musl)"
fi

# The probes the main build has and this one lacks.
missing=""
for src in probes/*.c probes/*.cc; do
	p=$(basename "${src%.*}")
	[ -x "$MUSL_BUILD/probes/$p" ] || missing="$missing $p"
done

log=$(mktemp) || exit 1
trap 'rm -f "$log"' EXIT
BUILD=$MUSL_BUILD sh tests/run-e2e.sh > "$log" 2>&1
cat "$log"

# Judge each failure again: excused only when its own output names a missing probe.
fail=0 excused=0
for name in $(sed -n 's/^FAIL: \(test_[A-Za-z0-9_]*\) (exit [0-9]*)$/\1/p' "$log"); do
	out=$(sed -n "/^== e2e: $name\$/,/^FAIL: $name /p" "$log")
	why=""
	for p in $missing; do
		why=$(printf '%s\n' "$out" | grep -w -e "$p" | grep -m1 -e 'not built' \
			-e 'unknown probe' -e 'never started')
		[ -n "$why" ] && break
	done
	if [ -n "$why" ]; then
		echo "$name: not run with musl: needs the $p probe, not built with musl ($why)"
		excused=$((excused + 1))
	else
		echo "$name: FAILED with musl" >&2
		fail=$((fail + 1))
	fi
done
if ! grep -q '^e2e: [0-9]* passed' "$log"; then
	echo "musl-check: tests/run-e2e.sh did not finish" >&2
	fail=$((fail + 1))
fi
if grep -q '^FAIL: the tests left' "$log"; then
	echo "musl-check: the tests left IPC objects, files or processes behind" >&2
	fail=$((fail + 1))
fi
echo "musl-check: $fail failed, $excused not run (probes not built with musl:$missing)"
[ $fail -eq 0 ] && [ $unit -eq 0 ]
