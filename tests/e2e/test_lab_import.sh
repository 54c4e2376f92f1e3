#!/bin/sh
# test_lab_import.sh - the kernel lab takes a guest's run directory as data only (issue 28):
# lab/import.sh, fed crafted tar.gz archives (python3's tarfile, no kernel, no QEMU, no root):
#   - a good run/ imports: its files 0644 (0755 when they had an execute bit), its
#     directories 0755, all the running user's (as root: not the archive's owners), the
#     content intact; a setuid file 04777, a setgid file, a world-writable and a sticky
#     directory and a directory of mode 0000 import too, but with those modes;
#   - refused, each with one line on stderr that names the problem: a symbolic link (one
#     where lab.sh writes lab-console.log, and run/ itself one to a directory elsewhere), a
#     hard link, a character device, a block device, a FIFO, a name with .., an absolute
#     name, a member outside run/, no directory run/, run/ a file, a name twice, a gzip bomb
#     (300 MiB of zeros, LAB_IMPORT_MAX_BYTES=1 MiB), data over the budget as listed, a sparse
#     member small in the archive and 3 GiB unpacked, more members than LAB_IMPORT_MAX_FILES
#     and deep names whose parents tar would make unasked, a gzip inside the gzip, a cut gzip,
#     not gzip at all, and a DEST that exists;
#   - after each refusal DEST does not exist (or, when it existed, is untouched), the link
#     targets are unchanged, nothing was written beside DEST, and the temporary directory
#     ($TMPDIR, one of the test's own) is empty.
# Exit 0 pass, 77 skip (no python3, gzip or GNU tar), else fail.
. "$(dirname "$0")/../lib/harness.sh"
me=$H_NAME
root=$(cd "$(dirname "$0")/../.." && pwd)
import=$root/lab/import.sh
for tool in python3 gzip tar; do
    command -v "$tool" >/dev/null || h_skip "no $tool"
done
tar --version 2>/dev/null | grep -q 'GNU tar' || h_skip "tar is not GNU tar"

work=$tmp
# find goes back to where it started, which fails where that is a directory this user cannot
# read (run as nobody from root's home): start in our own.
cd "$work" || exit 1
# A refused archive may leave (if import.sh is wrong) a directory of mode 0000 of ours.
h_defer 'chmod -R u+rwX "$work" 2>/dev/null'
mkdir "$work/tmp" "$work/out" "$work/tars" "$work/elsewhere"
# What a planted link points at: files of the test's own, never a system file.
echo "the host's own file" >"$work/target"
cp "$work/target" "$work/target.orig"

python3 - "$work/tars" "$work/target" "$work/elsewhere" <<'EOF' || fail "python3 could not make the archives"
import io, sys, tarfile
out, target, elsewhere = sys.argv[1:]

def member(name, kind=tarfile.REGTYPE, data=b"", mode=0o644, **kw):
    m = tarfile.TarInfo(name)
    m.type, m.mode, m.uid, m.gid, m.uname, m.gname = kind, mode, 1234, 1234, "guest", "guest"
    m.size = len(data) if kind == tarfile.REGTYPE else 0
    for k, v in kw.items():
        setattr(m, k, v)
    return m, (io.BytesIO(data) if kind == tarfile.REGTYPE else None)

def run_dir(mode=0o755):
    return member("run", tarfile.DIRTYPE, mode=mode)

def archive(name, members, level=6):
    with tarfile.open(f"{out}/{name}.tgz", "w:gz", compresslevel=level) as t:
        for m, data in members:
            t.addfile(m, data)

def ok():
    return [run_dir(), member("run/run.json", data=b'{"schema": 1}\n'),
            member("run/records.jsonl", data=b'{"case": "pipe"}\n', mode=0o600)]
archive("good", ok() + [
    member("run/plots", tarfile.DIRTYPE, mode=0o700),
    member("run/plots/draw.sh", data=b"#!/bin/sh\n", mode=0o700),
    member("run/setuid", data=b"x", mode=0o4777),
    member("run/setgid", data=b"x", mode=0o2640),
    member("run/open", tarfile.DIRTYPE, mode=0o777),
    member("run/sticky", tarfile.DIRTYPE, mode=0o1777),
    member("run/shut", tarfile.DIRTYPE, mode=0o000),
    member("run/shut/inside", data=b"y", mode=0o000),
])
archive("link-console", ok() + [member("run/lab-console.log", tarfile.SYMTYPE, linkname=target)])
archive("link-run", [member("run", tarfile.SYMTYPE, linkname=elsewhere),
                     member("run/run.json", data=b"{}\n")])
