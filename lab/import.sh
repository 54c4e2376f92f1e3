#!/bin/sh
# lab/import.sh - bring a guest's run directory into the results, as data only (issue 28).
#
#   sh lab/import.sh ARCHIVE.tgz DEST
#
# ARCHIVE is the tar.gz a kernel-lab guest sent on its serial port; it must hold one directory,
# run/, of regular files and directories.  DEST must not exist: it is made, mode 0755, holding
# what run/ held, every directory 0755, every file 0644 (0755 if it had an execute bit), all
# owned by the user running this.  Anything else refuses the whole archive, with one line on
# stderr naming the member and why, and leaves neither DEST nor a temporary file behind.
#
# The guest is hostile input: lab.sh runs as root, and tar as root by default keeps the
# archive's owners, modes, device nodes and links, so a guest could plant a setuid-root file or
# a world-writable disk device in the results, or a link through which the host later writes.
# So the archive is unpacked in a private directory (mktemp -d, 0700), its listing checked
# first and the unpacked tree walked after (not trusting the listing alone), and only then the
# tree moved to DEST.
#
# Budgets (environment): LAB_IMPORT_MAX_BYTES, the unpacked data (default 256 MiB), and
# LAB_IMPORT_MAX_FILES, the files and directories (default 10000).
set -eu
LC_ALL=C    # tar's listing in one known form (dates, quoting of odd bytes in names)
export LC_ALL
umask 022   # tar applies it (--no-same-permissions); 022 keeps the execute bits we look at

max_bytes=${LAB_IMPORT_MAX_BYTES:-268435456}
max_files=${LAB_IMPORT_MAX_FILES:-10000}

me="lab import"
die() { echo "$me: $*" >&2; exit 1; }
refuse() { echo "$me: $archive: refused: $*" >&2; exit 1; }

stage='' landing=''
# Every way out removes what this script made but DEST.  A guest's directory of mode 0000
# cannot be entered, nor emptied, by a user who is not root until its owner (this user)
# makes it so: hence the chmod first.
cleanup() {
    for d in "$stage" "$landing"; do
        [ -n "$d" ] || continue
        chmod -R u+rwX "$d" 2>/dev/null || true
        rm -rf "$d"
    done
}
trap cleanup EXIT
trap 'exit 130' INT TERM HUP

# A decimal count, without leading zeros (which $((...)) would read as octal, awk not).
is_count() {
    case $1 in '' | *[!0-9]* | 0?*) return 1 ;; esac
}

# The tar options that stop it from restoring anything but names and data.  The ACL, xattr
# and SELinux switches exist only where tar was built with them; a tar without them restores
# none of those anyway.
extract_options() {
    opts="--no-same-owner --no-same-permissions --no-overwrite-dir"
    for o in --no-acls --no-xattrs --no-selinux; do
        tar $o -cf /dev/null --files-from /dev/null 2>/dev/null && opts="$opts $o"
    done
    echo "$opts"
}

# Decompress ARCHIVE into $stage/run.tar, no more than the budget allows.  A gzip bomb stops
# here, whatever its tar headers claim: head cuts the stream one byte past the bound and a
# file longer than the bound is refused.  The tar stream is bigger than the data it holds by
# its headers (512 bytes a member, more for a long name) and padding, so the bound allows
# 4 KiB a member and 1 MiB more on top of the data budget; the listing below checks the data
# budget itself.  Listing and extraction both read this one decompressed copy, so the tar
# that is checked is the tar that is unpacked.
decompress() {
    limit=$((max_bytes + max_files * 4096 + 1048576))
    { gzip -dc <"$archive" 2>"$stage/gzip.err" || echo "$?" >"$stage/gzip.failed"; } |
        head -c $((limit + 1)) >"$stage/run.tar"
    got=$(wc -c <"$stage/run.tar")
    [ "$got" -le "$limit" ] ||
        refuse "it decompresses to more than $limit bytes (LAB_IMPORT_MAX_BYTES=$max_bytes," \
            "LAB_IMPORT_MAX_FILES=$max_files)"
    [ ! -e "$stage/gzip.failed" ] ||
        refuse "not a whole gzip stream: $(head -n 1 "$stage/gzip.err")"
}

# tar's own listing of $stage/run.tar, checked member by member.  tar -tv gives each member's
# type letter and size (the first and third fields; --numeric-owner keeps the second one
# word), tar -t its name, one line each (tar escapes a newline in a name as \n); the name is
# not cut from the -tv line, whose date can take more or fewer columns than usual.  Reading
# the tar from standard input stops tar from guessing a compression: a gzip inside the gzip
# would be unpacked past the bound otherwise.
check_listing() {
    tar -tv --numeric-owner -P -f - <"$stage/run.tar" >"$stage/list.long" 2>"$stage/tar.err" ||
        refuse "tar cannot list it: $(head -n 1 "$stage/tar.err")"
    tar -t -P -f - <"$stage/run.tar" >"$stage/list.names" 2>"$stage/tar.err" ||
        refuse "tar cannot list it: $(head -n 1 "$stage/tar.err")"
    awk '{ print substr($1, 1, 1), $3 }' "$stage/list.long" >"$stage/list.types"
    [ "$(wc -l <"$stage/list.types")" = "$(wc -l <"$stage/list.names")" ] ||
        refuse "tar's two listings of it differ"
    why=$(paste -d ' ' "$stage/list.types" "$stage/list.names" | judge_members) ||
        refuse "$why"
}

