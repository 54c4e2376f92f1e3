#!/bin/sh
# valgrind.sh UNIT_BIN... - the unit tests, then one quick end-to-end run (the runner and every
# C and C++ probe it starts), under valgrind's memcheck: any error, or any definite or
# indirect leak, fails.  Logs in $BUILD/valgrind/.
BUILD=${BUILD:-build}
logs=$BUILD/valgrind
rm -rf "$logs" && mkdir -p "$logs"
vg="valgrind -q --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite,indirect
	--show-leak-kinds=definite,indirect --child-silent-after-fork=yes"
command -v valgrind >/dev/null || { echo "valgrind is not installed; run make deps" >&2; exit 1; }
fail=0
for t in "$@"; do
	echo "== valgrind: $(basename "$t")"
	$vg --log-file="$logs/$(basename "$t").%p.log" "$t" >"$logs/$(basename "$t").out" 2>&1 ||
		{ echo "FAIL: $t under valgrind (see $logs)" >&2; fail=1; }
done
echo "== valgrind: ipcprobe run configs/quick.yaml (and its probes)"
tmp=$(mktemp -d)
# Interpreters and tools the runner starts are not ours to check: python3, gnuplot, git.
$vg --trace-children=yes --trace-children-skip='*python*,*gnuplot*,*/git,/bin/*,/usr/bin/*' \
	--log-file="$logs/run.%p.log" "$BUILD/ipcprobe" run configs/quick.yaml -o "$tmp/run" \
	>"$logs/run.out" 2>&1
rc=$?
rm -rf "$tmp"
# A probe under valgrind may be too slow for a case, which is not valgrind's finding; an error
# in any process is (its log is not empty).
for f in "$logs"/*.log; do
	if [ -s "$f" ]; then
		echo "FAIL: valgrind reports in $f:" >&2
		head -30 "$f" >&2
		fail=1
	fi
done
[ $rc -eq 0 ] || [ $rc -eq 1 ] || { echo "FAIL: the run under valgrind exited $rc" >&2; fail=1; }
[ $fail -eq 0 ] && echo "valgrind: clean ($(ls "$logs"/*.log | wc -l) processes checked)"
exit $fail
