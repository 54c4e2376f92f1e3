#!/bin/sh
# test_capacity_probe.sh - the capacity probe's figures are what a writer of that size gets
# (issue 27 item 10):
#  - the capacity is what chunk-sized writes got in: 100-byte writes into a pipe fill 40 to a
#    page and leave the rest of each page empty, so the figure is a multiple of 100, equal to
#    what this test's own 100-byte writer gets into a fresh pipe; the single bytes that still
#    fit after that (in the last page) are a fact of their own (topped_up_bytes = total_bytes
#    - value).
. "$(dirname "$0")/../lib/harness.sh"
P=$(pwd)/$BUILD/probes/capacity

for c in 100 4096; do
	"$P" --case fill_nonblocking --transport pipe --param chunk=$c > "$tmp/pipe-$c.jsonl" ||
		fail "fill_nonblocking pipe chunk=$c exited $?"
done

python3 - "$tmp" <<'PY' || exit 1
import errno, fcntl, json, os, sys
tmp = sys.argv[1]
def recs(name):
    return [json.loads(l) for l in open(os.path.join(tmp, name))]
def one(name, metric):
    m = [r for r in recs(name) if r["metric"] == metric]
    assert len(m) == 1, (name, metric, m)
    return m[0]
# What a writer of n-byte non-blocking writes gets into a fresh pipe, by hand; and the pipe's
# size as the kernel reports it.
def by_hand(n):
    r, w = os.pipe()
    os.set_blocking(w, False)
    got = 0
    try:
        while True:
            got += os.write(w, b"x" * n)
    except BlockingIOError:
        pass
    size = fcntl.fcntl(w, fcntl.F_GETPIPE_SZ)
    os.close(r); os.close(w)
    return got, size
got, size = by_hand(100)
cap = one("pipe-100.jsonl", "capacity")
f = cap["facts"]
assert cap["status"] == "ok" and cap["params"]["chunk"] == 100, cap
assert cap["value"] % 100 == 0, cap
assert cap["value"] == got == 100 * f["chunk_writes"], (got, cap)
assert f["short_writes"] == {"count": 0, "bytes": 0}, f   # <= PIPE_BUF: all or nothing
assert f["topped_up_bytes"] == f["total_bytes"] - cap["value"], f
# single bytes go only into the last page, so the rest of every earlier page stays empty
assert cap["value"] < f["total_bytes"] <= size == cap["os_reported"]["value"], (size, cap)
assert f["writes"] == f["chunk_writes"] + f["topped_up_bytes"], f
assert f["ended_by"] == "EAGAIN", f
whole = one("pipe-4096.jsonl", "capacity")
assert whole["value"] == size and whole["facts"]["topped_up_bytes"] == 0, whole
print("test_capacity_probe: 100-byte writes get %d of a %d-byte pipe in (by hand %d), "
      "%d more as single bytes" % (cap["value"], size, got, f["topped_up_bytes"]))
PY
[ $? -eq 0 ] || exit 1
echo "test_capacity_probe: ok"
