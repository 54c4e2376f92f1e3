#!/bin/sh
# test_report_layout.sh - the report of a real quick run, read from its files (the browser's
# view is test_report_browser.sh): summary, claims, the sections with their charts, platform,
# and the status of every case run last and collapsed; a table of contents linking every
# section and chart; valid HTML (html5lib's strict parser, Debian python3-html5lib, where
# installed) with unique ids and every in-page link resolved; a viewport meta; every chart's
# y axis labelled in the unit its ticks use (tests/report_check.py).  The same checks on runs
# side by side.  A failed case run is listed in the open status block, ok ones only counted.
. "$(dirname "$0")/../lib/harness.sh"
command -v gnuplot >/dev/null 2>&1 || h_skip "gnuplot is not installed: no charts to check"
# The python that has html5lib (Debian's, when python3 on PATH is another one, as under pyenv).
py=python3
python3 -c 'import html5lib' 2>/dev/null || { [ -x /usr/bin/python3 ] && /usr/bin/python3 -c 'import html5lib' 2>/dev/null && py=/usr/bin/python3; }
check="$py tests/report_check.py"

"$BUILD/ipcprobe" run configs/quick.yaml -o "$tmp/run" > "$tmp/out" 2>&1 || { tail -5 "$tmp/out"; fail "the quick run failed"; }
order=summary,claims,capacity,limits,latency,throughput,shm,manager,platform,status
$check "$tmp/run/report.html" --order "$order" > "$tmp/check" 2>&1 || { cat "$tmp/check"; fail "the quick run's report"; }
[ "$(grep -c '^chart-' "$tmp/check")" -eq 7 ] || { cat "$tmp/check"; fail "not 7 charts checked"; }
grep -q "^chart-latency: y label 'round trip (\(ns\|µs\|ms\), log scale)'" "$tmp/check" || { cat "$tmp/check"; fail "the latency axis"; }

# All ok: the status section says so, and every row is in the collapsed full table.
html="$tmp/run/report.html"
n=$(grep -c '"status": "' "$tmp/run/run.json")
grep -q "<p>All $((n - 1)) case runs ok.</p>" "$html" || fail "the status section does not say all $((n - 1)) runs were ok"
grep -q "<details><summary>Every case run ($((n - 1)))</summary>" "$html" || fail "no collapsed table of every case run"
grep -q '<a href="run.json">run.json</a>' "$html" || fail "no link to run.json"

# A failed and an unsupported case run: listed (with a count of the ok ones) in a collapsed
# block of their own, before the table of every run.
$py - "$tmp/run/run.json" <<'PY'
import json, sys
m = json.load(open(sys.argv[1]))
m["cases"][0].update(status="failed", reason="killed by signal 9")
m["cases"][1].update(status="unsupported", reason="no such thing here")
json.dump(m, open(sys.argv[1], "w"))
PY
"$BUILD/ipcprobe" report "$tmp/run" > "$tmp/out" 2>&1 || { cat "$tmp/out"; fail "report failed"; }
$check "$html" --order "$order" > "$tmp/check" 2>&1 || { cat "$tmp/check"; fail "the report with a failed run"; }
grep -q "<details><summary>2 case runs not ok (unsupported, failed or timed out); $((n - 3)) ok</summary>" "$html" ||
	fail "no collapsed block of the runs that are not ok"
$py - "$html" <<'PY' || exit 1
import re, sys
page = open(sys.argv[1], encoding="utf-8").read()
status = page[page.index('<h2 id="status">'):]
first = status[:status.index("</details>")]
rows = re.findall(r"<tr><td", first)
if len(rows) != 2 or "killed by signal 9" not in first or "no such thing here" not in first:
    sys.exit("test_report_layout: the not-ok block lists %d rows, not the 2 runs that were not ok" % len(rows))
PY

# Runs side by side (two copies of the run): the same page rules.
cp -a "$tmp/run" "$tmp/run2"
"$BUILD/ipcprobe" report "$tmp/run" "$tmp/run2" -o "$tmp/side" > "$tmp/out" 2>&1 || { cat "$tmp/out"; fail "the side-by-side report"; }
$check "$tmp/side/report.html" > "$tmp/check" 2>&1 || { cat "$tmp/check"; fail "the side-by-side report"; }
grep -q '^chart-grouped_latency: ' "$tmp/check" || { cat "$tmp/check"; fail "no grouped latency chart checked"; }
exit 0
