#!/bin/sh
# test_no_gnuplot.sh - without gnuplot a run whose cases are all ok still exits 0; the report
# says which charts were not drawn and why, and the terminal says what to do (issue 15).
. "$(dirname "$0")/../lib/harness.sh"
runner=$(pwd)/$BUILD/ipcprobe
cat > "$tmp/c.yaml" <<'YAML'
probes:
  - probe: capacity
    cases: [fill_nonblocking]
    transports: [pipe]
YAML
# An empty PATH: probes are run by their path, gnuplot is looked up on PATH.
PATH=/nonexistent "$runner" run "$tmp/c.yaml" -o "$tmp/run" >"$tmp/out" 2>&1
rc=$?
[ $rc -eq 0 ] || { cat "$tmp/out"; fail "run exited $rc without gnuplot although every case is ok"; }
grep -q "warning: 1 chart not drawn in .*: gnuplot is not installed (make deps" "$tmp/out" ||
	{ cat "$tmp/out"; fail "no clear warning on the terminal"; }
grep -q "Chart capacity not drawn: gnuplot is not installed" "$tmp/run/report.html" ||
	fail "report.html does not say which chart was not drawn"
grep -q "Chart capacity not drawn" "$tmp/run/report.md" || fail "report.md does not say it"
PATH=/nonexistent "$runner" report "$tmp/run" >"$tmp/out" 2>&1 || { cat "$tmp/out"; fail "report exited non-zero without gnuplot"; }
echo "test_no_gnuplot: ok"
