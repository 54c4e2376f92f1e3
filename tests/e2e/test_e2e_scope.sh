#!/bin/sh
# test_e2e_scope.sh - the suite's scope and deadline (tests/lib/scope.sh, tests/run-e2e.sh):
# each test judges only its own objects, leftovers are named by the test that left them, a
# test past its deadline is killed with its processes and named, and skips are counted from
# the harness's calls.  A nested run of run-e2e.sh over a few fake tests, in private
# namespaces and again without them (E2E_NAMESPACES=no):
#   - passes while a POSIX shm name, a SysV segment and a process named like a probe appear
#     outside it during its run and stay (another run on a shared machine);
#   - fails the test that leaves such objects behind, naming them and it;
#   - kills a test that passes its deadline (e2e-deadline: 2) with the process it started in
#     a session of its own, and names it with the last line it printed;
#   - counts a test that exits 77 as skipped and one that calls h_skip_part, by name, and not
#     one that merely prints the word "skip".
. "$(dirname "$0")/../lib/harness.sh"
meta=$tmp
chmod 755 "$meta"
foreign_pid="" foreign_shm="" foreign_sysv=""
remove_foreign() {
	[ -n "$foreign_pid" ] && kill "$foreign_pid" 2>/dev/null && wait "$foreign_pid" 2>/dev/null
	[ -n "$foreign_shm" ] && rm -f "$foreign_shm"
	[ -n "$foreign_sysv" ] && ipcrm -m "$foreign_sysv" 2>/dev/null
	foreign_pid="" foreign_shm="" foreign_sysv=""
}
# What a leaking fake test left (outside namespaces), listed by it in $meta/leaked.
cleanup_leaked() {
	[ -f "$meta/leaked" ] || return 0
	while read -r kind what; do
		case $kind in
		pid) kill "$what" 2>/dev/null ;;
		shm) rm -f "/dev/shm/$what" ;;
		sysv) ipcrm -m "$what" 2>/dev/null ;;
		esac
	done < "$meta/leaked"
	rm -f "$meta/leaked"
}
h_defer remove_foreign
h_defer cleanup_leaked
fail() { echo "test_e2e_scope: $*" >&2; [ -f "$meta/out" ] && cat "$meta/out" >&2; exit 1; }

# A process named like one of ours (the test probe's name), outside the suite.
mkdir -p "$meta/bin" "$meta/clean" "$meta/leak" "$meta/hang"
cp "$(command -v sleep)" "$meta/bin/selftest"
have_sysv=0
command -v ipcmk >/dev/null && command -v ipcrm >/dev/null && ipcmk -M 4096 >"$meta/probe" 2>&1 &&
	ipcrm -m "$(awk '{print $NF}' "$meta/probe")" && have_sysv=1

# The fake tests, which use the harness as the real ones do.  test_wait lets the foreign
# objects appear while the run is going.
lib=". $(pwd)/tests/lib/harness.sh"
cat > "$meta/clean/test_pass.sh" <<EOF
$lib
exit 0
EOF
cat > "$meta/clean/test_part.sh" <<EOF
$lib
h_skip_part "no such feature here"
EOF
cat > "$meta/clean/test_word.sh" <<EOF
$lib
echo "test_word: the word skip alone is no skip"
EOF
cat > "$meta/clean/test_skip.sh" <<EOF
$lib
h_skip "needs what this machine lacks"
EOF
cat > "$meta/clean/test_wait.sh" <<EOF
$lib
touch "$meta/started"
h_wait "the foreign objects" test -f "$meta/go"
EOF
cat > "$meta/leak/test_leak.sh" <<EOF
$lib
touch /dev/shm/ipcprobe-e2e-leak-\$\$ && echo "shm ipcprobe-e2e-leak-\$\$" >> "$meta/leaked"
if [ $have_sysv = 1 ]; then
	id=\$(ipcmk -M 4096 | awk '{print \$NF}') && echo "sysv \$id" >> "$meta/leaked"
