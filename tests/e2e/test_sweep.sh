#!/bin/sh
# test_sweep.sh - a probe SIGKILLed mid-run cannot clean up after itself; the runner removes
# what it left (its SysV message queue here, whose key carries the probe's process group),
# records the kill, and goes on.
. "$(dirname "$0")/../lib/harness.sh"
[ -r /proc/sysvipc/msg ] || h_skip "no /proc/sysvipc/msg: cannot watch SysV queues here"

cat > "$tmp/c.yaml" <<YAML
timeout: 60s
order: plan
probes:
  - probe: latency
    cases: [roundtrip]
    transports: [sysv-msg]
    params:
      placement: unpinned
      warmup: 0ns
      min_time: 30s
  - probe: capacity
    cases: [pipe_buf]
    transports: [pipe]
YAML
"$BUILD/ipcprobe" run "$tmp/c.yaml" -o "$tmp/run" > "$tmp/out" 2>&1 &
runner=$!
# The probe's queues: keys with our mark (0x40000000) and, in bits 8-29, the tag of the run's
# token (run.json "ipc_token") and the probe's process group (= its pid): FNV-1a of
# "TOKEN-PGID", folded to 22 bits (probes/lib/cleanup.c).
queues_of() {
	python3 - "$tmp/run/run.json" "$1" <<'PY'
import json, sys
token = json.load(open(sys.argv[1]))["ipc_token"]
h = 2166136261
for c in ("%s-%s" % (token, sys.argv[2])).encode():
    h = ((h ^ c) * 16777619) & 0xffffffff
tag = (h ^ (h >> 22)) & 0x3fffff
keys = [int(l.split()[0]) for l in open("/proc/sysvipc/msg").readlines()[1:]]
sys.exit(0 if any(k >> 30 == 1 and (k >> 8) & 0x3fffff == tag for k in keys) else 1)
PY
}
# Wait for the probe's queue to exist, then kill the probe.
pid=
probe_has_queue() { pid=$(pgrep -x -P $runner latency) && queues_of "$pid"; }
h_wait_alive $runner "the latency probe's SysV queue" probe_has_queue
kill -KILL "$pid"
wait $runner
rc=$?
[ $rc -eq 1 ] || { cat "$tmp/out"; fail "the runner exited $rc, not 1, after a probe was killed"; }
queues_of "$pid" && fail "the killed probe's SysV queue is still there"
python3 - "$tmp/run" <<'PY' || exit 1
import json, os, sys
meta = json.load(open(os.path.join(sys.argv[1], "run.json")))
lat, cap = meta["cases"]
assert lat["status"] == "failed" and "SIGKILL" in lat["reason"], lat
assert [s["kind"] for s in lat["swept"]] == ["msg"], lat["swept"]
assert cap["status"] == "ok", cap
print("test_sweep: the killed probe's queue was swept: %s" % lat["swept"][0]["name"])
PY
echo "test_sweep: ok"
