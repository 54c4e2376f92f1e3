#!/bin/sh
# make test-lab: boot one kernel (LAB_TEST_KERNEL, default Debian's newest 6.1 generic in
# /boot) with a tiny config and check what comes back is that guest's: the records arrive
# whole, run.json names the booted kernel and says VM, vCPUs, memory and KVM or emulation,
# the pipe capacity recorded equals F_GETPIPE_SZ as the guest's own witness
# (lab/guest_facts.c) prints it, and the raised pipe capacity follows a pipe-max-size set on
# the guest's kernel command line (2 MiB; this host's is 1 MiB).  Then a guest that hangs
# before it boots (ipcprobe.lab_hang=boot) must be killed at the boot deadline and reported,
# with no qemu process and no temporary file left; so must a SIGTERM to the lab; and where
# /dev/kvm is PVM, --try-kvm must fail to boot under KVM and boot emulated.  About a minute
# under TCG; skips (exit 0) with the reason when qemu or the kernel is missing.
set -u
BUILD=${BUILD:-build}
here=$(cd "$(dirname "$0")" && pwd)
pass=0 fail=0
ok() { pass=$((pass + 1)); echo "ok   $*"; }
bad() { fail=$((fail + 1)); echo "FAIL $*"; }
check() { if [ "$2" = "$3" ]; then ok "$1 ($2)"; else bad "$1: got '$2', want '$3'"; fi; }
skip() { echo "test-lab: SKIP: $*"; echo "0 passed, 0 failed, 1 skipped"; exit 0; }

command -v qemu-system-x86_64 >/dev/null || skip "no qemu-system-x86_64 (make deps-lab)"
command -v busybox >/dev/null || skip "no busybox (make deps-lab installs busybox-static)"
kernel=${LAB_TEST_KERNEL:-$(for f in /boot/vmlinuz-6.1.*-amd64; do echo "$f"; done |
    grep -E '/vmlinuz-6\.1\.[0-9]+-[0-9]+-amd64$' | sort -V | tail -n 1)}
[ -n "$kernel" ] && [ -r "$kernel" ] || skip "no Debian 6.1 kernel in /boot (make deps-lab)"
release=$(basename "$kernel" | sed 's/^vmlinuz-//')

work=$(mktemp -d "${TMPDIR:-/tmp}/ipcprobe-test-lab.XXXXXX")
trap 'rm -rf "$work"' EXIT INT TERM
mkdir "$work/tmp" "$work/results"
cat >"$work/tiny.yaml" <<'EOF'
name: lab-test
repetitions: 1
timeout: 60s
probes:
  - probe: capacity
    cases: [fill_nonblocking, fill_raised]
    transports: [pipe]
EOF