fi
"$meta/bin/selftest" 60 >/dev/null 2>&1 &
echo "pid \$!" >> "$meta/leaked"
EOF
cat > "$meta/hang/test_hang.sh" <<EOF
# e2e-deadline: 2
$lib
setsid "$meta/bin/selftest" 600 >/dev/null 2>&1 &
h_wait "the end of the world" false
EOF
chmod 755 "$meta"/clean/*.sh "$meta"/leak/*.sh "$meta"/hang/*.sh

# Make the foreign objects once the nested run is under way: in the namespaces they are
# outside them; without, they belong to another user (nobody, when we are root) and carry no
# tag.  Without namespaces and not root, only the process can be foreign: said.
make_foreign() {
	h_wait "the nested run to start" test -f "$meta/started"
	as=""
	if [ "$1" = no ] && [ "$(id -u)" = 0 ] && command -v setpriv >/dev/null; then
		as="setpriv --reuid=65534 --regid=65534 --clear-groups"
	fi
	env -u IPCPROBE_E2E_TAG "$meta/bin/selftest" 60 >/dev/null 2>&1 &
	foreign_pid=$!
	if [ "$1" = no ] && [ -z "$as" ]; then
		h_skip_part "not root: without namespaces, foreign IPC objects"
	else
		foreign_shm=/dev/shm/ipcprobe-foreign-$$
		$as touch "$foreign_shm"
		[ $have_sysv = 1 ] && foreign_sysv=$($as ipcmk -M 4096 | awk '{print $NF}')
	fi
	touch "$meta/go"
}

# A nested run over the tests in $2, namespaces $1 (yes/no); its output into $meta/out.
nested() {
	E2E_NAMESPACES=$1 E2E_TESTS="$meta/$2/test_*.sh" sh tests/run-e2e.sh >"$meta/out" 2>&1
}

# Outside namespaces, what a leaking fake test left is ours to remove; inside them it died
# with them (and its pids were the namespace's: never signal those out here).
settle_leaked() {
	grep -q "^leftovers judged in: private namespaces" "$meta/out" && rm -f "$meta/leaked"
	cleanup_leaked
}

# Private namespaces where run-e2e.sh can make them (a nested run says where it judged).
modes=no
if E2E_TESTS="$meta/clean/test_pass.sh" sh tests/run-e2e.sh >"$meta/out" 2>&1 &&
	grep -q "^leftovers judged in: private namespaces" "$meta/out"; then
	modes="yes no"
else
	h_skip_part "run-e2e.sh cannot make private namespaces here: that mode"
fi

for ns in $modes; do
	rm -f "$meta/started" "$meta/go"
	nested $ns clean &
	run=$!
	make_foreign $ns
	wait $run || fail "namespaces=$ns: a clean run failed (foreign objects judged as ours?)"
	remove_foreign
	want="e2e: 4 passed, 1 skipped ( test_skip ), 0 failed; parts skipped in: test_part(1)"
	grep -qxF "$want" "$meta/out" || fail "namespaces=$ns: the closing line is not: $want"

	nested $ns leak && fail "namespaces=$ns: a test left objects behind and the run passed"
	settle_leaked
	grep -q "^test_leak left behind: shm ipcprobe-e2e-leak-" "$meta/out" ||
		fail "namespaces=$ns: the shm name is not named"
	grep -q "^test_leak left behind: proc selftest$" "$meta/out" ||
		fail "namespaces=$ns: the process is not named"
	[ $have_sysv = 0 ] || grep -q "^test_leak left behind: sysv 0x" "$meta/out" ||
		fail "namespaces=$ns: the SysV segment is not named"
	grep -qxF "e2e: 0 passed, 0 skipped, 1 failed ( test_leak )" "$meta/out" ||
		fail "namespaces=$ns: the closing line does not name the test that left them"

	# Past its deadline: killed, named with its last line, and its session-leader child
	# gone with it (the namespaces, else the tag).
	nested $ns hang && fail "namespaces=$ns: a test past its deadline passed"
	last="test_hang: waiting for the end of the world"
	grep -qxF "FAIL: test_hang passed its deadline of 2 s and was killed; it printed last: $last" \
		"$meta/out" || fail "namespaces=$ns: the test past its deadline is not named with its last line"
	grep -qxF "e2e: 0 passed, 0 skipped, 1 failed ( test_hang )" "$meta/out" ||
		fail "namespaces=$ns: the closing line does not name the test past its deadline"
	h_wait_gone selftest
done
[ $have_sysv = 1 ] || h_skip_part "no ipcmk/ipcrm: the SysV part"
echo "test_e2e_scope: ok (modes: $modes)"
