#!/bin/sh
# run-e2e.sh - run the e2e tests against the built tree:
#     sh tests/run-e2e.sh [TEST...]
# every tests/e2e/test_*.sh, or the TESTs named (test_cli, or a path; E2E_TESTS too, a list of
# paths or a glob).  A test exits 0 (pass), 77 (skip: it says why) or else (fail).
#
# Each test runs in a scope of its own (tests/lib/scope.sh: private IPC, mount and PID
# namespaces where Linux allows them), which names what it left behind: leftovers fail the
# test that left them.  Each test has a deadline: E2E_DEADLINE seconds (default 300), or the
# number on a line "# e2e-deadline: N" in the test; a test that passes it is killed with all
# its processes (its namespaces; else its process group and every process carrying its tag),
# named, and failed with what it printed last.  A part a test skipped is a call of the
# harness's h_skip_part, counted and named on the closing line, so that "0 skipped" means
# nothing was left out.
BUILD=${BUILD:-build}
export BUILD
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root" || exit 1
deadline_default=${E2E_DEADLINE:-300}

# The tests: the arguments (a name or a path), else E2E_TESTS, else all of them.
tests=""
for a in "$@"; do
	case $a in
	*/*|*.sh) tests="$tests $a" ;;
	*) tests="$tests tests/e2e/$a.sh" ;;
	esac
done
[ -n "$tests" ] || tests=${E2E_TESTS:-tests/e2e/test_*.sh}

have_timeout=0
command -v timeout >/dev/null && have_timeout=1

# The deadline of test $1, in seconds: a "# e2e-deadline: N" line in its opening comment.
deadline_of() {
	d=$(awk '!/^#/ { exit } /^# e2e-deadline: *[0-9]+ *$/ { print $3; exit }' "$1")
	echo "${d:-$deadline_default}"
}

# Processes carrying tag $1 (outside namespaces, what a killed test may have left running).
kill_tagged() {
	[ -r /proc/self/environ ] || return 0
	for p in /proc/[0-9]*; do
		grep -qa "IPCPROBE_E2E_TAG=$1" "$p/environ" 2>/dev/null && kill -KILL "${p#/proc/}" 2>/dev/null
	done
	return 0
}

pass=0 fail=0 skip=0 failed="" skipped="" partial="" scopes=""
work=$(mktemp -d "${TMPDIR:-/tmp}/ipcprobe-e2e-run.XXXXXX") || exit 1
chmod 755 "$work"	# tests run parts as nobody inside their TMPDIR, below this
trap 'rm -rf "$work"' EXIT
out=$work/out skips=$work/skips
for t in $tests; do
	[ -f "$t" ] || { echo "run-e2e: no test $t" >&2; fail=$((fail + 1)); failed="$failed $t"; continue; }
	name=$(basename "$t" .sh)
	d=$(deadline_of "$t")
	tag=$(od -An -N8 -tx1 /dev/urandom | tr -d ' \n')
	: >"$skips"
	echo "== e2e: $name"
	t0=$(date +%s)
	# The scope makes the test's TMPDIR inside $work/t, which is removed after each test, also
	# when the deadline killed the scope before it could clean up.  (Short: Chromium's socket
	# path inside it must stay under the 108 bytes of a sockaddr_un.)
	mkdir -m 755 "$work/t"
	if [ $have_timeout = 1 ]; then
		TMPDIR=$work/t IPCPROBE_E2E_TAG=$tag IPCPROBE_E2E_SKIPS=$skips \
			timeout -k 3 "$d" sh tests/lib/scope.sh "$t" >"$out" 2>&1
	else
		TMPDIR=$work/t IPCPROBE_E2E_TAG=$tag IPCPROBE_E2E_SKIPS=$skips \
			sh tests/lib/scope.sh "$t" >"$out" 2>&1
	fi
	rc=$?
	rm -rf "$work/t"
	secs=$(($(date +%s) - t0))
	cat "$out"
	s=$(sed -n 's/^scope: //p' "$out" | tail -n 1)
	[ -n "$s" ] && case "|$scopes|" in *"|$s|"*) ;; *) scopes="${scopes:+$scopes|}$s" ;; esac
	if [ $have_timeout = 1 ] && { [ $rc -eq 124 ] || [ $rc -eq 137 ]; } && [ $secs -ge "$d" ]; then
		kill_tagged "$tag"
		# (not the shells' own word for a child the deadline killed)
		last=$(grep -Ev '^(scope: .*|Terminated|Killed)$' "$out" | tail -n 1)
		echo "FAIL: $name passed its deadline of $d s and was killed; it printed last: ${last:-nothing}" >&2
		fail=$((fail + 1)) failed="$failed $name"
		continue
	fi
	case $rc in
	0) pass=$((pass + 1))
	   n=$(wc -l <"$skips" | tr -d ' ')
	   [ "$n" -gt 0 ] && partial="$partial $name($n)"
	   echo "-- $name: passed in $secs s" ;;
	77) skip=$((skip + 1)) skipped="$skipped $name"; echo "SKIP: $name" ;;
	*) fail=$((fail + 1)) failed="$failed $name"; echo "FAIL: $name (exit $rc, $secs s)" >&2 ;;
	esac
done

[ $have_timeout = 1 ] || echo "run-e2e: no timeout(1) here: the tests ran without deadlines"
echo "leftovers judged in: $(echo "${scopes:-nothing}" | sed 's/|/; /g')"
echo "e2e: $pass passed, $skip skipped${skipped:+ ($skipped )}, $fail failed${failed:+ ($failed )}\
${partial:+; parts skipped in:$partial}"
[ $fail -eq 0 ]
