#!/bin/sh
# test_e2e_scope.sh - the suite's leftover check (tests/run-e2e.sh) judges only the suite's own
# objects, and its closing line names every skip.  A nested run of run-e2e.sh over a few fake
# tests, in its private namespaces and again without them (E2E_NAMESPACES=no):
#   - passes while a POSIX shm name, a SysV segment and a process named like a probe appear
#     outside it during its run and stay (another run on a shared machine);
#   - fails, naming them, when one of its own tests leaves such objects behind;
#   - counts a test that exits 77 as skipped and one that says it skipped a part, by name.
set -u
BUILD=${BUILD:-build}
export BUILD
meta=$(mktemp -d)
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
cleanup() {
	remove_foreign
	cleanup_leaked
	rm -rf "$meta"
}
trap cleanup EXIT
fail() { echo "test_e2e_scope: $*" >&2; [ -f "$meta/out" ] && cat "$meta/out" >&2; exit 1; }

# A process named like one of ours (the test probe's name), outside the suite.
mkdir -p "$meta/bin" "$meta/clean" "$meta/leak"
cp "$(command -v sleep)" "$meta/bin/selftest"
have_sysv=0
command -v ipcmk >/dev/null && command -v ipcrm >/dev/null && ipcmk -M 4096 >"$meta/probe" 2>&1 &&
	ipcrm -m "$(awk '{print $NF}' "$meta/probe")" && have_sysv=1

# The fake tests.  test_wait lets the foreign objects appear while the run is going.
cat > "$meta/clean/test_pass.sh" <<'EOF'
exit 0
EOF
cat > "$meta/clean/test_part.sh" <<'EOF'
echo "test_part: no such feature here: its part is skipped"
EOF
cat > "$meta/clean/test_skip.sh" <<'EOF'
echo "test_skip: needs what this machine lacks"
exit 77
EOF
cat > "$meta/clean/test_wait.sh" <<EOF
touch "$meta/started"
i=0
while [ ! -f "$meta/go" ] && [ \$i -lt 300 ]; do sleep 0.1; i=\$((i + 1)); done
EOF
cat > "$meta/leak/test_leak.sh" <<EOF
touch /dev/shm/ipcprobe-e2e-leak-\$\$ && echo "shm ipcprobe-e2e-leak-\$\$" >> "$meta/leaked"
if [ $have_sysv = 1 ]; then
	id=\$(ipcmk -M 4096 | awk '{print \$NF}') && echo "sysv \$id" >> "$meta/leaked"
fi
"$meta/bin/selftest" 60 >/dev/null 2>&1 &
echo "pid \$!" >> "$meta/leaked"
EOF
chmod 755 "$meta"/clean/*.sh "$meta"/leak/*.sh

# Make the foreign objects once the nested run is under way: in the namespaces they are
# outside them; without, they belong to another user (nobody, when we are root) and carry no
# tag.  Without namespaces and not root, only the process can be foreign: said.
make_foreign() {
	i=0
	while [ ! -f "$meta/started" ] && [ $i -lt 300 ]; do sleep 0.1; i=$((i + 1)); done
	as=""
	if [ "$1" = no ] && [ "$(id -u)" = 0 ] && command -v setpriv >/dev/null; then
		as="setpriv --reuid=65534 --regid=65534 --clear-groups"
	fi
	env -u IPCPROBE_E2E_TAG "$meta/bin/selftest" 60 >/dev/null 2>&1 &
	foreign_pid=$!
	if [ "$1" = no ] && [ -z "$as" ]; then
		echo "test_e2e_scope: not root: without namespaces, foreign IPC objects are skipped"
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
	echo "test_e2e_scope: run-e2e.sh cannot make private namespaces here: that mode is skipped"
fi

for ns in $modes; do
	rm -f "$meta/started" "$meta/go"
	nested $ns clean &
	run=$!
	make_foreign $ns
	wait $run || fail "namespaces=$ns: a clean run failed (foreign objects judged as ours?)"
	remove_foreign
	want="e2e: 3 passed, 1 skipped ( test_skip ), 0 failed; parts skipped in: test_part(1)"
	grep -qxF "$want" "$meta/out" || fail "namespaces=$ns: the closing line is not: $want"

	nested $ns leak && fail "namespaces=$ns: a test left objects behind and the run passed"
	settle_leaked
	grep -q "^shm ipcprobe-e2e-leak-" "$meta/out" || fail "namespaces=$ns: the shm name is not named"
	grep -q "^proc selftest$" "$meta/out" || fail "namespaces=$ns: the process is not named"
	[ $have_sysv = 0 ] || grep -q "^sysv 0x" "$meta/out" ||
		fail "namespaces=$ns: the SysV segment is not named"
	grep -qxF "e2e: 1 passed, 0 skipped, 1 failed ( leftovers )" "$meta/out" ||
		fail "namespaces=$ns: the closing line does not name the leftovers"
done
[ $have_sysv = 1 ] || echo "test_e2e_scope: no ipcmk/ipcrm: the SysV part is skipped"
echo "test_e2e_scope: ok (modes: $modes)"
