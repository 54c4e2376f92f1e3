#!/bin/sh
# test_latency_probe.sh - build/probes/latency and build/probes/throughput run directly with a
# tiny min_time over a few transports and sizes: every record is valid JSON with the right
# unit and direction, ok or unsupported with a reason, a consistent distribution, and its
# Google Benchmark entry; a size above a transport's maximum is unsupported; nothing is left
# in /dev/shm, /dev/mqueue or SysV IPC; round trips cheaper than 50 clock reads are timed in
# batches, the records saying the batch and the clock's cost; the memcpy floor is measured per
# chunk size and states its working set, as the streams do.  No timing assertions: a
# sample count or batch is judged by the rule the record shows it followed.
. "$(dirname "$0")/../lib/harness.sh"
for p in latency throughput; do
	[ -x "$BUILD/probes/$p" ] || fail "$BUILD/probes/$p is not built"
done

h_ipc_state > "$tmp/before"

# probe, then its arguments; the records go to $tmp/records, one file per run
n=0
run() {
	n=$((n + 1))
	"$BUILD/probes/$@" > "$tmp/rec.$n" 2> "$tmp/err.$n"
	rc=$?
	case $rc in
	0|3) ;;
	*) cat "$tmp/err.$n" >&2; fail "$* exited $rc" ;;
	esac
	echo "$rc $*" > "$tmp/cmd.$n"
}

quick="--param min_time=5ms --param warmup=1ms"
for t in pipe tcp posix-mq shm-spin shm-futex eventfd; do
	for s in 1 64; do
		run latency --case roundtrip --transport "$t" --param size=$s $quick
	done
done
run latency --case roundtrip --transport sysv-msg --param size=4KiB --param placement=unpinned \
	$quick
run latency --case roundtrip --transport signal --param size=4 --param placement=same_core $quick
run latency --case floor_cacheline $quick
# above the maximum: eventfd carries 8 bytes, a POSIX queue msgsize_max, udp 65507
run latency --case roundtrip --transport eventfd --param size=9 $quick
run latency --case roundtrip --transport udp --param size=65508 $quick
run latency --case roundtrip --transport posix-mq --param size=1MiB $quick

tq="--param min_time=5ms"
for t in pipe tcp shm-spin; do
	run throughput --case stream --transport "$t" --param chunk=4KiB --param verify=true $tq
done
run throughput --case stream --transport posix-mq --param chunk=64 --param total=64KiB
run throughput --case stream --transport udp $tq
for c in 64 64KiB; do
	run throughput --case floor_memcpy --param chunk=$c --param window=1MiB $tq
done

python3 - "$tmp" "$n" <<'PY' || exit 1
import json, math, os, sys
tmp, n = sys.argv[1], int(sys.argv[2])
want = {"rtt": ("ns", "lower"), "bandwidth": ("bytes_per_s", "higher")}

# The batch is the fewest round trips (a power of two, at most big) whose fastest of three
# tries lasted 50 clock reads; the record shows what the calibration saw, so this holds exactly
# on a machine of any speed and load, and fails on a probe that ignores its calibration.
def batch_follows_the_rule(where, f, big):
    k, cal = f["batch"], f["batch_calibration"]
    assert k >= 1 and k & (k - 1) == 0 and k <= big, (where, f)
    assert cal["want_ns"] == 50 * f["timer_overhead_ns"], (where, f)
    assert cal["fastest_ns"] >= cal["want_ns"] or k == big, (where, f)
    assert (cal["below_ns"] is None) == (k == 1), (where, f)
    assert cal["below_ns"] is None or cal["below_ns"] < cal["want_ns"], (where, f)
