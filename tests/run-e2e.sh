#!/bin/sh
# run-e2e.sh - run every tests/e2e/test_*.sh (or the files E2E_TESTS names) against the built
# tree, then check that nothing was left behind: no /dev/shm or POSIX mq name, no SysV object,
# no FIFO or temporary file of ours, no process of ours.  A test exits 0 (pass), 77 (skip: it
# prints why) or else (fail).
#
# The check judges only the suite's own objects, so that it passes on a machine where
# something else (another ipcprobe run, a CI job) makes and removes IPC objects meanwhile:
#   - on Linux where unshare(1) may make namespaces (root, or a user allowed user namespaces),
#     the suite runs in private IPC, mount and PID namespaces with a /dev/shm and an mqueue
#     file system of its own: all the check sees is the suite's, and what it left dies with
#     the namespaces;
#   - elsewhere the check judges the IPC objects this user owns and the processes carrying
#     this run's IPCPROBE_E2E_TAG in their environment (where /proc shows it), and the closing
#     line says so.
BUILD=${BUILD:-build}
export BUILD
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root" || exit 1

# Run "$@" in private namespaces, with /dev/shm and an mqueue file system of their own (on
# /dev/mqueue, or inside the private /dev/shm when the system has no /dev/mqueue).  Root keeps
# its identity.  Another user needs a user namespace, where mount(8) asks for uid 0: it mounts
# as the namespace's root, then a nested user namespace maps the user back to itself, so that
# the tests see the same user either way.
private_ns() {
	as="" back=""
	if [ "$(id -u)" != 0 ]; then
		as="--map-root-user"
		back="unshare --user --map-user=$(id -u) --map-group=$(id -g)"
	fi
	unshare $as --ipc --mount --pid --fork --kill-child --mount-proc --propagation private \
		sh -c 'mount -t tmpfs -o mode=1777 e2e-shm /dev/shm || exit 1
		       E2E_MQUEUE=/dev/mqueue
		       [ -d $E2E_MQUEUE ] || { E2E_MQUEUE=/dev/shm/.e2e-mqueue && mkdir $E2E_MQUEUE; }
		       mount -t mqueue e2e-mqueue $E2E_MQUEUE || exit 1
		       export E2E_MQUEUE
		       exec '"$back"' "$@"' sh "$@"
}
# Entered once: --private marks the run inside (a nested run of this script, as
# tests/e2e/test_e2e_scope.sh makes, enters namespaces of its own).
# E2E_NAMESPACES=no keeps the run outside them (test_e2e_scope.sh checks both ways).
if [ "${1:-}" != --private ] && [ "${E2E_NAMESPACES:-yes}" != no ] &&
	[ "$(uname -s)" = Linux ] && command -v unshare >/dev/null && private_ns true 2>/dev/null; then
	private_ns sh tests/run-e2e.sh --private
	exit $?
fi
in_private=0
if [ "${1:-}" = --private ]; then
	in_private=1
	scope="private namespaces (IPC, mount, PID)"
else
	E2E_MQUEUE=/dev/mqueue
	scope="this user's IPC objects and processes tagged IPCPROBE_E2E_TAG (no private namespaces)"
fi
IPCPROBE_E2E_TAG=$(od -An -N8 -tx1 /dev/urandom | tr -d ' \n')
export IPCPROBE_E2E_TAG
me=$(id -u) me_name=$(id -un)

# The processes of ours: the runner, its watchman, the test probe, and every probe built into
# $BUILD/probes (the one list of probes is the probes/ folder; see the Makefile).
probe_names=$(cd "$BUILD/probes" 2>/dev/null && for f in *; do
	case $f in *.*) continue ;; esac
	[ -f "$f" ] && [ -x "$f" ] && printf '|%s' "$f"
done)
ours="ipcprobe|ipcprobe-watch|selftest$probe_names"

# Is the file $1 the suite's to judge?  In the namespaces all are; else this user's.
judged() {
	[ $in_private = 1 ] && return 0
	[ "$(stat -c %u "$1" 2>/dev/null || stat -f %u "$1" 2>/dev/null)" = "$me" ]
}

# "KIND NAME" for the names in directory $1, hidden ones too (not the mqueue mount point).
names() {
	[ -d "$1" ] || return 0
	for f in "$1"/* "$1"/.[!.]* "$1"/..?*; do
		[ -e "$f" ] || [ -L "$f" ] || continue
		[ "$f" = "$E2E_MQUEUE" ] && continue
		judged "$f" && echo "$2 ${f##*/}"
	done
}

# SysV objects: all of them in the namespaces, else this user's (ipcs: key id owner ...).
sysv_objects() {
	ipcs 2>/dev/null | awk -v all=$in_private -v u="$me_name" \
		'$1 ~ /^0x/ && (all || $3 == u) {print "sysv", $1, $2}'
}

# Live processes of ours (zombies are dead, and an init may never reap an orphan): in the
# namespaces every one named as ours; else those that also carry this run's tag.
processes() {
	if [ $in_private = 1 ] || [ ! -r /proc/self/environ ]; then
		ps -eo stat=,comm= 2>/dev/null |
			awk -v ours="^($ours)\$" '$1 !~ /^Z/ && $2 ~ ours {print "proc", $2}'
		return
	fi
	for p in /proc/[0-9]*; do
		grep -qa "IPCPROBE_E2E_TAG=$IPCPROBE_E2E_TAG" "$p/environ" 2>/dev/null || continue
		state=$(sed 's/.*) //' "$p/stat" 2>/dev/null | cut -d' ' -f1)
		comm=$(cat "$p/comm" 2>/dev/null)
		[ "$state" = Z ] && continue
		echo "$comm" | grep -Eqx "$ours" && echo "proc $comm"
	done
}

snapshot() {
	names /dev/shm shm
	names "$E2E_MQUEUE" mq
	sysv_objects
	names "$TMPDIR" tmp
	processes
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
for t in ${E2E_TESTS:-tests/e2e/test_*.sh}; do
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
# What is new since before (what went away meanwhile is not ours to judge).
added=$(comm -13 "$before" "$after")
if [ -n "$added" ]; then
	echo "FAIL: the tests left IPC objects, files or processes behind:" >&2
	echo "$added" >&2
	fail=$((fail + 1))
	failed="$failed leftovers"
fi
echo "leftovers judged in: $scope"
echo "e2e: $pass passed, $skip skipped${skipped:+ ($skipped )}, $fail failed${failed:+ ($failed )}\
${partial:+; parts skipped in:$partial}"
[ $fail -eq 0 ]
