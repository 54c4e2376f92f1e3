#!/bin/sh
# stress.sh - `make test-stress`: the suite under load.  Two busy loops keep this machine's
# CPUs busy (on 2 cores: all of them) while `make test` runs three times in a row, then the
# sanitizer pass alone once more under the same load.  The suite's assertions are about
# behaviour, never speed, so every pass must be green; the wall time of each is printed.
# STRESS_LOOPS sets the number of busy loops (default 2), STRESS_RUNS the number of make test
# runs (default 3).
loops=${STRESS_LOOPS:-2} runs=${STRESS_RUNS:-3}
make=${MAKE:-make}
pids=""
stop_loops() { [ -n "$pids" ] && kill $pids 2>/dev/null; wait 2>/dev/null; pids=""; }
trap stop_loops EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
i=0
while [ $i -lt "$loops" ]; do
	sh -c 'while :; do :; done' &
	pids="$pids $!"
	i=$((i + 1))
done
echo "stress: $loops busy loops running (pids$pids)"
summary="" failed=0
pass() {
	label=$1
	shift
	t0=$(date +%s)
	"$@"
	rc=$?
	t=$(($(date +%s) - t0))
	if [ $rc -eq 0 ]; then
		summary="$summary
  $label: green in $((t / 60)) min $((t % 60)) s"
	else
		summary="$summary
  $label: FAILED (exit $rc) after $((t / 60)) min $((t % 60)) s"
		failed=1
	fi
}
i=1
while [ $i -le "$runs" ]; do
	echo "== stress: make test, run $i of $runs, under $loops busy loops"
	pass "make test run $i" $make --no-print-directory test
	i=$((i + 1))
done
echo "== stress: the sanitizer pass alone, under $loops busy loops"
pass "make test-asan" $make --no-print-directory test-asan
stop_loops
echo "stress ($loops busy loops):$summary"
exit $failed
