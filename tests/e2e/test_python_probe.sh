#!/bin/sh
# test_python_probe.sh - the Python-layer probe keeps the probe contract, and on this Linux
# machine with CPython send_bytes carries at least 64 MiB whole (no 32 MiB ValueError); the
# largest send_bytes with nobody reading matches a hand check on both Pipe kinds; queue_put's
# puts and large_data's mechanisms; an interpreter that fails to start says all it printed.
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
for m in pipe_simplex pipe_duplex; do
	"$P" --case blocking --param mechanism=$m > "$tmp/block-$m.jsonl" || fail "blocking $m exited $?"
done
# Queue.put is timed hundreds of times by default, so that its tail means something.
"$P" --case queue_put --param size=4KiB --param exit_wait=10ms > "$tmp/qp.jsonl" || fail "queue_put exited $?"
# large_data: a reused block beside a fresh one and the cost of creating one, 10 repeats.
"$P" --case large_data --param size=256KiB --param sweep_from=0 > "$tmp/ld.jsonl" || fail "large_data exited $?"
python3 - "$tmp" <<'PY' || exit 1
import fcntl, json, os, socket, struct, sys
tmp = sys.argv[1]
json.load(open(os.path.join(tmp, "list.json")))
for m in ("pipe_duplex", "pipe_simplex"):
    recs = [json.loads(l) for l in open(os.path.join(tmp, m + ".jsonl"))]
    big = [r for r in recs if r["metric"] == "largest_whole"][0]
    assert big["status"] == "ok" and big["value"] >= 64 * 2**20, big
    for r in recs:
        assert r["transport"] is None and r["unit"] in ("bytes", "count", "ns", "ratio"), r
        assert r["facts"]["python"]["implementation"], r
qp = [json.loads(l) for l in open(os.path.join(tmp, "qp.jsonl"))]
put = [x for x in qp if x["metric"] == "put_latency"][0]
assert put["dist"]["n"] == 300 and put["facts"]["puts"] == 300, put
ld = {x["metric"]: x for x in map(json.loads, open(os.path.join(tmp, "ld.jsonl")))}
for m in ("shared_memory_reused", "shared_memory_fresh", "pipe_send_bytes", "queue_put",
          "temp_file", "shared_memory_create"):
    assert ld[m]["status"] == "ok" and ld[m]["dist"]["n"] == 10, (m, ld.get(m))
assert "interleaved" in ld["pipe_send_bytes"]["facts"]["order"]
assert ld["shared_memory_speedup"]["facts"]["judged_on"] == "shared_memory_reused"
lat = [json.loads(l) for l in open(os.path.join(tmp, "lat.jsonl"))][0]
d = lat["dist"]
assert lat["unit"] == "ns" and d["min"] <= d["p50"] <= d["p99"] <= d["max"], lat
# The queued figure of Pipe(duplex=False) follows from the pipe under it: send_bytes writes
# its 4-byte length header and the payload in two write()s, and Linux does not merge a
# page-multiple write into the header's page, so the header costs one whole page slot.
r, w = os.pipe()
cap = fcntl.fcntl(w, fcntl.F_GETPIPE_SZ)
os.close(r); os.close(w)
page = os.sysconf("SC_PAGE_SIZE")
for kind in ("pipe_simplex", "pipe_duplex"):
    blk = [json.loads(l) for l in open(os.path.join(tmp, "block-%s.jsonl" % kind))]
    metric = {x["metric"]: x for x in blk}
    assert "bytes_before_block" not in metric, metric.keys()
    queued, big = metric["bytes_queued_when_blocked"], metric["largest_no_reader"]
    if kind == "pipe_simplex":
        assert queued["value"] == cap - page + 4, (queued["value"], cap, page)
        assert big["value"] == cap - 4, (big["value"], cap)
    # The hand check: the same framing written by hand (a 4-byte length, then the payload,
    # in two writes above 16 KiB) into a raw non-blocking pipe or socketpair.
    def fits(n):
        if kind == "pipe_simplex":
            rx, tx = os.pipe()
        else:
            a, b = socket.socketpair()
            tx, rx = a.detach(), b.detach()
        os.set_blocking(tx, False)
        try:
            for part in (struct.pack("!i", n), bytes(n)):
                view = memoryview(part)
                while len(view):
                    view = view[os.write(tx, view):]
            return True
        except BlockingIOError:
            return False
        finally:
            os.close(tx); os.close(rx)
    n = int(big["value"])
    assert fits(n) and not fits(n + 1), (kind, n, fits(n), fits(n + 1))
    assert big["facts"]["blocking_mode_check"] == {"returned_at_largest": True,
        "returned_one_byte_more": False, "settle_ns": 200000000}, big["facts"]
    print("test_python_probe: %s: send_bytes delivers %d bytes with nobody reading, as a hand "
          "check shows; a 2 MiB send stalls with %d queued" % (kind, n, queued["value"]))
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
# An interpreter found on PATH that fails to start (as a pyenv shim that is not activated:
# exit 127, several lines) is failed with everything it said as the reason, not its last line.
mkdir "$tmp/bin"
cat > "$tmp/bin/python3.99" <<'SH'
#!/bin/sh
echo "pyenv: python3.99: command not found" >&2
echo "" >&2
echo "The \`python3.99' command exists in these Python versions:" >&2
echo "  3.99.0" >&2
exit 127
SH
chmod +x "$tmp/bin/python3.99"
sed 's/python3, python3.0/python3.99/' "$tmp/interp.yaml" > "$tmp/shim.yaml"
PATH="$tmp/bin:$PATH" "$BUILD/ipcprobe" run "$tmp/shim.yaml" -o "$tmp/shim" > "$tmp/run.out" 2>&1
python3 - "$tmp/shim" <<'PY' || exit 1
import json, os, sys
r = [json.loads(l) for l in open(os.path.join(sys.argv[1], "records.jsonl"))][0]
assert r["status"] == "failed" and r["reason"] == ("exit 127: pyenv: python3.99: command not found"
    "\n\nThe `python3.99' command exists in these Python versions:\n  3.99.0"), r["reason"]
PY
"$P" --case nope > /dev/null 2>&1; [ $? -eq 2 ] || fail "an unknown case did not exit 2"
"$P" --case latency --param size=big > /dev/null 2>&1; [ $? -eq 2 ] || fail "a bad size did not exit 2"
echo "test_python_probe: ok"