archive("hardlink", ok() + [member("run/h", tarfile.LNKTYPE, linkname="run/run.json")])
archive("hardlink-out", ok() + [member("run/h", tarfile.LNKTYPE, linkname=target)])
archive("chardev", ok() + [member("run/null", tarfile.CHRTYPE, devmajor=1, devminor=3)])
archive("blockdev", ok() + [member("run/sda", tarfile.BLKTYPE, mode=0o666, devmajor=8, devminor=0)])
archive("fifo", ok() + [member("run/fifo", tarfile.FIFOTYPE)])
archive("dotdot", ok() + [member("run/../escape", data=b"x")])
archive("dotdot-lead", ok() + [member("../escape", data=b"x")])
archive("absolute", ok() + [member(elsewhere + "/abs", data=b"x")])
archive("outside", ok() + [member("etc/x", data=b"x")])
archive("no-run", [member("other", tarfile.DIRTYPE), member("other/run.json", data=b"{}")])
archive("implied-run", [member("run/run.json", data=b"{}")])
archive("run-file", [member("run", data=b"x")])
archive("twice", ok() + [member("run/run.json", data=b"{}")])
archive("over-budget", ok() + [member("run/big", data=b"\0" * (2 << 20))])
archive("many", ok() + [member(f"run/f{i}", data=b"x") for i in range(6)])
archive("deep", ok()[:2] + [member("run/a/b/c/d/e/f", data=b"x")])

# The bomb: 300 MiB of zeros in one member, about 300 KiB compressed.
class Zeros(io.RawIOBase):
    def __init__(self, n): self.left = n
    def readable(self): return True
    def readinto(self, b):
        n = min(len(b), self.left); b[:n] = bytes(n); self.left -= n; return n
bomb, _ = member("run/zeros")
bomb.size = 300 << 20
with tarfile.open(f"{out}/bomb.tgz", "w:gz", compresslevel=9) as t:
    t.addfile(run_dir()[0])
    t.addfile(bomb, io.BufferedReader(Zeros(bomb.size)))
EOF
tars=$work/tars
# Other shapes of input: a gzip inside the gzip, a cut gzip, not gzip at all.
gzip -c "$tars/good.tgz" >"$tars/double.tgz"
head -c 200 "$tars/good.tgz" >"$tars/cut.tgz"
echo "BEGIN ipcprobe-lab" >"$tars/text.tgz"
# A sparse file: 3 GiB unpacked, a few hundred bytes in the archive.
sparse=0
mkdir "$work/sp" "$work/sp/run"
if truncate -s 3G "$work/sp/run/hole" 2>/dev/null &&
    tar -cSzf "$tars/sparse.tgz" --format=pax -C "$work/sp" run 2>/dev/null; then
    sparse=1
fi
rm -rf "$work/sp"

TMPDIR=$work/tmp
export TMPDIR
dest=$work/out/run

# The state that must survive a refusal: no DEST, the link targets and the directory a link
# pointed at unchanged, nothing beside DEST, an empty temporary directory.
unharmed() {
    what=$1
    if [ -e "$dest" ] || [ -L "$dest" ]; then fail "$what: DEST exists after a refusal"; fi
    cmp -s "$work/target" "$work/target.orig" || fail "$what: the link target was written"
    [ -z "$(ls -A "$work/elsewhere")" ] || fail "$what: written outside DEST: $(ls "$work/elsewhere")"
    [ -z "$(ls -A "$work/out")" ] || fail "$what: left beside DEST: $(ls -A "$work/out")"
    [ -z "$(ls -A "$work/tmp")" ] || fail "$what: left in TMPDIR: $(ls -A "$work/tmp")"
}

# refused NAME PATTERN [VAR=VALUE...]: tars/NAME.tgz is refused with one line on stderr
# matching PATTERN (grep -E), and nothing is harmed.
refused() {
    name=$1 pattern=$2
    shift 2
    rc=0
    env "$@" sh "$import" "$tars/$name.tgz" "$dest" >"$work/stdout" 2>"$work/stderr" || rc=$?
    [ "$rc" != 0 ] || fail "$name: imported (exit 0), should be refused"
    [ "$(wc -l <"$work/stderr")" = 1 ] ||
        fail "$name: stderr is not one line: $(cat "$work/stderr")"
    grep -Eq "$pattern" "$work/stderr" ||
        fail "$name: stderr does not say /$pattern/: $(cat "$work/stderr")"
    unharmed "$name"
}

# mode_is PATH MODE: PATH has exactly that mode.
mode_is() {
    [ -n "$(find "$1" -prune -perm "$2")" ] || fail "good: $1 is not mode $2: $(ls -ld "$1")"
}

