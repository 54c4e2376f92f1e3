#!/bin/sh
# lab/lab.sh - the kernel lab (README "The kernel lab").  Boots each kernel under QEMU with a
# root file system packed from this build (lab/initramfs.sh), runs a config there (lab/init.sh),
# brings the run directory back to RESULTS/lab-<kernel>/, runs the same config on the host, and
# puts them side by side with `ipcprobe report`.  Each phase of each guest (boot, run,
# shutdown) has a deadline; a guest past it is killed and reported, and no qemu process or
# temporary file outlives this script (trap), however it ends short of SIGKILL (and then QEMU
# is still bounded by timeout(1)).
set -eu
usage() {
    cat >&2 <<'EOF'
usage: lab/lab.sh [options] [KERNEL...]
  KERNEL         a kernel image (vmlinuz), or a release installed as /boot/vmlinuz-RELEASE;
                 default: the newest Debian 6.1 generic and 6.1 PREEMPT_RT kernels in /boot
                 (make deps-lab installs them)
  -c CONFIG      the config to run (default configs/kernels.yaml)
  -o DIR         where run directories go (default results)
  --no-host      do not run the config on the host too
  --no-report    do not make the side-by-side report
  --tcg          emulate (TCG) even when KVM works
  --try-kvm      try KVM even where /dev/kvm is PVM (a kernel that does not boot under KVM
                 within the boot deadline is booted again emulated)
  --append ARGS  more kernel parameters (e.g. sysctl.fs.pipe-max-size=2097152)
  --smp N        vCPUs (default 2)      --mem MIB    guest memory (default 2048)
  --boot-timeout S   until the guest's init speaks (default 120; under KVM 60, then TCG is tried)
  --run-timeout S    for the config inside the guest (default 1200)
EOF
    exit 2
}

here=$(cd "$(dirname "$0")" && pwd)
BUILD=${BUILD:-build}
config=configs/kernels.yaml results=results host=1 report=1 force_tcg=0 try_kvm=0 append=''
smp=2 mem=2048 boot_timeout=120 kvm_boot_timeout=60 run_timeout=1200 shutdown_timeout=30
# The most framed base64 taken from a guest (its tar.gz, 4/3 bigger); lab/import.sh has the
# budgets of the unpacked run (LAB_IMPORT_MAX_BYTES, LAB_IMPORT_MAX_FILES).
max_serial=${LAB_MAX_SERIAL_BYTES:-536870912}
case $max_serial in
    '' | *[!0-9]* | 0?*) echo "lab: LAB_MAX_SERIAL_BYTES=$max_serial: not a number" >&2; exit 2 ;;
esac
while [ $# -gt 0 ]; do
    case $1 in
        -c) config=$2; shift 2 ;;
        -o) results=$2; shift 2 ;;
        --no-host) host=0; shift ;;
        --no-report) report=0; shift ;;
        --tcg) force_tcg=1; shift ;;
        --try-kvm) try_kvm=1; shift ;;
        --append) append=$2; shift 2 ;;
        --smp) smp=$2; shift 2 ;;
        --mem) mem=$2; shift 2 ;;
        --boot-timeout) boot_timeout=$2 kvm_boot_timeout=$2; shift 2 ;;
        --run-timeout) run_timeout=$2; shift 2 ;;
        -h|--help) usage ;;
        -*) echo "lab: unknown option $1" >&2; usage ;;
        *) break ;;
    esac
done

say() { echo "lab: $*"; }
die() { echo "lab: $*" >&2; exit 1; }
now() { date +%s.%N; }
since() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.1f", b - a }'; }

QEMU=$(command -v qemu-system-x86_64 || true)
[ -n "$QEMU" ] || die "no qemu-system-x86_64: make deps-lab installs it (Debian: qemu-system-x86)"
[ -x "$BUILD/ipcprobe" ] || die "no $BUILD/ipcprobe: make first"
[ -r "$config" ] || die "no config $config"
"$BUILD/ipcprobe" check "$config" >/dev/null || die "$config: not a valid config"
mkdir -p "$results"

# ---- what runs where --------------------------------------------------------------------

