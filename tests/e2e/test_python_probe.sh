#!/bin/sh
# test_python_probe.sh - the Python-layer probe keeps the probe contract, and on this Linux
# machine with CPython send_bytes carries at least 64 MiB whole (no 32 MiB ValueError).
set -u
BUILD=${BUILD:-build}
P=$BUILD/probes/python
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "test_python_probe: $*" >&2; exit 1; }
command -v python3 > /dev/null || { echo "python3 is not installed"; exit 77; }

"$P" --list > "$tmp/list.json" || fail "--list exited $?"
for m in pipe_duplex pipe_simplex; do
	"$P" --case send_bytes_limit --param mechanism=$m --param cap=64MiB > "$tmp/$m.jsonl" ||
		fail "send_bytes_limit $m exited $?"
done
"$P" --case latency --param mechanism=queue --param n=200 > "$tmp/lat.jsonl" || fail "latency exited $?"
"$P" --case blocking --param mechanism=pipe_simplex > "$tmp/block.jsonl" || fail "blocking exited $?"
python3 - "$tmp" <<'PY' || exit 1
import fcntl, json, os, sys
tmp = sys.argv[1]
json.load(open(os.path.join(tmp, "list.json")))
for m in ("pipe_duplex", "pipe_simplex"):
    recs = [json.loads(l) for l in open(os.path.join(tmp, m + ".jsonl"))]
    big = [r for r in recs if r["metric"] == "largest_whole"][0]
    assert big["status"] == "ok" and big["value"] >= 64 * 2**20, big
    for r in recs:
        assert r["transport"] is None and r["unit"] in ("bytes", "count", "ns", "ratio"), r
        assert r["facts"]["python"]["implementation"], r
lat = [json.loads(l) for l in open(os.path.join(tmp, "lat.jsonl"))][0]
d = lat["dist"]
assert lat["unit"] == "ns" and d["min"] <= d["p50"] <= d["p99"] <= d["max"], lat
# The blocking figure of Pipe(duplex=False) follows from the pipe under it: send_bytes writes
# its 4-byte length header and the payload in two write()s, and Linux does not merge a
# page-multiple write into the header's page, so the header costs one whole page slot.
r, w = os.pipe()
cap = fcntl.fcntl(w, fcntl.F_GETPIPE_SZ)
os.close(r); os.close(w)
page = os.sysconf("SC_PAGE_SIZE")
blk = [json.loads(l) for l in open(os.path.join(tmp, "block.jsonl"))]
before = [x for x in blk if x["metric"] == "bytes_before_block"][0]
assert before["value"] == cap - page + 4, (before["value"], cap, page)
print("test_python_probe: send_bytes carries 64 MiB whole on both Pipe kinds; "
      "Pipe(duplex=False) blocks after %d bytes = F_GETPIPE_SZ %d - one page + 4-byte header"
      % (before["value"], cap))
PY
# The config chooses the interpreters; one that is not installed is unsupported, not failed.
cat > "$tmp/interp.yaml" <<YAML
probes:
  - probe: python
    cases: [latency]
    interpreters: [python3, python3.0]
    params:
      n: 50
YAML
"$BUILD/ipcprobe" run "$tmp/interp.yaml" -o "$tmp/run" > "$tmp/run.out" 2>&1 ||
	{ cat "$tmp/run.out"; fail "a run over two interpreters did not exit 0"; }
python3 - "$tmp/run" <<'PY' || exit 1
import json, os, sys
recs = [json.loads(l) for l in open(os.path.join(sys.argv[1], "records.jsonl"))]
by = {r["interpreter"]: r for r in recs}
assert by["python3"]["status"] == "ok" and by["python3"]["facts"]["python"]["version"], by
assert by["python3.0"]["status"] == "unsupported" and "not installed" in by["python3.0"]["reason"], by
PY
"$P" --case nope > /dev/null 2>&1; [ $? -eq 2 ] || fail "an unknown case did not exit 2"
"$P" --case latency --param size=big > /dev/null 2>&1; [ $? -eq 2 ] || fail "a bad size did not exit 2"
echo "test_python_probe: ok"