for i in range(1, n + 1):
    rc, cmd = open(os.path.join(tmp, "cmd.%d" % i)).read().split(" ", 1)
    lines = [l for l in open(os.path.join(tmp, "rec.%d" % i)) if l.strip()]
    assert len(lines) == 1, (cmd, "expected one record, got %d" % len(lines))
    r = json.loads(lines[0], parse_constant=lambda c: sys.exit("%s: %s in a record" % (cmd, c)))
    where = cmd.strip()
    assert r["schema"] == 1 and r["probe"] in ("latency", "throughput"), where
    assert (r["unit"], r["direction"]) == want[r["metric"]], (where, r["unit"], r["direction"])
    assert r["status"] in ("ok", "unsupported"), (where, r["status"], r["reason"])
    assert (rc == "0") == (r["status"] == "ok"), (where, rc, r["status"])
    if r["status"] == "unsupported":
        assert isinstance(r["reason"], str) and r["reason"], where
        assert r["value"] is None, where
        continue
    assert r["reason"] is None and r["value"] > 0, where
    g = r["gbench"]
    assert g["run_type"] == "iteration" and g["iterations"] >= 1, (where, g)
    assert not g.get("error_occurred", False), (where, g)
    assert isinstance(r["gbench_context"], dict), where
    assert "num_cpus" in r["gbench_context"], where
    if r["metric"] == "rtt":
        d = r["dist"]
        assert set(d) == {"n", "min", "p50", "p90", "p99", "p999", "max", "mean", "stddev",
                          "p50_ci", "modes"}, d
        # the median's interval over this run's round trips (per round trip, like p50):
        # one sample (a round trip slower than min_time, seen on a loaded VM) has none, and
        # the record says so; two or more bracket the median at a level above 0.
        ci = d["p50_ci"]
        assert ci["lo"] <= d["p50"] <= ci["hi"] and 0 <= ci["level"] <= 1, (where, ci)
        if d["n"] == 1:
            assert ci["level"] == 0 and not ci["reached"] and ci["lo"] == ci["hi"], (where, ci)
        else:
            assert ci["level"] > 0 and ci["reached"] == (ci["level"] >= 0.95), (where, ci)
        assert d["modes"] is None or (len(d["modes"]) >= 2 and
                                      abs(sum(m["share"] for m in d["modes"]) - 1) < 1e-9), d
        assert d["n"] == r["facts"]["iterations"] == g["iterations"], (where, d["n"], g)
        # a tail percentile q exists only from n >= 1 / (1 - q) samples on, else it is null
        need = {"p50": 1, "p90": 10, "p99": 100, "p999": 1000}
        assert all((d[k] is None) == (d["n"] < m) for k, m in need.items()), (where, d)
        seq = [d[k] for k in ("min", "p50", "p90", "p99", "p999", "max") if d[k] is not None]
        assert seq == sorted(seq), (where, d)
        assert r["value"] == d["p50"] == g["ipcprobe_p50_ns"], where
        # timed in batches where a round trip is under 50 clock reads; the record says so
        f = r["facts"]
        assert isinstance(f["timer_overhead_ns"], int) and f["batch"] >= 1, (where, f)
        assert f["round_trips"] == d["n"] * f["batch"], (where, f)
        batch_follows_the_rule(where, f, 1 << 16)
        assert all(v is None or math.isfinite(v) for k, v in d.items()
                   if k not in ("p50_ci", "modes")), where
        if r["case"] == "roundtrip":
            assert r["facts"]["bytes_carried"] == r["params"]["size"], where
            assert r["facts"]["placement"] == r["params"]["placement"], where
    else:
        f = r["facts"]
        assert f["bytes_total"] > 0, where
        if r["case"] == "stream":
            assert f["bytes_total"] == f["chunks"] * r["params"]["chunk"], (where, f)
            assert f["receiver_checked"] == ("byte count and content" if r["params"]["verify"]
                                             else "byte count"), where
            if r["params"]["total"]:
                assert f["bytes_total"] == r["params"]["total"], (where, f)
            ws = f["working_set"]
            assert ws["sender_bytes"] == ws["receiver_bytes"] == r["params"]["chunk"], (where, f)
        else:	# the floor at the stream's chunk size, with its working set stated
            ws, c = f["working_set"], r["params"]["chunk"]
            assert ws["source_bytes"] == c and ws["destination_bytes"] == (1 << 20), (where, f)
            assert ws["source_memory"] == "MAP_PRIVATE|MAP_ANONYMOUS", (where, ws)
            assert ws["destination_memory"] == "MAP_SHARED|MAP_ANONYMOUS", (where, ws)
            assert f["copies"] * c == f["bytes_total"], (where, f)
            assert f["batch"] >= (1 << 20) // c and f["batch"] % ((1 << 20) // c) == 0, (where, f)
            assert isinstance(f["timer_overhead_ns"], int), (where, f)

def status(probe, case, tr, **params):
    for i in range(1, n + 1):
        r = json.loads(open(os.path.join(tmp, "rec.%d" % i)).readline())
        if (r["probe"], r["case"], r["transport"]) == (probe, case, tr) and \
           all(r["params"].get(k) == v for k, v in params.items()):
            return r["status"], r["reason"]
    raise AssertionError("no record for %s/%s/%s %s" % (probe, case, tr, params))

mq_max = int(open("/proc/sys/fs/mqueue/msgsize_max").read()) if os.path.exists(
    "/proc/sys/fs/mqueue/msgsize_max") else None
for tr, size in (("eventfd", 9), ("udp", 65508)) + ((("posix-mq", 1 << 20),) if mq_max and mq_max < (1 << 20) else ()):
    st, why = status("latency", "roundtrip", tr, size=size)
    assert st == "unsupported" and "above" in why, (tr, size, st, why)
st, why = status("throughput", "stream", "udp")
assert st == "unsupported" and "drops" in why, (st, why)
for tr in ("pipe", "tcp", "shm-spin"):
    if os.path.exists("/proc/self"):	# Linux: all of these exist
        assert status("latency", "roundtrip", tr, size=64)[0] == "ok", tr
PY

h_ipc_state > "$tmp/after"
cmp -s "$tmp/before" "$tmp/after" || { diff "$tmp/before" "$tmp/after" >&2; fail "IPC objects left behind"; }
exit 0