# Debian's newest installed 6.1 kernel of a flavour ("amd64" or "rt-amd64").
newest_kernel() {
    for f in /boot/vmlinuz-6.1.*-"$1"; do echo "$f"; done |
        grep -E "/vmlinuz-6\.1\.[0-9]+-[0-9]+-$1\$" | sort -V | tail -n 1
}
if [ $# -eq 0 ]; then
    for flavour in amd64 rt-amd64; do
        k=$(newest_kernel "$flavour")
        [ -n "$k" ] || die "no Debian 6.1 $flavour kernel in /boot: make deps-lab"
        set -- "$@" "$k"
    done
fi

# KVM when /dev/kvm opens read-write and is hardware KVM: a host whose KVM is PVM (kvm_pvm,
# paravirtual nesting without VT-x/AMD-V) boots only PVM-enabled guest kernels; a stock kernel
# hangs there right after "Probing EDD".  Sets accel_args and accel_name, and says why.
choose_accel() {
    accel_args="-accel tcg -cpu max" accel_name=tcg
    if [ "$force_tcg" = 1 ]; then
        say "emulating (TCG), as asked: timings are an emulated CPU's"; return
    fi
    if ! ( : <>/dev/kvm ) 2>/dev/null; then
        say "no usable /dev/kvm: emulating (TCG), timings are an emulated CPU's"; return
    fi
    if [ "$try_kvm" = 0 ] && [ -d /sys/module/kvm_pvm ] && [ ! -d /sys/module/kvm_intel ] &&
        [ ! -d /sys/module/kvm_amd ]; then
        say "/dev/kvm is PVM (kvm_pvm: no hardware virtualization here), which boots only"
        say "PVM-enabled guest kernels: emulating (TCG), timings are an emulated CPU's"
        return
    fi
    # -arch-capabilities: nested KVM often refuses that MSR (QEMU then aborts at start).
    accel_args="-enable-kvm -cpu host,-arch-capabilities" accel_name=kvm
    if [ -d /sys/module/kvm_pvm ]; then
        say "KVM, as asked, though it is PVM: a kernel that does not boot is tried emulated"
    else
        say "KVM: hardware virtualization"
    fi
}

# ---- one guest ------------------------------------------------------------------------------

tmp=$(mktemp -d "${TMPDIR:-/tmp}/ipcprobe-lab.XXXXXX")
qemu_pid='' wrap_pid=''
stop_guest() {
    for p in $qemu_pid $wrap_pid; do kill -TERM "$p" 2>/dev/null || true; done
    for _ in 1 2 3 4 5 6 7 8 9 10; do
        alive=0
        for p in $qemu_pid $wrap_pid; do kill -0 "$p" 2>/dev/null && alive=1; done
        [ $alive = 0 ] && break
        sleep 0.5
    done
    for p in $qemu_pid $wrap_pid; do kill -KILL "$p" 2>/dev/null || true; done
    [ -n "$wrap_pid" ] && wait "$wrap_pid" 2>/dev/null || true
    qemu_pid='' wrap_pid=''
}
cleanup() { stop_guest; rm -rf "$tmp"; }
trap cleanup EXIT
trap 'echo "lab: interrupted" >&2; exit 130' INT TERM HUP

# A directory name under $results not taken yet: NAME, else NAME-2, NAME-3, ...
fresh_dir() {
    d=$results/$1 i=2
    while [ -e "$d" ]; do d=$results/$1-$i; i=$((i + 1)); done
    echo "$d"
}

# boot KERNEL_IMAGE: one guest from launch to exit, every console line "lab: ..." shown;
# 0 when it powered off after sending its run, 1 when a deadline passed (phase in $hung), 2
# when it stopped without sending.  Sets t_boot, t_first, t_total (seconds since launch).
boot() {
    img=$1
    rm -f "$tmp/console.log" "$tmp/data.txt" "$tmp/qemu.pid"
    : >"$tmp/console.log"
    # The serial console (ttyS0) and the data port (ttyS1) go to files; no network device,
    # no disk: nothing to leave behind but these files.  panic=-1 and -no-reboot make a dead
    # init end QEMU at once.
    # shellcheck disable=SC2086
    timeout -k 10 $((boot_limit + run_timeout + 180 + shutdown_timeout)) \
        "$QEMU" $accel_args -m "$mem" -smp "$smp" -nodefaults -display none -monitor none \
        -no-reboot -pidfile "$tmp/qemu.pid" -kernel "$img" -initrd "$tmp/initrd.cpio" \
        -append "console=ttyS0 panic=-1 quiet ipcprobe.run_timeout=$run_timeout $append" \
        -serial "file:$tmp/console.log" -serial "file:$tmp/data.txt" \
        </dev/null >"$tmp/qemu.out" 2>&1 &
    wrap_pid=$!
    t0=$(now) shown=0 phase=boot deadline=$boot_limit t_boot='' t_first='' hung=''
    phase_start=$t0
    while :; do
        sleep 0.2
        [ -z "$qemu_pid" ] && [ -s "$tmp/qemu.pid" ] && qemu_pid=$(cat "$tmp/qemu.pid")
        n=$(grep -c '^lab: ' "$tmp/console.log" 2>/dev/null || true)
        if [ "${n:-0}" -gt "$shown" ]; then
            # The run's progress lines, not its closing table (run.json has it all) nor the
            # guest's paths (the host draws the charts the guest, without gnuplot, could not).
            tr -d '\r' <"$tmp/console.log" | grep '^lab: ' | sed -n "$((shown + 1)),${n}p" |
                grep -v '^lab: run: \([a-z_]*/\|case  \|$\|results: \|run: \|report: \)' |
                grep -v 'charts not drawn' | sed "s/^lab: /  [$name] /"
            shown=$n
        fi
        case $phase in
            boot)
                if grep -q '^lab: booted' "$tmp/console.log"; then
                    t_boot=$(since "$t0") phase=run deadline=$((run_timeout + 180))
                    phase_start=$(now)
                fi ;;
            run)
                if [ -z "$t_first" ] && grep -q '^lab: run: \[1/' "$tmp/console.log"; then
                    t_first=$(since "$t0")
                fi
                if grep -q '^lab: done' "$tmp/console.log"; then
                    phase=shutdown deadline=$shutdown_timeout phase_start=$(now)
                fi ;;
        esac
        kill -0 "$wrap_pid" 2>/dev/null || break
        if [ "$(since "$phase_start" | cut -d. -f1)" -ge "$deadline" ]; then
            hung=$phase
            say "$name: no progress past $phase within $deadline s: killing the guest"
            stop_guest
            break
        fi
    done
    wait "$wrap_pid" 2>/dev/null || true
    wrap_pid='' qemu_pid='' t_total=$(since "$t0")
    [ -z "$hung" ] || return 1
    [ "$phase" = shutdown ] || return 2
    return 0
}

