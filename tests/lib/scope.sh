#!/bin/sh
# scope.sh - run ONE e2e test in a scope of its own, and judge what it left behind there:
#     sh tests/lib/scope.sh tests/e2e/test_NAME.sh
# tests/run-e2e.sh runs every test through it, and a test run by hand enters it by itself (the
# harness, tests/lib/harness.sh, re-executes the test here), so that a test judges only its own
# objects however it is run, also while another ipcprobe run or test goes on meanwhile:
#   - on Linux where unshare(1) may make namespaces (root, or a user allowed user namespaces):
#     private IPC, mount and PID namespaces with a /dev/shm and an mqueue file system of their
#     own.  Everything the check sees is the test's; whatever it left dies with the namespaces.
#   - elsewhere (or E2E_NAMESPACES=no): the IPC objects this user owns that are new since the
#     test began, and the processes that carry the test's own IPCPROBE_E2E_TAG (where /proc
#     shows environments).  Another run of the same user meanwhile can be mistaken for ours
#     there: the closing line of run-e2e.sh says which scope was judged.
# In both, the test gets a TMPDIR of its own, which must be empty when it ends.
#
# What it prints after the test's own output: "scope: SCOPE" and, when something was left,
# "NAME left behind: KIND WHAT" lines (the test then fails).  Its exit status is the test's (0
# pass, 77 skip, else fail), or 1 when the test passed or skipped but left something.
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)

# Run "$@" in private namespaces, with /dev/shm and an mqueue file system of their own (on
# /dev/mqueue, or inside the private /dev/shm when the system has no /dev/mqueue).  Root keeps
# its identity.  Another user needs a user namespace, where mount(8) asks for uid 0: it mounts
# as the namespace's root, then a nested user namespace maps the user back to itself, so that
# the test sees the same user either way.
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

if [ "${1:-}" != --private ] && [ "${E2E_NAMESPACES:-yes}" != no ] &&
	[ "$(uname -s)" = Linux ] && command -v unshare >/dev/null && private_ns true 2>/dev/null; then
	private_ns sh "$here/scope.sh" --private "$@"
	exit $?
fi
if [ "${1:-}" = --private ]; then
	shift
	IPCPROBE_E2E_SCOPE="private namespaces (IPC, mount, PID)"
else
	E2E_MQUEUE=/dev/mqueue
	IPCPROBE_E2E_SCOPE="this user's new IPC objects and the processes tagged IPCPROBE_E2E_TAG (no private namespaces)"
fi
IPCPROBE_E2E_LIB=$here
export IPCPROBE_E2E_SCOPE E2E_MQUEUE IPCPROBE_E2E_LIB
test=$1
name=$(basename "$test" .sh)
IPCPROBE_E2E_TAG=${IPCPROBE_E2E_TAG:-$(od -An -N8 -tx1 /dev/urandom | tr -d ' \n')}
export IPCPROBE_E2E_TAG
. "$here/objects.sh"

# The test's temporary files go into a directory of its own (sticky and world-writable like
# /tmp, for the tests that run parts as nobody), which must be empty when it ends.
TMPDIR=$(mktemp -d "${TMPDIR:-/tmp}/ipcprobe-e2e.XXXXXX") || exit 1
chmod 1777 "$TMPDIR"
export TMPDIR
before=$(mktemp "$TMPDIR.before.XXXXXX") after=$(mktemp "$TMPDIR.after.XXXXXX")
trap 'rm -f "$before" "$after"; rm -rf "$TMPDIR"' EXIT
e2e_objects | sort >"$before"

cd "$root" || exit 1
sh "$test"
rc=$?

# A process the test killed may take a moment to be gone (its exit runs after the signal): a
# leftover is one still there after a grace of 5 s, which a dying process never needs.
i=0
while [ $i -lt 100 ] && [ -n "$(e2e_processes)" ]; do sleep 0.05; i=$((i + 1)); done
e2e_objects | sort >"$after"
echo "scope: $IPCPROBE_E2E_SCOPE"
# What is new since before (what went away meanwhile is not ours to judge).
left=$(comm -13 "$before" "$after")
if [ -n "$left" ]; then
	echo "$left" | sed "s/^/$name left behind: /" >&2
	[ $rc -eq 0 ] || [ $rc -eq 77 ] && rc=1
fi
exit $rc
