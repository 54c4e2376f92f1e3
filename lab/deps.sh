#!/bin/sh
# make deps-lab: qemu and Debian's current 6.1 kernels (generic and PREEMPT_RT), by apt-get.
# "Current" is what Debian's meta-packages linux-image-amd64 and linux-image-rt-amd64 point at;
# we install the -unsigned image they name (the same kernel, without the Secure Boot shim
# dependency), with --no-install-recommends so no firmware or apparmor comes along.
set -eu
if [ "$(id -u)" -ne 0 ] && ! sudo -n true 2>/dev/null; then
    echo "deps-lab: needs root: apt-get install qemu-system-x86 busybox-static cpio" \
        "linux-image-6.1.0-N-amd64-unsigned linux-image-6.1.0-N-rt-amd64-unsigned" >&2
    exit 1
fi
SUDO=; [ "$(id -u)" -ne 0 ] && SUDO="sudo -n"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -q >/dev/null
# The versioned image a meta-package depends on, e.g. linux-image-6.1.0-56-amd64.
current() { apt-cache show "$1" | sed -n 's/^Depends: *\(linux-image-[^ ,]*\).*/\1/p' | head -n 1; }
# busybox-static: the guest's shell and tools in one static binary; cpio packs the initramfs.
pkgs="qemu-system-x86 busybox-static cpio"
for meta in linux-image-amd64 linux-image-rt-amd64; do
    img=$(current "$meta")
    [ -n "$img" ] || { echo "deps-lab: apt knows no $meta (is this Debian 12?)" >&2; exit 1; }
    pkgs="$pkgs $img-unsigned"
done
echo "deps-lab: apt-get install $pkgs"
$SUDO apt-get install -y -q --no-install-recommends $pkgs