# The run directory the guest sent on ttyS1 (base64 of a tar.gz between BEGIN and END lines,
# END giving its size), imported as $1 by lab/import.sh, which takes it as hostile data: only
# regular files and directories, the host's owners and modes, within its budgets.  The framed
# base64 is bounded first (LAB_MAX_SERIAL_BYTES), so that decoding it cannot fill the disk.
# 0 when whole and imported; else recv_why says which.
receive() {
    recv_why="its run did not arrive whole"
    sed -n '/^BEGIN ipcprobe-lab/,/^END /p' "$tmp/data.txt" | tr -d '\r' >"$tmp/framed"
    framed=$(wc -c <"$tmp/framed")
    [ "$framed" -le "$max_serial" ] || {
        recv_why="it sent more than LAB_MAX_SERIAL_BYTES=$max_serial bytes ($framed)"
        return 1; }
    want=$(sed -n 's/^END \([0-9]*\)$/\1/p' "$tmp/framed")
    [ -n "$want" ] || { say "$name: the guest's data has no END line (cut short)"; return 1; }
    sed '1d;$d' "$tmp/framed" | base64 -d >"$tmp/run.tgz" || { say "$name: bad base64"; return 1; }
    rm -f "$tmp/framed"
    got=$(wc -c <"$tmp/run.tgz")
    [ "$got" -eq "$want" ] || { say "$name: got $got bytes of $want"; return 1; }
    recv_why="its run was refused on import (why above)"
    # Its temporary directory inside ours, which the trap removes however this script ends.
    TMPDIR=$tmp sh "$here/import.sh" "$tmp/run.tgz" "$1" || return 1
    rm -f "$tmp/run.tgz"
    # lab-console.log and lab.json are the host's word; a guest's run directory (ipcprobe
    # run's) never has them, so one that does is not what this lab packed: refused whole.
    for f in lab-console.log lab.json; do
        if [ -e "$1/$f" ]; then
            say "$name: the guest's run directory has its own $f: refused"
            rm -rf "$1"
            return 1
        fi
    done
}

# put_new FILE: standard input into FILE, which must not exist as anything.  Written to a
# fresh name beside it (mktemp: O_EXCL) and renamed into place with mv -T, which replaces a
# name rather than following it: nothing is ever written through a link.  lab/import.sh
# leaves only regular files and directories, so this is a second guard, not the first.
put_new() {
    if [ -e "$1" ] || [ -L "$1" ]; then say "$1: exists: not written"; return 1; fi
    new=$(mktemp "$(dirname "$1")/.lab-new.XXXXXX") || return 1
    if cat >"$new" && chmod 0644 "$new" && mv -T "$new" "$1"; then return 0; fi
    rm -f "$new"
    return 1
}

# lab.json beside run.json: how this guest was run and how long each phase took.
write_lab_json() {
    put_new "$1/lab.json" <<EOF
{"kernel_image": "$img", "accel": "$accel_name", "vcpus": $smp, "memory_mib": $mem,
 "qemu": "$($QEMU --version | head -n 1)",
 "boot_s": ${t_boot:-null}, "boot_to_first_record_s": ${t_first:-null}, "total_s": $t_total}
EOF
}