# A field of a JSON file (python3 is a dependency of the project: make deps installs it).
jget() { python3 -c 'import json,sys
v=json.load(open(sys.argv[1]))
for k in sys.argv[2:]:
    v=v[int(k)] if isinstance(v,list) else v.get(k)
print("null" if v is None else str(v).lower() if isinstance(v,bool) else v)' "$@"; }
# The value of the first record matching probe, case, transport and metric.
record() { python3 -c 'import json,sys
for l in open(sys.argv[1]):
    r=json.loads(l)
    if (r["probe"],r["case"],r["transport"],r["metric"],r["status"])==tuple(sys.argv[2:6])+("ok",):
        n=lambda v: "%d" % v if isinstance(v,(int,float)) and float(v).is_integer() else v
        print(n(r["value"]), n((r.get("os_reported") or {}).get("value"))); break' "$@"; }

echo "test-lab: booting $release with a tiny config"
TMPDIR=$work/tmp BUILD=$BUILD sh "$here/lab.sh" --no-host --no-report -c "$work/tiny.yaml" \
    -o "$work/results" --append "sysctl.fs.pipe-max-size=2097152" "$kernel" >"$work/out" 2>&1
check "lab.sh exits 0" "$?" 0
run=$work/results/lab-$release
if [ ! -f "$run/run.json" ]; then
    bad "no run came back: $(tail -n 20 "$work/out")"
else
    check "the run is complete" "$(jget "$run/run.json" status)" complete
    check "run.json names the booted kernel" "$(jget "$run/run.json" platform kernel)" "$release"
    check "run.json says VM" "$(jget "$run/run.json" platform virtual_machine)" true
    accel=$(jget "$run/lab.json" accel)
    want="emulated (QEMU TCG)"
    [ "$accel" = kvm ] && want="hardware virtualization (KVM)"
    check "run.json says $accel" "$(jget "$run/run.json" platform cpu_execution)" "$want"
    check "run.json's vCPUs" "$(jget "$run/run.json" platform vm_vcpus)" 2
    mem=$(jget "$run/run.json" platform vm_memory_bytes)
    if [ "$mem" -gt $((1024 * 1048576)) ] && [ "$mem" -le $((2048 * 1048576)) ]; then
        ok "run.json's memory is the guest's 2 GiB less the kernel's reserve ($mem)"
    else bad "run.json's memory: $mem, want in (1 GiB, 2 GiB]"; fi
    n=$(grep -c '"status":"ok"' "$run/records.jsonl")
    check "both records arrived" "$n" 2
    witness=$(sed -n 's/^lab: fact: pipe_F_GETPIPE_SZ=//p' "$run/lab-console.log")
    # shellcheck disable=SC2046 # the value and os_reported, as $1 and $2
    set -- $(record "$run/records.jsonl" capacity fill_nonblocking pipe capacity)
    check "pipe capacity = the guest's F_GETPIPE_SZ (lab/guest_facts.c)" "${1:-none}" \
        "${witness:-none}"
    check "the record's os_reported F_GETPIPE_SZ = the guest's" "${2:-none}" "${witness:-none}"
    check "the guest's uname" \
        "$(sed -n 's/^lab: fact: uname_release=//p' "$run/lab-console.log")" "$release"
    check "the guest's pipe-max-size (set on its command line)" \
        "$(jget "$run/run.json" limits pipe_max_size)" 2097152
    # shellcheck disable=SC2046
    set -- $(record "$run/records.jsonl" capacity fill_raised pipe capacity)
    check "raised pipe capacity follows the guest's pipe-max-size" "${1:-none}" 2097152
    boot=$(jget "$run/lab.json" boot_s) first=$(jget "$run/lab.json" boot_to_first_record_s)
    echo "     boot $boot s, first record $first s, $accel"
fi

echo "test-lab: a guest that hangs before it boots (boot deadline 15 s)"
TMPDIR=$work/tmp BUILD=$BUILD sh "$here/lab.sh" --no-host --no-report -c "$work/tiny.yaml" \
    -o "$work/results" --boot-timeout 15 --append ipcprobe.lab_hang=boot "$kernel" \
    >"$work/hang" 2>&1
check "lab.sh exits 1 for a hung guest" "$?" 1
grep -q "no progress past boot within 15 s: killing the guest" "$work/hang" &&
    ok "the hang is reported" || bad "no report of the hang: $(tail -n 5 "$work/hang")"
grep -q "FAILED: hung in boot" "$work/hang" && ok "the summary says hung in boot" ||
    bad "summary: $(tail -n 3 "$work/hang")"
[ -f "$work/results/lab-$release-2.console.log" ] && ok "its console log is kept" ||
    bad "no console log kept: $(ls "$work/results")"
left=$(pgrep -f "$work/tmp" || true)
check "no qemu process left" "${left:-none}" none
check "no temporary file left" "$(ls -A "$work/tmp" | tr '\n' ' ')" ""

echo "test-lab: SIGTERM to the lab while its guest boots"
TMPDIR=$work/tmp BUILD=$BUILD sh "$here/lab.sh" --no-host --no-report -c "$work/tiny.yaml" \
    -o "$work/results" --append ipcprobe.lab_hang=boot "$kernel" >"$work/term" 2>&1 &
lab=$!
i=0
until pgrep -f "$work/tmp/.*qemu.pid" >/dev/null || [ $i -ge 100 ]; do sleep 0.1; i=$((i + 1)); done
kill -TERM "$lab"
wait "$lab"
check "lab.sh stops on SIGTERM (exit 130)" "$?" 130
left=$(pgrep -f "$work/tmp" || true)
check "no qemu process left" "${left:-none}" none
check "no temporary file left" "$(ls -A "$work/tmp" | tr '\n' ' ')" ""

if [ -d /sys/module/kvm_pvm ] && [ ! -d /sys/module/kvm_intel ] && [ ! -d /sys/module/kvm_amd ] &&
    ( : <>/dev/kvm ) 2>/dev/null; then
    echo "test-lab: KVM here is PVM: --try-kvm must not boot, then boot emulated"
    TMPDIR=$work/tmp BUILD=$BUILD sh "$here/lab.sh" --no-host --no-report -c "$work/tiny.yaml" \
        -o "$work/results" --try-kvm --boot-timeout 20 "$kernel" >"$work/kvm" 2>&1
    check "lab.sh exits 0 after the fallback" "$?" 0
    grep -q "did not reach init under KVM (deadline 20 s): trying again emulated (TCG)" \
        "$work/kvm" &&
        ok "the fallback is said" || bad "no fallback said: $(tail -n 5 "$work/kvm")"
    run=$work/results/lab-$release-2    # lab-$release is the first case's; -2 only a console
    check "the run says emulated" "$(jget "$run/run.json" platform cpu_execution)" \
        "emulated (QEMU TCG)"
    check "lab.json says tcg" "$(jget "$run/lab.json" accel)" tcg
    check "no temporary file left" "$(ls -A "$work/tmp" | tr '\n' ' ')" ""
else
    echo "test-lab: SKIP the KVM fallback case: /dev/kvm here is not PVM-only"
fi

echo "$pass passed, $fail failed"
[ "$fail" = 0 ]
