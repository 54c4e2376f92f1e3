#!/bin/sh
# test_quick.sh - configs/quick.yaml end to end through the real runner and the real capacity
# probe: exact facts read back from the records, the run directory complete, the reports there.
. "$(dirname "$0")/../lib/harness.sh"

"$BUILD/ipcprobe" run configs/quick.yaml -o "$tmp/run" > "$tmp/out" 2>&1 ||
	{ cat "$tmp/out"; fail "ipcprobe run configs/quick.yaml exited $?"; }
for f in run.json records.jsonl report.html report.md plots/capacity.svg plots/capacity.png; do
	[ -s "$tmp/run/$f" ] || fail "$f is missing or empty in the run directory"
done
[ -d "$tmp/run/logs" ] || fail "logs/ is missing"
grep -q "report.html" "$tmp/out" || fail "the runner did not print the report's path"

python3 - "$tmp/run" <<'PY' || exit 1
import fcntl, json, os, sys
run = sys.argv[1]
meta = json.load(open(os.path.join(run, "run.json")))
assert meta["status"] == "complete", meta["status"]
recs = [json.loads(l) for l in open(os.path.join(run, "records.jsonl")) if l.strip()]
def one(case, transport, metric):
    m = [r for r in recs if r["case"] == case and r["transport"] == transport and r["metric"] == metric]
    assert len(m) == 1, (case, transport, metric, len(m))
    return m[0]
# The pipe's measured capacity equals what the kernel reports for a fresh pipe.
r, w = os.pipe()
kernel = fcntl.fcntl(w, fcntl.F_GETPIPE_SZ)
pipe_buf = os.fpathconf(w, "PC_PIPE_BUF")
os.close(r); os.close(w)
cap = one("fill_nonblocking", "pipe", "capacity")
assert cap["status"] == "ok", cap
assert cap["value"] == kernel, (cap["value"], kernel)
assert cap["os_reported"]["source"] == "F_GETPIPE_SZ" and cap["os_reported"]["value"] == kernel, cap
# Raised as far as an unprivileged process may: /proc/sys/fs/pipe-max-size, and measured so.
maxsz = int(open("/proc/sys/fs/pipe-max-size").read())
raised = one("fill_raised", "pipe", "capacity")
assert raised["value"] == maxsz and raised["os_reported"]["value"] == maxsz, (raised, maxsz)
# A blocking writer gets exactly the pipe's capacity in before it blocks.
bw = one("blocking_writer", "pipe", "bytes_before_block")
assert bw["value"] == kernel, bw
pb = one("pipe_buf", "pipe", "pipe_buf")
assert pb["value"] == pipe_buf, (pb, pipe_buf)
for rec in recs:
    assert rec["status"] in ("ok", "unsupported"), rec
    assert rec["rep"] == 0, rec
print("test_quick: pipe capacity %d == F_GETPIPE_SZ; raised %d == pipe-max-size; %d records" %
      (cap["value"], raised["value"], len(recs)))
PY

# A config with a mistake on line 7 is rejected naming line 7, and nothing is written.
mkdir "$tmp/root"
cat > "$tmp/bad.yaml" <<YAML
name: bad
output: root
repetitions: 1
probes:
  - probe: capacity
    params:
      chunk: 4KB
YAML
runner=$(pwd)/$BUILD/ipcprobe
(cd "$tmp" && "$runner" run bad.yaml) > "$tmp/bad.out" 2>&1
rc=$?
[ $rc -eq 2 ] || { cat "$tmp/bad.out"; fail "a bad config exited $rc, not 2"; }
grep -q "bad.yaml:7:" "$tmp/bad.out" || { cat "$tmp/bad.out"; fail "the error does not name line 7"; }
[ -z "$(ls -A "$tmp/root")" ] || fail "a rejected config wrote into the results root"
echo "test_quick: ok"
