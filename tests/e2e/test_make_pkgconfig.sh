#!/bin/sh
# test_make_pkgconfig.sh - the Makefile takes every library's flags from pkg-config (--cflags
# and --libs), as Homebrew on arm64 needs (/opt/homebrew/include), and falls back to a plain
# -lNAME, saying so, only for a library pkg-config has no .pc file for.  A stand-in pkg-config
# first on PATH answers with made-up directories; `make -n` shows the commands it would run.
. "$(dirname "$0")/../lib/harness.sh"
command -v make >/dev/null || h_skip "no make"

mkdir "$tmp/bin"
# Knows jansson, yaml-0.1 and benchmark; has no cmocka.pc.
cat > "$tmp/bin/pkg-config" <<'PC'
#!/bin/sh
what=$1 pkg=$2
case $pkg in jansson|yaml-0.1|benchmark) ;; *) exit 1 ;; esac
case $what in
--exists) exit 0 ;;
--cflags) echo "-I/opt/fake/$pkg/include" ;;
--libs) echo "-L/opt/fake/$pkg/lib -lfake_$pkg" ;;
esac
PC
chmod +x "$tmp/bin/pkg-config"
b="$tmp/build"
PATH="$tmp/bin:$PATH" make -n BUILD="$b" "$b/runner/cli/main.o" "$b/ipcprobe" \
	"$b/probes/latency" "$b/tests/test_mwu" > "$tmp/out" 2> "$tmp/err" ||
	{ cat "$tmp/err"; fail "make -n failed"; }
grep -E '(gcc|cc) .*-c -o [^ ]*/runner/cli/main.o' "$tmp/out" > "$tmp/cc" || fail "no compile line"
for p in jansson yaml-0.1 benchmark; do
	grep -q -- "-I/opt/fake/$p/include" "$tmp/cc" || { cat "$tmp/cc"; fail "no --cflags of $p"; }
done
grep -E -- '-o [^ ]*/ipcprobe ' "$tmp/out" | grep -q -- '-L/opt/fake/yaml-0.1/lib -lfake_yaml-0.1 .*-lfake_jansson' ||
	{ grep ipcprobe "$tmp/out"; fail "the runner is not linked with pkg-config's --libs"; }
grep -E -- '-o [^ ]*/probes/latency ' "$tmp/out" | grep -q -- '-lfake_benchmark' ||
	fail "latency is not linked with benchmark's --libs"
# cmocka has no .pc: a plain -lcmocka, and one warning that says so.
grep -E -- '-o [^ ]*/tests/test_mwu ' "$tmp/out" | grep -q -- ' -lcmocka ' ||
	fail "the unit test is not linked with the fallback -lcmocka"
grep -q 'pkg-config has no cmocka.pc: linking with plain -lcmocka' "$tmp/err" ||
	{ cat "$tmp/err"; fail "make did not say cmocka fell back to -lcmocka"; }
[ "$(grep -c 'has no .*\.pc' "$tmp/err")" -eq 1 ] || { cat "$tmp/err"; fail "a warning for a library that has a .pc"; }
echo "test_make_pkgconfig: ok"
