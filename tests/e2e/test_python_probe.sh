#!/bin/sh
# test_python_probe.sh - the Python-layer probe keeps the probe contract, and on this Linux
# machine with CPython send_bytes carries at least 64 MiB whole (no 32 MiB ValueError); the
# largest send_bytes with nobody reading matches a hand check on both Pipe kinds; queue_put's
# puts and large_data's mechanisms; an interpreter that fails to start says all it printed.
# The probe is a zipapp of probes/python: it holds every module of the pyprobe package and
# nothing else, imports nothing outside the standard library, has no function over 80 lines,
# and its children start under spawn and forkserver too, not only fork.
. "$(dirname "$0")/../lib/harness.sh"
P=$BUILD/probes/python
command -v python3 > /dev/null || h_skip "python3 is not installed"

"$P" --list > "$tmp/list.json" || fail "--list exited $?"
for m in pipe_duplex pipe_simplex; do
	"$P" --case send_bytes_limit --param mechanism=$m --param cap=64MiB > "$tmp/$m.jsonl" ||
		fail "send_bytes_limit $m exited $?"
done
"$P" --case latency --param mechanism=queue --param n=200 > "$tmp/lat.jsonl" || fail "latency exited $?"
# Placed as the C latency probe places its processes: both on one CPU, or on two.
for pl in same_core cross_core; do
	"$P" --case latency --param mechanism=pipe_duplex --param n=20 --param placement=$pl \
		> "$tmp/lat-$pl.jsonl"
	echo $? > "$tmp/lat-$pl.rc"
done
for m in pipe_simplex pipe_duplex; do
	"$P" --case blocking --param mechanism=$m > "$tmp/block-$m.jsonl" || fail "blocking $m exited $?"
done
# Queue.put is timed hundreds of times by default, so that its tail means something.
"$P" --case queue_put --param size=4KiB --param exit_wait=10ms > "$tmp/qp.jsonl" || fail "queue_put exited $?"
# large_data: a reused block beside a fresh one and the cost of creating one, 10 repeats;
# and at 40 MiB, above glibc's 32 MiB ceiling for reusing freed mappings, where a receiver
# that made a new object per hand-over would fault every page in again.
"$P" --case large_data --param size=256KiB --param sweep_from=0 > "$tmp/ld.jsonl" || fail "large_data exited $?"
"$P" --case large_data --param size=40MiB --param sweep_from=0 --param repeats=2 > "$tmp/ld40.jsonl" ||
	fail "large_data at 40 MiB exited $?"
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
# Whether put returned with nobody consuming (the claim), and the longest put as its own
# figure, with and without a consumer.
qm = {x["metric"]: x for x in qp}
assert qm["puts_blocked"]["value"] == 0 and qm["puts_blocked"]["facts"]["consumer"] is False, qm["puts_blocked"]
assert qm["longest_put"]["value"] == put["dist"]["max"], (qm["longest_put"], put["dist"])
cput = qm["put_latency_consumer"]
assert cput["dist"]["n"] == 300 and cput["facts"]["consumer"] is True, cput
assert qm["longest_put_consumer"]["value"] == cput["dist"]["max"], qm["longest_put_consumer"]
ld = {x["metric"]: x for x in map(json.loads, open(os.path.join(tmp, "ld.jsonl")))}
handovers = ("shared_memory_reused", "shared_memory_reused_in_place", "shared_memory_fresh",
             "shared_memory_fresh_in_place", "pipe_send_bytes", "queue_put", "temp_file",
             "control_round_trip")
for m in handovers + ("shared_memory_create",):
    assert ld[m]["status"] == "ok" and ld[m]["dist"]["n"] == 10, (m, ld.get(m))
assert "interleaved" in ld["pipe_send_bytes"]["facts"]["order"]
assert ld["shared_memory_speedup"]["facts"]["judged_on"] == "shared_memory_reused_in_place"
for m in handovers:
    f = ld[m]["facts"]
    assert isinstance(f["sender_minor_faults"], int) and isinstance(f["receiver_minor_faults"], int), (m, f)
