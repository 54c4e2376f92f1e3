#!/bin/sh
# test_install.sh - make install and make uninstall where PREFIX and DESTDIR hold spaces (issue
# 28 item 11: the unquoted paths failed after making stray directories, one in the source tree;
# issue 25 item 9: there was no uninstall).  The installed command runs and finds its probes;
# uninstall leaves nothing of ours and keeps what was there before; the source tree gains
# nothing.
. "$(dirname "$0")/../lib/harness.sh"
# What the source tree holds (git does not list empty directories: these are what the old
# Makefile left, "dir" and "probe" from "dest dir" and "ipc probe").
tree() { find . -path ./.git -prune -o -path "./build*" -prune -o -print | sort; }
before=$(tree)
dest="$tmp/dest dir" prefix="/opt/ipc probe"
mkdir -p "$dest$prefix/share/man/man1" && echo theirs > "$dest$prefix/share/man/man1/other.1"
make -s --no-print-directory install BUILD="$BUILD" DESTDIR="$dest" PREFIX="$prefix" \
	>"$tmp/out" 2>&1 || fail "make install with spaces: $(tail -5 "$tmp/out")"
"$dest$prefix/bin/ipcprobe" --version >/dev/null || fail "the installed ipcprobe does not run"
"$dest$prefix/bin/ipcprobe" list | grep -q '^latency — ' || fail "the installed ipcprobe finds no probes"
[ -f "$dest$prefix/share/man/man1/ipcprobe.1" ] || fail "no man page installed"
make -s --no-print-directory uninstall BUILD="$BUILD" DESTDIR="$dest" PREFIX="$prefix" \
	>"$tmp/out" 2>&1 || fail "make uninstall: $(tail -5 "$tmp/out")"
left=$(cd "$dest$prefix" && find . | sort | tr '\n' ' ')
[ "$left" = ". ./share ./share/man ./share/man/man1 ./share/man/man1/other.1 " ] ||
	fail "uninstall left or took: $left"
after=$(tree)
[ "$before" = "$after" ] ||
	fail "the source tree changed: $(echo "$after" | grep -vxF "$before" | head -5 | tr '\n' ' ')"
echo "$H_NAME: installed and uninstalled under '$dest$prefix'"
