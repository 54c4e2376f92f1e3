#!/bin/sh
# test_probe_rules.sh - the design rules of probes/ that a build can check (issue 14):
#  1. every probes/lib header compiles on its own as C and as C++ (-Wall -Wextra -Werror), and
#     a C++ translation unit that takes the address of every function a C header declares
#     refers to them by their C names (extern "C"), so a C++ probe links against libprobe.a;
#  2. running out of memory ends a probe as alloc.h says: one failed record naming the bytes
#     and what for, exit 1, the IPC objects it registered removed (the selftest probe's oom);
#  3. no probe chooses behaviour by a transport's name (the ops and TR_* flags say it);
#  4. no function in probes/ (a probe's parts in probes/NAME/ too), probes/lib/ or runner/ is
#     longer than 80 lines (funclen.awk).
# Seconds in all.
. "$(dirname "$0")/../lib/harness.sh"
CC=${CC:-cc}
CXX=${CXX:-c++}
[ -f "$BUILD/gen/have.h" ] || fail "$BUILD/gen/have.h is not there: build first"
flags="-D_GNU_SOURCE -I$BUILD/gen -Iprobes/lib -Wall -Wextra -Werror"

# 1. headers: alone, as C and as C++; C linkage for every function of a C header
for h in probes/lib/*.h; do
	b=$(basename "$h")
	printf '#include "%s"\n' "$b" > "$tmp/one.c"
	cp "$tmp/one.c" "$tmp/one.cc"
	if [ "$b" != gbench.h ]; then	# gbench.h is C++ glue: Google Benchmark's types
		$CC -std=c11 $flags -fsyntax-only "$tmp/one.c" ||
			fail "$h does not compile on its own as C"
	fi
	$CXX -std=c++17 $flags -fsyntax-only "$tmp/one.cc" || fail "$h does not compile as C++"
	[ "$b" = gbench.h ] && continue
	# the functions it declares: a name before "(" on a declaration at column 0
	fns=$(python3 - "$h" <<'PY'
import re, sys
src = re.sub(r'/\*.*?\*/', '', open(sys.argv[1]).read(), flags=re.S)
names = re.findall(r'^(?!static|typedef|#|extern\s|struct\s+\w+\s*\{|enum\s+\w+\s*\{|\s|\})'
                   r'[A-Za-z_][^;{}()]*?\b([A-Za-z_]\w*)\s*\(', src, flags=re.M)
print(" ".join(names))
PY
)
	[ -n "$fns" ] || continue
	{
		printf '#include "%s"\n' "$b"
		i=0
		for f in $fns; do
			printf 'auto *ref_%d = &%s;\n' $i "$f"
			i=$((i + 1))
		done
	} > "$tmp/refs.cc"
	$CXX -std=c++17 $flags -c -o "$tmp/refs.o" "$tmp/refs.cc" || fail "$h: taking its functions' addresses failed"
	for f in $fns; do
		nm -u "$tmp/refs.o" | awk '{print $NF}' | grep -qx "$f" ||
			fail "$h: $f has C++ linkage from C++ (no extern \"C\"): $(nm -u "$tmp/refs.o" | grep "$f" | head -1)"
	done
done

# 2. out of memory: a failed record, exit 1, nothing left behind
S=$BUILD/tests/probes/selftest
[ -x "$S" ] || fail "$S is not built"
ls -1 "${TMPDIR:-/tmp}" | grep '^ipcprobe-' | sort > "$tmp/tmp-before"
# AddressSanitizer would abort on the impossible size instead of returning NULL as libc does
ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}allocator_may_return_null=1" \
	"$S" --case oom > "$tmp/oom.jsonl" 2> "$tmp/oom.err"
rc=$?
[ $rc -eq 1 ] || { cat "$tmp/oom.err"; fail "oom exited $rc, not 1 (PROBE_FAILED)"; }
python3 - "$tmp/oom.jsonl" <<'PY' || exit 1
import json, sys
recs = [json.loads(l) for l in open(sys.argv[1])]
assert len(recs) == 1, recs
r = recs[0]
assert r["status"] == "failed" and r["value"] is None, r
assert r["reason"] == ("out of memory: 4611686018427387904 bytes for the selftest's "
                       "impossible block"), r["reason"]
PY
ls -1 "${TMPDIR:-/tmp}" | grep '^ipcprobe-' | sort > "$tmp/tmp-after"
left=$(comm -13 "$tmp/tmp-before" "$tmp/tmp-after")
[ -z "$left" ] || fail "oom left its FIFO behind: $left"

# 3. behaviour chosen by flags, never by a transport's name
# a probe's parts (probes/NAME/*.c) are its own code too
parts=$(ls probes/*/*.c 2>/dev/null | grep -v '^probes/lib/')
named=$(grep -nE '(strn?cmp|strstr)\([^;]*(->name|tr_name)|tr_find\("' probes/*.c probes/*.cc $parts)
[ -z "$named" ] || fail "a probe chooses by a transport's name: $named"

# 4. small functions
long=$(awk -f tests/e2e/funclen.awk -v max=80 probes/*.c probes/*.cc $parts probes/lib/*.c \
	probes/lib/*.cc runner/*/*.c)
[ -z "$long" ] || fail "functions over 80 lines (file:line name length):
$long"
echo "test_probe_rules: ok"
