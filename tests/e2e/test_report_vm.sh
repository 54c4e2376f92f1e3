#!/bin/sh
# test_report_vm.sh - on a virtual machine, the latency section says that round trips across
# vCPUs are bound by the wake-up of a halted vCPU, with the same-CPU and cross-CPU figures of
# one pipe size (issue 27 item 4); on a machine that is not one, and where only one placement
# was measured, it says nothing of the kind.  Crafted records, no probe runs.
. "$(dirname "$0")/../lib/harness.sh"
python3 - "$tmp" <<'PY'
import json, os, sys
def rec(placement, v, rep):
    return {"schema": 1, "probe": "latency", "case": "roundtrip", "transport": "pipe",
            "params": {"size": 64, "placement": placement}, "metric": "rtt", "unit": "ns",
            "direction": "lower", "status": "ok", "reason": None, "value": v, "rep": rep,
            "facts": {}}
for run, vm, placements in (("vm", True, ("same_core", "cross_core")),
                            ("metal", False, ("same_core", "cross_core")),
                            ("vm-one", True, ("cross_core",))):
    d = os.path.join(sys.argv[1], run)
    os.mkdir(d)
    with open(os.path.join(d, "records.jsonl"), "w") as f:
        for rep in range(3):
            for pl in placements:
                f.write(json.dumps(rec(pl, (5000 if pl == "same_core" else 30000) + rep, rep)) + "\n")
    json.dump({"schema": 1, "status": "complete",
               "platform": {"os": "Linux", "virtual_machine": vm, "hypervisor": "KVM" if vm else None}},
              open(os.path.join(d, "run.json"), "w"))
PY
for r in vm metal vm-one; do
	"$BUILD/ipcprobe" report "$tmp/$r" > "$tmp/out" 2>&1 || { cat "$tmp/out"; fail "report of $r failed"; }
done
grep -q "This machine is a virtual machine (KVM). A round trip across two vCPUs" "$tmp/vm/report.md" ||
	fail "the VM's report does not say what bounds a cross-CPU round trip"
grep -q "Pipe, 64 B: 5 us with both processes on one CPU, 30 us across two (6.0x)" "$tmp/vm/report.md" ||
	fail "the VM's report does not give both figures: $(grep -i 'virtual machine' "$tmp/vm/report.md")"
for r in metal vm-one; do
	! grep -q "virtual machine" "$tmp/$r/report.md" || fail "$r: the VM sentence where it does not belong"
done
echo "$H_NAME: ok"
