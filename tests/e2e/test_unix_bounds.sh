#!/bin/sh
# test_unix_bounds.sh - each figure beside the one that really bounds it:
#  - capacity of an AF_UNIX socketpair is set beside the sending socket's SO_SNDBUF (not
#    SO_SNDBUF + SO_RCVBUF), with the part of it the kernel's per-write bookkeeping takes
#    (of everything queued: the chunk-sized writes and a stream's single-byte top-up);
#    raised, the request and the grant are the same buffer;
#  - a unix datagram transport's size limit is what the platform measures (the largest
#    datagram limits finds), never a guessed 65536, in latency's and throughput's reasons;
#  - the report says "n too small" for a tail percentile the samples cannot hold.
. "$(dirname "$0")/../lib/harness.sh"
B=$(pwd)/$BUILD

for t in unix-stream unix-dgram; do
	"$B/probes/capacity" --case fill_nonblocking --transport $t > "$tmp/fill-$t.jsonl" ||
		fail "capacity fill_nonblocking $t exited $?"
done
"$B/probes/capacity" --case fill_raised --transport unix-stream > "$tmp/raised.jsonl" ||
	fail "capacity fill_raised exited $?"
"$B/probes/capacity" --case blocking_writer --transport unix-stream --param settle=20ms \
	> "$tmp/blocking.jsonl" || fail "capacity blocking_writer exited $?"
"$B/probes/limits" --case max_datagram --transport unix-dgram > "$tmp/maxdg.jsonl" ||
	fail "limits max_datagram exited $?"
"$B/probes/latency" --case roundtrip --transport unix-dgram --param size=1MiB \
	> "$tmp/lat.jsonl" 2> /dev/null
[ $? -eq 3 ] || fail "latency over unix-dgram at 1 MiB was not unsupported (exit 3)"
"$B/probes/throughput" --case stream --transport unix-dgram --param chunk=1MiB \
	> "$tmp/tput.jsonl" 2> /dev/null
[ $? -eq 3 ] || fail "throughput over unix-dgram at 1 MiB was not unsupported (exit 3)"

# A latency record with 20 samples: its p99 and p99.9 are null, and the report says why.
mkdir "$tmp/run"
cat > "$tmp/run/records.jsonl" <<'EOF'
{"schema":1,"probe":"latency","case":"roundtrip","transport":"pipe","params":{"size":64,"placement":"cross_core"},"metric":"rtt","unit":"ns","direction":"lower","status":"ok","reason":null,"value":2000.0,"dist":{"n":20,"min":1000.0,"p50":2000.0,"p90":3000.0,"p99":null,"p999":null,"max":9000.0,"mean":2100.0,"stddev":5.0},"rep":0}
EOF
"$B/ipcprobe" report "$tmp/run" > /dev/null 2>&1 || fail "report exited $?"

python3 - "$tmp" <<'PY' || exit 1
import json, os, socket, sys
tmp = sys.argv[1]
def recs(name):
    return [json.loads(l) for l in open(os.path.join(tmp, name))]
def proc(path):
    return int(open(path).read())
for t, kind in (("unix-stream", socket.SOCK_STREAM), ("unix-dgram", socket.SOCK_DGRAM)):
    r = [x for x in recs("fill-%s.jsonl" % t) if x["metric"] == "capacity"][0]
    a, b = socket.socketpair(socket.AF_UNIX, kind)
    sndbuf = a.getsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF)
    assert r["os_reported"] == {"source": "SO_SNDBUF of the sending socket", "value": sndbuf}, r
    assert r["facts"]["so_rcvbuf_receiver"] == b.getsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF), r
    # SO_SNDBUF less everything queued: the chunk-sized writes' bytes (the value) and the
    # single bytes after them (a stream's top-up), each write its own buffer
    total = r["facts"]["total_bytes"]
    assert r["value"] <= total <= sndbuf, r
    if total < sndbuf:
        gap = r["facts"]["sndbuf_not_filled"]
        assert gap["bytes"] == sndbuf - total, r
        assert gap["per_write"] == gap["bytes"] / r["facts"]["writes"], r
bb = [x for x in recs("blocking.jsonl") if x["metric"] == "bytes_before_block"][0]
a, b = socket.socketpair(socket.AF_UNIX, socket.SOCK_STREAM)
stream_sndbuf = a.getsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF)
assert bb["os_reported"] == {"source": "SO_SNDBUF of the sending socket",
                             "value": stream_sndbuf}, bb
if bb["value"] > stream_sndbuf:
    assert bb["facts"]["above_sndbuf"]["bytes"] == bb["value"] - stream_sndbuf, bb
raised = [x for x in recs("raised.jsonl") if x["metric"] == "capacity"][0]
f = raised["facts"]
want = min(proc("/proc/sys/net/core/wmem_max"), proc("/proc/sys/net/core/rmem_max"))
a, b = socket.socketpair(socket.AF_UNIX, socket.SOCK_STREAM)
a.setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF, want)
granted = a.getsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF)
assert f["requested"] == want and f["granted"] == granted == f["so_sndbuf"], f
assert raised["os_reported"]["value"] == granted, raised
assert f["granted_over_requested"] == granted / want, f
# The limit latency and throughput refuse 1 MiB by is the measured largest datagram.
maxdg = int(recs("maxdg.jsonl")[0]["value"])
for name in ("lat.jsonl", "tput.jsonl"):
    r = recs(name)[0]
    assert r["status"] == "unsupported", r
    assert " above the %d bytes " % maxdg in r["reason"], (maxdg, r)
    assert "found by trying" in r["reason"], r
report = open(os.path.join(tmp, "run", "report.md")).read()
row = [l for l in report.splitlines() if l.startswith("| pipe | 64 B |")]
assert row and row[0].count("n too small (n 20): = max 9 us") == 2, row
print("test_unix_bounds: capacity beside the sender's SO_SNDBUF %d; raised %d -> %d granted; "
      "unix-dgram carries %d whole; a 20-sample p99 shown as 'n too small'"
      % (sndbuf, want, granted, maxdg))
PY
[ $? -eq 0 ] || exit 1
echo "test_unix_bounds: ok"
