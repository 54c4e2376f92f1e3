#!/bin/sh
# run-e2e.sh - run every tests/e2e/test_*.sh against the built tree, then check that nothing
# was left behind: no /dev/shm or /dev/mqueue name, no SysV object, no FIFO or temporary file
# of ours, no process of ours.  A test exits 0 (pass), 77 (skip: it prints why) or else (fail).
BUILD=${BUILD:-build}
export BUILD
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root" || exit 1

# The processes of ours: the runner, its watchman, the test probe, and every probe built into
# $BUILD/probes (the one list of probes is the probes/ folder; see the Makefile).
probe_names=$(cd "$BUILD/probes" 2>/dev/null && for f in *; do
	case $f in *.*) continue ;; esac
	[ -f "$f" ] && [ -x "$f" ] && printf '|%s' "$f"
done)
ours="ipcprobe|ipcprobe-watch|selftest$probe_names"

snapshot() {
	ls -1 /dev/shm 2>/dev/null | sed 's/^/shm /'
	ls -1 /dev/mqueue 2>/dev/null | sed 's/^/mq /'
	ipcs 2>/dev/null | awk '$1 ~ /^0x/ {print "sysv", $1, $2}'
	ls -1 "$TMPDIR" 2>/dev/null | sed 's/^/tmp /'
	# Zombies are excluded: they are dead, and this sandbox's init may never reap an orphan.
	ps -eo stat=,comm= | awk -v ours="^($ours)\$" '$1 !~ /^Z/ && $2 ~ ours {print "proc", $2}'
}

# The tests' temporary files go into a directory of their own (sticky and world-writable like
# /tmp, for the tests that run as nobody), so that the check below judges only ours and not
# what other programs on a shared machine keep in /tmp meanwhile.
before=$(mktemp) after=$(mktemp)
TMPDIR=$(mktemp -d "${TMPDIR:-/tmp}/ipcprobe-e2e.XXXXXX") || exit 1
chmod 1777 "$TMPDIR"
export TMPDIR
trap 'rm -f "$before" "$after"; rm -rf "$TMPDIR"' EXIT
snapshot | sort > "$before"

# A skip is a test exiting 77 (all of it skipped), or a passing test whose output says it
# skipped a part ("skip" in a line: not root, no namespace, no node, ...): both are counted and
# named on the closing line, so that "0 skipped" means nothing was left out.
pass=0 fail=0 skip=0 failed="" skipped="" partial=""
out1=$(mktemp "${TMPDIR:-/tmp}/e2e-out.XXXXXX")
for t in tests/e2e/test_*.sh; do
	name=$(basename "$t" .sh)
	echo "== e2e: $name"
	sh "$t" >"$out1" 2>&1
	rc=$?
	cat "$out1"
	case $rc in
	0) pass=$((pass + 1))
	   n=$(grep -ci 'skip' "$out1")
	   [ "$n" -gt 0 ] && partial="$partial $name($n)" ;;
	77) skip=$((skip + 1)); skipped="$skipped $name"; echo "SKIP: $name" ;;
	*) fail=$((fail + 1)); failed="$failed $name"; echo "FAIL: $name (exit $rc)" >&2 ;;
	esac
done
rm -f "$out1"

sleep 0.2
snapshot | sort > "$after"
# What is new since before (what went away meanwhile, another run's, is not ours to judge).
added=$(comm -13 "$before" "$after")
if [ -n "$added" ]; then
	echo "FAIL: the tests left IPC objects, files or processes behind:" >&2
	echo "$added" >&2
	fail=$((fail + 1))
	failed="$failed leftovers"
fi
echo "e2e: $pass passed, $skip skipped${skipped:+ ($skipped )}, $fail failed${failed:+ ($failed )}${partial:+; parts skipped in:$partial}"
[ $fail -eq 0 ]
