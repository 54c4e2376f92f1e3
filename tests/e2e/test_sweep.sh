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
# The probe's queue: a key with our mark (0x40000000) whose last sender or receiver (lspid,
# lrpid: /proc/sysvipc/msg names no creator) is in the probe's process group (= its pid), that
# is the probe or its child.  The key's tag cannot say it: it comes from the run's secret,
# which no file shows (probes/lib/cleanup.c).  Prints "msqid key".
queue_of() {
	python3 - "$1" <<'PY'
import os, sys
pgid = int(sys.argv[1])
lines = open("/proc/sysvipc/msg").read().splitlines()
col = {name: i for i, name in enumerate(lines[0].split())}
for line in lines[1:]:
    v = line.split()
    if int(v[col["key"]]) >> 30 != 1:
        continue
    for pid in (int(v[col["lspid"]]), int(v[col["lrpid"]])):
        try:
            if pid > 0 and os.getpgid(pid) == pgid:
                print(v[col["msqid"]], v[col["key"]])
                sys.exit(0)
        except OSError:
            pass
sys.exit(1)
PY
}
# Is the queue with this msqid and key still there?
queue_exists() {
	awk -v id="$1" -v key="$2" 'NR > 1 && $2 == id && $1 == key { found = 1 } END { exit !found }' \
		/proc/sysvipc/msg
}
# Wait for the probe's queue to carry messages, then kill the probe.
pid= q=
probe_has_queue() { pid=$(pgrep -x -P $runner latency) && q=$(queue_of "$pid"); }
h_wait_alive $runner "the latency probe's SysV queue" probe_has_queue
kill -KILL "$pid"
wait $runner
rc=$?
[ $rc -eq 1 ] || { cat "$tmp/out"; fail "the runner exited $rc, not 1, after a probe was killed"; }
# shellcheck disable=SC2086 # "msqid key", two words
queue_exists $q && fail "the killed probe's SysV queue is still there: msqid and key $q"
# shellcheck disable=SC2086
python3 - "$tmp/run" $q <<'PY' || exit 1
import json, os, sys
meta = json.load(open(os.path.join(sys.argv[1], "run.json")))
lat, cap = meta["cases"]
assert lat["status"] == "failed" and "SIGKILL" in lat["reason"], lat
assert [s["kind"] for s in lat["swept"]] == ["msg"], lat["swept"]
want = "key 0x%08x id %s" % (int(sys.argv[3]) & 0xffffffff, sys.argv[2])
assert lat["swept"][0]["name"] == want, (lat["swept"], want)
assert cap["status"] == "ok", cap
print("test_sweep: the killed probe's queue was swept: %s" % lat["swept"][0]["name"])
PY
echo "test_sweep: ok"