# Lines "TYPE SIZE NAME" in, the first problem out (and status 1).  Refused: a member of any
# type but regular file (-) or directory (d), an absolute name, a name with a .. component,
# a name outside run/, a name twice, no directory run/.  Counted against the budgets: the
# data, and every file and directory that will exist, those tar makes unasked (the parents
# of a member the archive does not list) too, so that deep names cannot make more
# directories than LAB_IMPORT_MAX_FILES.
judge_members() {
    awk -v max_bytes="$max_bytes" -v max_files="$max_files" '
    function no(why) { print "member " name ": " why; bad = 1; exit 1 }
    {
        t = $1; size = $2; name = substr($0, length($1) + length($2) + 3); n = name
        sub(/\/+$/, "", n)
        if (n == "") no("no name")
        if (substr(n, 1, 1) == "/") no("an absolute name")
        k = split(n, part, "/")
        for (i = 1; i <= k; i++) if (part[i] == "..") no("a name with a .. component")
        if (t != "-" && t != "d") no(kind[t] != "" ? kind[t] : "a member of type " t)
        if (n != "run" && substr(n, 1, 4) != "run/") no("outside run/")
        if (n == "run") { if (t != "d") no("not a directory"); has_run = 1 }
        if (seen[n] == "member") no("twice in the archive")
        if (seen[n] == "") count++
        seen[n] = "member"
        for (p = n; sub(/\/[^\/]*$/, "", p) && !(p in seen); count++) seen[p] = "parent"
        if (count > max_files) no("past LAB_IMPORT_MAX_FILES=" max_files " files and directories")
        total += size
        if (total > max_bytes) no("past LAB_IMPORT_MAX_BYTES=" max_bytes " bytes of data")
    }
    BEGIN {
        kind["l"] = "a symbolic link"; kind["h"] = "a hard link"; kind["c"] = "a character device"
        kind["b"] = "a block device"; kind["p"] = "a FIFO"; kind["s"] = "a socket"
        kind["C"] = "a contiguous file"; kind["S"] = "an old GNU sparse file"
        kind["V"] = "a volume label"; kind["M"] = "a multi-volume continuation"
    }
    END {
        if (bad) exit 1
        if (!has_run) { print "no directory run/ in it"; exit 1 }
    }'
}

# Unpack $stage/run.tar into $stage/tree, then walk what is there: only run/, and under it
# only regular files with one link and directories, whatever the listing said.
unpack() {
    mkdir "$stage/tree"
    # shellcheck disable=SC2046
    tar -x -f - -C "$stage/tree" $(extract_options) <"$stage/run.tar" 2>"$stage/tar.err" ||
        refuse "tar could not unpack it: $(head -n 1 "$stage/tar.err")"
    rm -f "$stage/run.tar"
    chmod -R u+rwX "$stage/tree"
    [ "$(ls -A "$stage/tree")" = run ] || refuse "it unpacks to more than run/"
    if [ -L "$stage/tree/run" ] || [ ! -d "$stage/tree/run" ]; then
        refuse "member run: not a directory"
    fi
    find "$stage/tree/run" ! -type f ! -type d -print >"$stage/odd" ||
        refuse "its unpacked tree cannot be walked"
    bad=$(head -n 1 "$stage/odd")
    [ -z "$bad" ] || refuse "member ${bad#"$stage/tree/"}: not a regular file or directory"
    find "$stage/tree/run" -type f -links +1 -print >"$stage/odd" ||
        refuse "its unpacked tree cannot be walked"
    bad=$(head -n 1 "$stage/odd")
    [ -z "$bad" ] || refuse "member ${bad#"$stage/tree/"}: a hard link"
}

# Modes the host chooses: no setuid, setgid, sticky or world-writable bit survives.  A file
# keeps only whether it could be run.
set_modes() {
    run=$stage/tree/run
    find "$run" -type d -exec chmod 0755 {} +
    find "$run" -type f \( -perm -100 -o -perm -010 -o -perm -001 \) -exec chmod 0755 {} +
    find "$run" -type f ! \( -perm -100 -o -perm -010 -o -perm -001 \) -exec chmod 0644 {} +
}

# Move the tree to DEST in two steps: into a directory of ours beside DEST (a copy when the
# temporary directory is on another file system, which may fail half way), then a rename on
# that one file system, so that DEST appears whole or not at all.
land() {
    landing=$(mktemp -d "$(dirname "$dest")/.lab-import.XXXXXX")
    mv "$stage/tree/run" "$landing/run"
    if [ -e "$dest" ] || [ -L "$dest" ]; then die "$dest: exists (it did not a moment ago)"; fi
    mv -T "$landing/run" "$dest"
}

[ $# -eq 2 ] || { echo "usage: sh lab/import.sh ARCHIVE.tgz DEST" >&2; exit 2; }
archive=$1 dest=$2
is_count "$max_bytes" || die "LAB_IMPORT_MAX_BYTES=$max_bytes: not a number of bytes"
is_count "$max_files" || die "LAB_IMPORT_MAX_FILES=$max_files: not a number of files"
[ -f "$archive" ] || die "$archive: no such file"
if [ -e "$dest" ] || [ -L "$dest" ]; then die "$dest: exists (DEST must be a new name)"; fi
[ -d "$(dirname "$dest")" ] || die "$dest: its directory does not exist"
# Work from /: find goes back to the directory it started in, which fails where that is one
# this user cannot read (a test run as nobody from root's home).
case $archive in /*) ;; *) archive=$(pwd)/$archive ;; esac
case $dest in /*) ;; *) dest=$(pwd)/$dest ;; esac
cd /
stage=$(mktemp -d "${TMPDIR:-/tmp}/lab-import.XXXXXX")
decompress
check_listing
unpack
set_modes
land
