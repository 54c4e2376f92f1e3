#!/bin/sh
# lab/initramfs.sh OUT.cpio BUILD CONFIG HOSTNAME: the guest's whole root file system, as an
# uncompressed newc cpio built from this machine's own files: lab/init.sh as /init, the static
# busybox for the shell and tools, this build's ipcprobe and its compiled probes under
# /lab/build (and lab/guest_facts.c's witness), each with the shared libraries ldd names (the
# loader too) at the same paths, and the config as /lab/configs/kernels.yaml.  The python
# probe is left out (a Python would need its whole standard library): configs/kernels.yaml
# does not use it.
set -eu
out=$1 build=$2 config=$3 name=$4
here=$(cd "$(dirname "$0")" && pwd)
root=$(mktemp -d "${TMPDIR:-/tmp}/ipcprobe-lab-root.XXXXXX")
trap 'rm -rf "$root"' EXIT INT TERM

busybox=$(command -v busybox || true)
if [ -z "$busybox" ]; then
    echo "initramfs: no busybox (make deps-lab installs busybox-static)" >&2; exit 1
fi
if ldd "$busybox" >/dev/null 2>&1; then
    echo "initramfs: $busybox is not static (make deps-lab installs busybox-static)" >&2; exit 1
fi
mkdir -p "$root/bin" "$root/sbin" "$root/usr/bin" "$root/proc" "$root/sys" "$root/dev" \
    "$root/etc" "$root/lab/build/probes" "$root/lab/configs"
cp "$busybox" "$root/bin/busybox"
cp "$here/init.sh" "$root/init"
chmod 755 "$root/init"
cp "$config" "$root/lab/configs/kernels.yaml"
cp "$here/../configs/claims.yaml" "$root/lab/configs/claims.yaml"
printf '%s\n' "$name" >"$root/lab/hostname"
printf 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/nonexistent:/bin/false\n' \
    >"$root/etc/passwd"
printf 'root:x:0:\nnogroup:x:65534:\n' >"$root/etc/group"
printf '127.0.0.1 localhost\n::1 localhost\n' >"$root/etc/hosts"
[ -r /etc/os-release ] && cp /etc/os-release "$root/etc/os-release"

# Each ELF of this build, then every library ldd resolves for it ("=> /path" or a bare
# absolute path: the loader), copied through links to the path the binary asks for.
elfs="$build/ipcprobe"
[ -x "$build/lab/guest-facts" ] && elfs="$elfs $build/lab/guest-facts"
for p in "$build"/probes/*; do
    [ -f "$p" ] && [ -x "$p" ] || continue
    head -c 4 "$p" | grep -q ELF || continue    # the python probe is a script: not packed
    elfs="$elfs $p"
done
for e in $elfs; do
    case $e in
        "$build"/ipcprobe) dest=/lab/build/ipcprobe ;;
        "$build"/lab/guest-facts) dest=/lab/guest-facts ;;
        *) dest=/lab/build/probes/${e##*/} ;;
    esac
    cp "$e" "$root$dest"
    ldd "$e" | sed -n 's/.*=> \(\/[^ ]*\).*/\1/p; s/^[[:space:]]*\(\/[^ ]*\) (0x.*/\1/p'
done | sort -u | while read -r lib; do
    mkdir -p "$root$(dirname "$lib")"
    cp -L "$lib" "$root$lib"
done
(cd "$root" && find . -print | cpio -o -H newc --quiet) >"$out"
