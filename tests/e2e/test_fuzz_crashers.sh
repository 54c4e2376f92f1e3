#!/bin/sh
# test_fuzz_crashers.sh - replay the fuzzers' kept findings (tests/fuzz/crashers/, see its
# README) through the normal binaries: a config through `ipcprobe check`, a records file
# through `ipcprobe export` of a run directory holding it.  Each must end with an exit status
# (0, 1 or 2: accepted or refused with a message), never a signal or a hang; a sanitizer
# build turns any memory error into a failure.  With no findings kept it passes and says so.
. "$(dirname "$0")/../lib/harness.sh"

# One replay: run "$@" for at most 20 s; its exit status must be 0, 1 or 2.
replay() {
	what=$1
	shift
	timeout -s KILL 20 "$@" > "$tmp/out" 2>&1
	rc=$?
	case $rc in
	0|1|2) ;;
	137) cat "$tmp/out"; fail "$what: hung (killed after 20 s)" ;;
	*) cat "$tmp/out"; fail "$what: ended with status $rc (a crash or a sanitizer report)" ;;
	esac
}

n=0
for f in tests/fuzz/crashers/config/*; do
	[ -f "$f" ] || continue
	replay "$f" "$BUILD/ipcprobe" check "$f"
	n=$((n + 1))
done
for f in tests/fuzz/crashers/records/*; do
	[ -f "$f" ] || continue
	rm -rf "$tmp/run"
	mkdir "$tmp/run" && cp "$f" "$tmp/run/records.jsonl"
	replay "$f" "$BUILD/ipcprobe" export --format gbench "$tmp/run"
	n=$((n + 1))
done
if [ $n -eq 0 ]; then
	echo "test_fuzz_crashers: no findings kept in tests/fuzz/crashers/: nothing to replay"
else
	echo "test_fuzz_crashers: $n findings replayed, none crashed"
fi
exit 0
