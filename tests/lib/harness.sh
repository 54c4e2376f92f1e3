# harness.sh - sourced by every e2e test (tests/e2e/test_*.sh) as its first step:
#     . tests/lib/harness.sh
# in the spirit of the kernel's kselftest harness: one set-up and teardown, one way to fail and
# to skip, waits bounded by the test's deadline instead of by a guess of the machine's speed.
#
# What a test gets:
#   $H_NAME          the test's name (test_cli)
#   $tmp             a fresh directory, removed when the test ends (H_KEEP=1 keeps it)
#   $BUILD           the build tree (default build)
#   fail MSG         "NAME: MSG" on stderr, exit 1
#   h_skip REASON    the whole test is skipped: "NAME: SKIP: REASON", exit 77
#   h_skip_part REASON
#                    a part is skipped: said, and counted and named by tests/run-e2e.sh
#   h_defer CMD      run CMD when the test ends, pass or fail (last deferred, first run)
#   h_wait DESC CMD...
#                    run CMD until it succeeds, however long that takes: the test's deadline
#                    (tests/run-e2e.sh) bounds it, not a guess of how fast this machine is
#   h_wait_alive PID DESC CMD...
#                    the same, but fail at once if process PID ends first
#   h_alive PID      is process PID there and not a zombie
#   h_ipc_state      the IPC objects in the test's scope (shm, mq, SysV), one per line
#   h_live NAME      is a process named NAME (one of ours: a probe, the runner) alive in
#                    the test's scope
#   h_wait_gone NAME until no process named NAME is alive in the test's scope (a killed
#                    process takes a moment to be gone)
#
# A test runs in a scope of its own (tests/lib/scope.sh: private namespaces where Linux allows
# them), which judges what it left behind when it ends.  Run by hand (sh tests/e2e/test_X.sh),
# the test re-executes itself there first, so it judges only its own objects either way.
set -u
H_NAME=$(basename "$0" .sh)
if [ -z "${IPCPROBE_E2E_SCOPE:-}" ]; then
	exec sh "$(dirname "$0")/../lib/scope.sh" "$0"
fi
BUILD=${BUILD:-build}
export BUILD
. "${IPCPROBE_E2E_LIB:-$(dirname "$0")/../lib}/objects.sh"

fail() {
	echo "$H_NAME: $*" >&2
	exit 1
}

h_skip() {
	echo "$H_NAME: SKIP: $*"
	exit 77
}

# tests/run-e2e.sh passes a file in IPCPROBE_E2E_SKIPS: one line a skipped part.
h_skip_part() {
	echo "$H_NAME: skipped: $*"
	[ -n "${IPCPROBE_E2E_SKIPS:-}" ] && echo "$*" >>"$IPCPROBE_E2E_SKIPS"
	return 0
}

h_deferred=""
h_defer() {
	h_deferred="$*
$h_deferred"
}

h_teardown() {
	rc=$?
	trap - EXIT
	while IFS= read -r cmd; do
		[ -n "$cmd" ] && eval "$cmd"
	done <<DEFERRED
$h_deferred
DEFERRED
	[ -n "${H_KEEP:-}" ] && echo "$H_NAME: kept $tmp" >&2 || rm -rf "$tmp"
	exit $rc
}

# The line each wait prints is what a test that passes its deadline printed last.
h_wait() {
	echo "$H_NAME: waiting for $1"
	shift
	until "$@"; do sleep 0.05; done
}

# Alive: not gone and not a zombie (a child that ended stays one until the shell waits).
h_alive() {
	h_stat=$(ps -o stat= -p "$1" 2>/dev/null) || return 1
	case $h_stat in Z*|"") return 1 ;; esac
}

h_wait_alive() {
	h_pid=$1
	echo "$H_NAME: waiting for $2"
	h_desc=$2
	shift 2
	until "$@"; do
		h_alive "$h_pid" || fail "waiting for $h_desc: process $h_pid ended first"
		sleep 0.05
	done
}

h_live() {
	e2e_processes | grep -qx "proc $1"
}

h_wait_gone() {
	echo "$H_NAME: waiting for every $1 process to be gone"
	while h_live "$1"; do sleep 0.05; done
}

h_ipc_state() {
	e2e_ipc | sort
}

tmp=$(mktemp -d) || fail "mktemp -d failed"
trap h_teardown EXIT
trap 'exit 129' HUP
trap 'exit 130' INT
trap 'exit 143' TERM