# A receiver that copies into its own buffer, allocated before timing, faults none of its
# pages in again (a tenth of them allows for the odd page of Python's own); a fresh block is
# faulted in by the sender every time.
ld40 = {x["metric"]: x for x in map(json.loads, open(os.path.join(tmp, "ld40.jsonl")))}
pages = 40 * 2**20 // 4096
for m in ("shared_memory_reused", "shared_memory_reused_in_place", "temp_file"):
    assert ld40[m]["facts"]["receiver_minor_faults"] < pages // 10, (m, ld40[m]["facts"])
assert ld40["shared_memory_fresh"]["facts"]["sender_minor_faults"] >= pages, ld40["shared_memory_fresh"]["facts"]
lat = [json.loads(l) for l in open(os.path.join(tmp, "lat.jsonl"))][0]
assert lat["params"]["placement"] == "unpinned" and lat["facts"]["cpus"] == {"parent": None, "child": None}, lat
ncpu = len(os.sched_getaffinity(0))
for pl in ("same_core", "cross_core"):
    r = json.loads(open(os.path.join(tmp, "lat-%s.jsonl" % pl)).read())
    rc = int(open(os.path.join(tmp, "lat-%s.rc" % pl)).read())
    if pl == "cross_core" and ncpu < 2:
        assert rc == 3 and r["status"] == "unsupported" and "two CPUs" in r["reason"], r
        continue
    cpus = r["facts"]["cpus"]
    assert rc == 0 and r["status"] == "ok" and r["params"]["placement"] == pl, r
    assert (cpus["parent"] == cpus["child"]) == (pl == "same_core"), cpus
    assert {cpus["parent"], cpus["child"]} <= os.sched_getaffinity(0), cpus
d = lat["dist"]
assert lat["unit"] == "ns" and d["min"] <= d["p50"] <= d["p99"] <= d["max"], lat
# How sure each timing is (pyprobe/stats.py, as probes/lib/ci.c and modes.c): the median's
# interval over the samples, bracketing p50, from order statistics (ranks 86 and 115 of 200,
# coverage 0.9599, the binomial rule); modes null unless two or more; the clock's cost.
ci = d["p50_ci"]
assert d["n"] == 200 and ci["reached"] and d["min"] <= ci["lo"] <= d["p50"] <= ci["hi"], d
assert abs(ci["level"] - 0.95996) < 1e-4, ci
assert ci["method"] == "order statistics (binomial, distribution-free)", ci
assert d["modes"] is None or len(d["modes"]) >= 2, d
for r in [lat, put] + list(ld.values()):
    assert r["status"] != "ok" or isinstance(r["facts"]["timer_overhead_ns"], int), r
    assert r["status"] != "ok" or "dist" in r or r["facts"]["timed_intervals"] >= 1, r
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
# The package: every module of probes/python/pyprobe (and __main__.py) is in the built probe
# and nothing else is; each imports only the standard library or pyprobe itself, and no
# function is over 80 lines (the zip's own text is what is read).
python3 - "$P" probes/python <<'PY' || fail "the built probe is not the whole, standard-library-only package"
import ast, os, sys, zipfile
zpath, src = sys.argv[1], sys.argv[2]
want = {"__main__.py"}
for d, _, files in os.walk(os.path.join(src, "pyprobe")):
    want |= {os.path.relpath(os.path.join(d, f), src).replace(os.sep, "/")
             for f in files if f.endswith(".py")}
z = zipfile.ZipFile(zpath)
have = set(z.namelist())
assert want <= have, "modules missing from %s: %s" % (zpath, sorted(want - have))
assert have <= want, "not modules of the package: %s" % sorted(have - want)
stdlib = getattr(sys, "stdlib_module_names", None)  # 3.10+; else the import check below
for name in sorted(have):
    tree = ast.parse(z.read(name), name)
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            roots = [a.name.split(".")[0] for a in node.names]
        elif isinstance(node, ast.ImportFrom) and not node.level:
            roots = [node.module.split(".")[0]]
        else:
            roots = []
        for r in roots:
            assert r == "pyprobe" or stdlib is None or r in stdlib, \
                "%s:%d imports %s, not in the standard library" % (name, node.lineno, r)
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            n = node.end_lineno - node.lineno + 1
            assert n <= 80, "%s:%d: %s is %d lines" % (name, node.lineno, node.name, n)