summary=$tmp/summary
: >"$summary"
failed=0 guests=
choose_accel
for k in "$@"; do
    case $k in */*) img=$k ;; *) img=/boot/vmlinuz-$k ;; esac
    [ -r "$img" ] || die "no kernel image $img"
    name=$(basename "$img" | sed 's/^vmlinuz-//')
    say "$name: packing the guest's initramfs from $BUILD"
    sh "$here/initramfs.sh" "$tmp/initrd.cpio" "$BUILD" "$config" "lab-$name"
    boot_limit=$boot_timeout
    [ "$accel_name" = kvm ] && boot_limit=$kvm_boot_timeout
    say "$name: booting $img ($accel_name, $smp vCPUs, $mem MiB)"
    rc=0; boot "$img" || rc=$?
    # Under KVM a guest that never reached init (hung, or QEMU refused the CPU) is tried
    # again emulated.
    if [ $rc != 0 ] && [ "$phase" = boot ] && [ "$accel_name" = kvm ]; then
        [ -s "$tmp/qemu.out" ] && sed 's/^/    qemu: /' "$tmp/qemu.out"
        say "$name: did not reach init under KVM (deadline $boot_limit s): trying again" \
            "emulated (TCG), and emulating the kernels after it too"
        accel_args="-accel tcg -cpu max" accel_name=tcg boot_limit=$boot_timeout
        rc=0; boot "$img" || rc=$?
    fi
    out=$(fresh_dir "lab-$name")
    if [ $rc = 0 ] && receive "$out"; then
        tr -d '\r' <"$tmp/console.log" | put_new "$out/lab-console.log" ||
            say "$name: lab-console.log not written"
        write_lab_json "$out" || say "$name: lab.json not written"
        "$BUILD/ipcprobe" report "$out" >/dev/null 2>&1 || say "$name: report on the host failed"
        guests="$guests $out"
        printf '%-24s %-4s boot %6s s  first record %6s s  total %6s s  %s\n' "$name" \
            "$accel_name" "$t_boot" "${t_first:-never}" "$t_total" "$out" >>"$summary"
    else
        failed=1
        tr -d '\r' <"$tmp/console.log" >"$out.console.log"
        case $rc in
            1) why="hung in $hung, killed after ${t_total} s" ;;
            2) why="stopped before sending its run" ;;
            *) why=$recv_why ;;
        esac
        say "$name: FAILED: $why; console: $out.console.log"
        [ -s "$tmp/qemu.out" ] && sed 's/^/    qemu: /' "$tmp/qemu.out"
        tail -n 15 "$out.console.log" | sed 's/^/    /'
        printf '%-24s %-4s FAILED: %s\n' "$name" "$accel_name" "$why" >>"$summary"
    fi
    rm -f "$tmp/initrd.cpio"
done

runs=$guests
if [ "$host" = 1 ]; then
    hostout=$(fresh_dir "lab-host-$(uname -r)")
    say "host: $BUILD/ipcprobe run $config -o $hostout"
    t0=$(now)
    "$BUILD/ipcprobe" run "$config" -o "$hostout" >"$tmp/host.log" 2>&1 || failed=1
    grep 'case runs' "$tmp/host.log" | sed 's/^/  [host] /'
    printf '%-24s %-4s %-49s total %6s s  %s\n' "host $(uname -r)" - "" "$(since "$t0")" \
        "$hostout" >>"$summary"
    runs="$hostout$runs"
fi
if [ "$report" = 1 ] && [ "$(echo $runs | wc -w)" -ge 2 ]; then
    rep=$(fresh_dir lab-report)
    # shellcheck disable=SC2086
    "$BUILD/ipcprobe" report $runs -o "$rep" >/dev/null || failed=1
    cp "$summary" "$rep/lab-summary.txt"
    # Facts that changed and timings judged, as Markdown: each guest against the host, and
    # each further guest against the first (same VM shape: 6.1 generic against rt).
    bases=$(echo $guests | cut -d' ' -f1)
    [ "$host" = 1 ] && bases="$hostout $bases"
    for g in $guests; do
        for base in $bases; do
            [ "$base" = "$g" ] && continue
            # Exit 1 is a difference, which is what the lab is for; 2 is a run compare could
            # not read, which the lab must not hide.
            out="$rep/compare-$(basename "$base")-vs-$(basename "$g").md"
            # (|| keeps set -e from ending the lab on exit 1, before the case sees it)
            rc=0
            "$BUILD/ipcprobe" compare "$base" "$g" --format markdown --allow-missing \
                >"$out" 2>&1 || rc=$?
            case $rc in
            0|1) ;;
            *) say "compare $base $g failed: $(tail -n 1 "$out")"; failed=1 ;;
            esac
        done
    done
    say "side by side: $rep/report.html"
fi
echo
echo "kernel lab:"
cat "$summary"
echo "(compare two runs: $BUILD/ipcprobe compare BASE NEW; timings in a guest are the guest's)"
exit $failed