# (a) a good run, and modes no guest chooses.
sh "$import" "$tars/good.tgz" "$dest" 2>"$work/stderr" || fail "good: refused: $(cat "$work/stderr")"
if [ -L "$dest" ] || [ ! -d "$dest" ]; then fail "good: DEST is not a directory"; fi
[ "$(cat "$dest/run.json")" = '{"schema": 1}' ] || fail "good: run.json's content changed"
[ "$(cat "$dest/records.jsonl")" = '{"case": "pipe"}' ] || fail "good: records.jsonl changed"
[ "$(cat "$dest/shut/inside")" = y ] || fail "good: shut/inside's content changed"
for d in "$dest" "$dest/plots" "$dest/open" "$dest/sticky" "$dest/shut"; do mode_is "$d" 0755; done
for f in run.json records.jsonl setgid shut/inside; do mode_is "$dest/$f" 0644; done
for f in plots/draw.sh setuid; do mode_is "$dest/$f" 0755; done
odd=$(find "$dest" ! -user "$(id -u)")
[ -z "$odd" ] || fail "good: not owned by the running user: $odd"
if [ "$(id -u)" = 0 ]; then
    # Root is who could keep the archive's owners (uid 1234): it must not.
    odd=$(find "$dest" ! -group "$(id -g)")
    [ -z "$odd" ] || fail "good: not the running user's group: $odd"
    echo "$me: as root: the archive's owners (1234) are not kept"
fi
[ -z "$(ls -A "$work/tmp")" ] || fail "good: left in TMPDIR: $(ls -A "$work/tmp")"
[ "$(ls -A "$work/out")" = run ] || fail "good: left beside DEST: $(ls -A "$work/out")"
rm -rf "$dest"

# (b) - (h): what is not a regular file or a directory, and names outside run/.
refused link-console 'member run/lab-console.log: a symbolic link'
refused link-run 'member run: a symbolic link'
refused hardlink 'member run/h: a hard link'
refused hardlink-out 'member run/h: a hard link'
refused chardev 'member run/null: a character device'
refused blockdev 'member run/sda: a block device'
refused fifo 'member run/fifo: a FIFO'
refused dotdot 'member run/\.\./escape: a name with a \.\. component'
refused dotdot-lead 'member \.\./escape: a name with a \.\. component'
refused absolute "member $work/elsewhere/abs: an absolute name"
refused outside 'member etc/x: outside run/'
refused no-run 'member other/: outside run/'
refused implied-run 'no directory run/'
refused run-file 'member run: not a directory'
refused twice 'member run/run.json: twice'
# (i) budgets: the bomb is cut off while it decompresses, the others on tar's listing.
refused bomb 'decompresses to more than' LAB_IMPORT_MAX_BYTES=1048576
refused over-budget 'member run/big: past LAB_IMPORT_MAX_BYTES=1048576' LAB_IMPORT_MAX_BYTES=1048576
if [ $sparse = 1 ]; then
    refused sparse 'member run/hole: past LAB_IMPORT_MAX_BYTES=268435456'
else
    h_skip_part "the sparse member: tar -S or truncate failed here"
fi
refused many 'past LAB_IMPORT_MAX_FILES=5' LAB_IMPORT_MAX_FILES=5
refused deep 'member run/a/b/c/d/e/f: past LAB_IMPORT_MAX_FILES=5' LAB_IMPORT_MAX_FILES=5
# Not a tar.gz as the guest makes it.
refused double 'tar cannot list it'
refused cut 'not a whole gzip stream'
refused text 'not a whole gzip stream'
# A DEST that exists is left alone, whatever it is.
mkdir "$dest"
echo mine >"$dest/kept"
sh "$import" "$tars/good.tgz" "$dest" 2>"$work/stderr" && fail "an existing DEST is not refused"
grep -q 'exists' "$work/stderr" || fail "an existing DEST: stderr says $(cat "$work/stderr")"
[ "$(ls -A "$dest")" = kept ] || fail "an existing DEST changed: $(ls -A "$dest")"
[ "$(cat "$dest/kept")" = mine ] || fail "an existing DEST's file changed"
rm -rf "$dest"
ln -s "$work/elsewhere" "$dest"
sh "$import" "$tars/good.tgz" "$dest" 2>"$work/stderr" && fail "a DEST that is a link is not refused"
grep -q 'exists' "$work/stderr" || fail "a DEST that is a link: stderr says $(cat "$work/stderr")"
rm -f "$dest"
unharmed "existing DEST"
echo "$me: ok"