print("test_python_probe: %d modules in the probe, standard library only%s" % (len(have),
      "" if stdlib else " (by importing them; no stdlib_module_names before 3.10)"))
PY
# Every module imports with site-packages out of reach (-I -S): nothing third-party, and no
# module the probe needs is missing from it.
python3 -I -S -c '
import importlib, pkgutil, sys
sys.path.insert(0, sys.argv[1])
import pyprobe
for m in pkgutil.walk_packages(pyprobe.__path__, "pyprobe."):
    importlib.import_module(m.name)
' "$P" || fail "a module of the probe does not import with the standard library alone"
# spawn and forkserver from a zipapp: the same archive with a __main__ that names the start
# method (the probe itself uses fork where there is one); children must find pyprobe in it.
python3 - "$P" "$tmp/sm.pyz" <<'PY' || fail "cannot build the start-method variant"
import sys, zipfile
with zipfile.ZipFile(sys.argv[1]) as zi, zipfile.ZipFile(sys.argv[2], "w") as zo:
    for n in zi.namelist():
        if n != "__main__.py":
            zo.writestr(n, zi.read(n))
    zo.writestr("__main__.py", "import sys\nfrom pyprobe.cli import main\n"
                "sys.exit(main(sys.argv[2:], start_method=sys.argv[1]))\n")
PY
for m in spawn forkserver; do
	python3 "$tmp/sm.pyz" $m --case latency --param mechanism=pipe_duplex --param n=20 \
		--param warmup=2 > "$tmp/$m.jsonl" 2> "$tmp/$m.err" || fail "$m: latency exited $?"
	python3 "$tmp/sm.pyz" $m --case latency --param mechanism=manager_queue --param n=20 \
		--param warmup=2 >> "$tmp/$m.jsonl" 2>> "$tmp/$m.err" || fail "$m: manager latency exited $?"
	python3 "$tmp/sm.pyz" $m --case large_data --param size=64KiB --param sweep_from=0 \
		--param repeats=2 >> "$tmp/$m.jsonl" 2>> "$tmp/$m.err" || fail "$m: large_data exited $?"
	[ -s "$tmp/$m.err" ] && { cat "$tmp/$m.err"; fail "$m: the probe wrote to stderr"; }
	python3 - "$tmp/$m.jsonl" $m <<'PY' || exit 1
import json, sys
recs = [json.loads(l) for l in open(sys.argv[1])]
assert len(recs) == 2 + 10, len(recs)  # two latency records, large_data's ten
for r in recs:
    assert r["status"] == "ok" and r["facts"]["start_method"] == sys.argv[2], r
PY
done
# manager_ops measures its operations interleaved (issue 27 item 8): batch b of every
# operation in a row, starting one further along each time, every one warmed up first; in a
# fixed order the first operation picked up the manager's start-up placement.
PYTHONPATH=$(pwd)/probes/python python3 - <<'PY' || fail "manager_ops does not rotate its operations"
from pyprobe.cases import manager_ops as m
calls = []
ops = [("op%d" % j, (lambda j: lambda i: calls.append(j))(j), "") for j in range(3)]
out = m.time_ops_rotated(ops, 40, 4)
warm = 3 * m.WARMUP_OPS
assert calls[:warm] == sorted(calls[:warm]) and len(set(calls[:warm])) == 3, "warm-up first"
timed = calls[warm:]
assert len(timed) == 3 * 40, len(timed)
firsts = [timed[b * 30] for b in range(4)]
assert firsts == [0, 1, 2, 0], firsts
assert set(out) == {"op0", "op1", "op2"} and all(d["n"] == 4 for _, d in out.values()), out
PY
echo "test_python_probe: ok"
