#!/bin/busybox sh
# shellcheck shell=dash
# The guest's /init (lab/init.sh, packed by lab/initramfs.sh): mount what IPC needs, bring up
# loopback, run the config with this build's ipcprobe, send the run directory back to the host
# on the second serial port, power off.  Every line it prints starts with "lab:"; lab/lab.sh
# watches the console for them (boot, start, done) to bound each phase in time.
/bin/busybox --install -s /bin
export PATH=/bin:/sbin:/usr/bin PYTHONDONTWRITEBYTECODE=1 HOME=/root
say() { echo "lab: $*"; }

# What the kernel needs from userspace for IPC: proc and sys for the limits, /dev/shm for
# POSIX shared memory and semaphores, /dev/mqueue for POSIX message queues, /tmp for FIFOs
# and AF_UNIX paths.  devtmpfs gives /dev/ttyS1 without udev.
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
# The kernel opened /dev/console for us only if the initramfs had the node; now it has.
exec </dev/console >/dev/console 2>&1
mkdir -p /dev/shm /dev/mqueue /dev/pts /tmp /out /root
mount -t tmpfs -o mode=1777 tmpfs /dev/shm
mount -t mqueue mqueue /dev/mqueue
mount -t devpts devpts /dev/pts
mount -t tmpfs -o mode=1777 tmpfs /tmp
mount -t tmpfs tmpfs /out
ip link set lo up || ifconfig lo 127.0.0.1 up
hostname "$(cat /lab/hostname)"
# make test-lab's hung guest: init stops here, before it says it booted, and the host must
# kill it at the boot deadline.
grep -q 'ipcprobe.lab_hang=boot' /proc/cmdline && while :; do sleep 3600; done
say "booted $(uname -r) after $(cut -d' ' -f1 /proc/uptime) s of guest uptime"

# What the kernel says of a fresh pipe, from a program that is not the probe (make test-lab).
[ -x /lab/guest-facts ] && /lab/guest-facts

# The host bounds the whole run too; this bound lets the guest still send what it has.
limit=$(sed -n 's/.*ipcprobe.run_timeout=\([0-9]*\).*/\1/p' /proc/cmdline)
say "start: ipcprobe run /lab/configs/kernels.yaml (at most ${limit:-600} s)"
timeout -s TERM "${limit:-600}" /lab/build/ipcprobe run /lab/configs/kernels.yaml -o /out/run \
    </dev/null 2>&1 | sed 's/^/lab: run: /'
say "run ended ($(cat /out/run/run.json 2>/dev/null | sed -n 's/^  "status": "\(.*\)",/\1/p'))"

# The run directory, tar.gz in base64 between two marker lines, on ttyS1: no driver beyond the
# built-in 8250 UART, and lab.sh checks the byte count on the END line.
tar -czf /tmp/run.tgz -C /out run
stty -F /dev/ttyS1 raw -echo 2>/dev/null
{ echo "BEGIN ipcprobe-lab"; base64 /tmp/run.tgz; echo "END $(wc -c </tmp/run.tgz)"; } >/dev/ttyS1
say "sent $(wc -c </tmp/run.tgz) bytes"
say "done"
sync
poweroff -f
reboot -f
