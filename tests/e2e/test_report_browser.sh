#!/bin/sh
# test_report_browser.sh - the quick run's report in a real browser (headless Chromium, driven
# by tests/report_browser.py over the DevTools protocol) at 390 px (a phone, mobile viewport)
# and 1280 px: the page never scrolls sideways (scrollWidth <= innerWidth), the viewport meta
# holds (the layout is 390 px wide, not 980 px scaled down), every table-of-contents link lands
# on its target, and chart text is seen at 9 px or more; and printed (print media, an A4
# landscape page): every column of every table on the page and every <details> open (issue 25
# item 5).  Skipped, saying why, where Chromium is not installed (make deps installs it) or
# cannot start.
. "$(dirname "$0")/../lib/harness.sh"
command -v gnuplot >/dev/null 2>&1 || h_skip "gnuplot is not installed: no charts to see"
"$BUILD/ipcprobe" run configs/quick.yaml -o "$tmp/run" > "$tmp/out" 2>&1 || { tail -5 "$tmp/out"; fail "the quick run failed"; }
python3 tests/report_browser.py "$tmp/run/report.html" --width 390 --width 1280 --print \
	--pdf "$tmp/report.pdf" > "$tmp/seen" 2> "$tmp/err"
rc=$?
[ $rc -eq 77 ] && { cat "$tmp/seen"; exit 77; }
[ $rc -eq 0 ] || { cat "$tmp/seen" "$tmp/err"; fail "the report in Chromium"; }
[ "$(grep -c '"charts": 7' "$tmp/seen")" -eq 2 ] || { cat "$tmp/seen"; fail "not 7 charts seen at each width"; }
grep -q '"width": "print"' "$tmp/seen" || { cat "$tmp/seen"; fail "the report was not laid out for print"; }
head -c 5 "$tmp/report.pdf" | grep -q '%PDF-' || fail "Chromium printed no PDF"
exit 0
