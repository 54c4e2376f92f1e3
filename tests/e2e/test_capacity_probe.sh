#!/bin/sh
# test_capacity_probe.sh - the capacity probe's figures are what a writer of that size gets
# (issue 27 item 10):
#  - the capacity is what chunk-sized writes got in: 100-byte writes into a pipe fill 40 to a
#    page and leave the rest of each page empty, so the figure is a multiple of 100, equal to
#    what this test's own 100-byte writer gets into a fresh pipe; the single bytes that still
#    fit after that (in the last page) are a fact of their own (topped_up_bytes = total_bytes
#    - value).
#  - datagram capacity is per message size: each size is its own record (and messages
#    record), and the report has a column per message size for datagram transports, a cell
#    saying the bytes and the messages, and the top-up beside a stream's figure;
#  - setpipe_rounding: every grant is at least the request and a whole number of pages, the
#    one this test gets for the same request (up to pipe-max-size), and past pipe-max-size
#    the unprivileged child is refused with EPERM; privileged it runs only with
#    CAP_SYS_RESOURCE (else unsupported, saying so);
#  - pipe_user_pages, as a uid no other process uses (so the pipes counted are the probe's
#    alone): new pipes come smaller exactly when the user's pages would pass
#    pipe-user-pages-soft, growing a pipe is refused from the same count, the older pipes
#    keep their size, and nothing is held afterwards: the child's descriptors are as before,
#    no process of that uid is left, and a second run sees the same; under a descriptor
#    limit too low to reach the soft limit it is unsupported, saying so.
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

# F_SETPIPE_SZ's grants, and a user's pipes past the soft limit.
for t in pipe fifo; do
	"$P" --case setpipe_rounding --transport $t > "$tmp/round-$t.jsonl" ||
		fail "setpipe_rounding $t exited $?"
done
"$P" --case setpipe_rounding --transport pipe --param privilege=privileged \
	> "$tmp/round-priv.jsonl" 2> /dev/null
echo $? > "$tmp/round-priv.rc"
# a uid no process uses: 1e9 + a random number below 2^30, none of this scope's using it;
# only root can become it (another user's child stays that user, whose other pipes count)
uid=0
if [ "$(id -u)" = 0 ]; then
	uid=$(( 1000000000 + $(od -An -N4 -tu4 /dev/urandom | tr -d ' ') % 1073741824 ))
	ps -e -o uid= | grep -qx " *$uid" && fail "uid $uid is in use"
	for n in 1 2; do
		"$P" --case pipe_user_pages --param uid=$uid > "$tmp/pages-$n.jsonl" 2> /dev/null
		rc=$?
		[ $rc -eq 0 ] || [ $rc -eq 3 ] || fail "pipe_user_pages (run $n) exited $rc"
	done
	# what it opens is bounded by RLIMIT_NOFILE: under 200 descriptors, never the limit
	(ulimit -n 200 && exec "$P" --case pipe_user_pages --param uid=$uid) \
		> "$tmp/pages-nofile.jsonl" 2> /dev/null
	echo $? > "$tmp/pages-nofile.rc"
	ps -e -o uid= | grep -qx " *$uid" && fail "a process of uid $uid outlived pipe_user_pages"
	if [ $rc -eq 3 ]; then	# the soft limit is 0, or more than RLIMIT_NOFILE lets it reach
		h_skip_part "pipe_user_pages: $(sed -n 's/.*"reason":"\([^"]*\)".*/\1/p' "$tmp/pages-2.jsonl")"
		uid=0
	fi
else
	h_skip_part "pipe_user_pages as a uid of its own: needs root"
fi
python3 - "$tmp" "$uid" <<'PY' || exit 1
import fcntl, json, os, sys
tmp, uid = sys.argv[1], int(sys.argv[2])
def recs(name):
    return [json.loads(l) for l in open(os.path.join(tmp, name))]
page = os.sysconf("SC_PAGE_SIZE")
maxsz = int(open("/proc/sys/fs/pipe-max-size").read())
def mine(want):     # what this test's own F_SETPIPE_SZ grants for want on a fresh pipe
    r, w = os.pipe()
    try:
        return fcntl.fcntl(w, fcntl.F_SETPIPE_SZ, want)
    finally:
        os.close(r); os.close(w)
for t in ("pipe", "fifo"):
    [rec] = recs("round-%s.jsonl" % t)
    f = rec["facts"]
    assert rec["status"] == "ok" and f["process"] == "unprivileged", rec
    assert os.geteuid() != 0 or f["uid"] == 65534, rec
    assert f["page_size"] == page and f["pipe_max_size"] == maxsz, f
    asked = [q["requested"] for q in f["requests"]]
    assert asked == sorted(set(asked)) and {1, maxsz, maxsz + 1} <= set(asked), asked
    for q in f["requests"]:
        if q["requested"] > maxsz:
            assert q["refused"]["errno"] == "EPERM", q      # unprivileged past the maximum
            continue
        assert q["granted"] >= q["requested"] and q["granted"] % page == 0, q
        assert q["pages"] * page == q["granted"] == mine(q["requested"]), q
    assert rec["value"] == f["requests"][0]["granted"] == mine(1), rec
status = {l.split(":")[0]: l.split()[1] for l in open("/proc/self/status") if l.startswith("Cap")}
has_cap = int(status["CapEff"], 16) >> 24 & 1 and \
    open("/proc/self/uid_map").read().split() == ["0", "0", "4294967295"]
[priv] = recs("round-priv.jsonl")
rc = int(open(os.path.join(tmp, "round-priv.rc")).read())
if has_cap:
    assert rc == 0 and priv["facts"]["process"] == "privileged", priv
    past = [q for q in priv["facts"]["requests"] if q["requested"] > maxsz]
    assert past and all(q["granted"] >= q["requested"] for q in past), priv
else:
    assert rc == 3 and priv["status"] == "unsupported", priv
    assert "CAP_SYS_RESOURCE not in the effective set" in priv["reason"], priv
def pages():
    if not uid:
        return "not run"
    soft = int(open("/proc/sys/fs/pipe-user-pages-soft").read())
    [a], [b] = recs("pages-1.jsonl"), recs("pages-2.jsonl")
    f = a["facts"]
    assert a["status"] == "ok" and f["uid"] == uid, a
    dp = f["default_size"] // page
    r, w = os.pipe()
    assert f["default_size"] == fcntl.fcntl(w, fcntl.F_GETPIPE_SZ), f
    os.close(r); os.close(w)
    # The uid is the probe's alone: the new pipe came smaller when its pages with the new one's
    # passed the soft limit, and not before.
    assert f["pipe_user_pages_soft"] == soft and a["value"] * dp == f["pages_held"], a
    assert f["pages_held"] <= soft < f["pages_held"] + dp, a
    assert f["pages_of_others"] == {"at_least": 0, "at_most": soft - f["pages_held"]}, f
    assert a["os_reported"]["value"] == soft // dp, a
    assert 0 < f["reduced_size"] < f["default_size"] and f["reduced_size"] % page == 0, f
    assert len(f["later_sizes"]) == 8 and all(s < f["default_size"] for s in f["later_sizes"]), f
    assert f["grow_refused"]["pipes_held"] == a["value"], f
    assert f["grow_refused"]["error"]["errno"] == "EPERM", f
    assert f["reduced_raised_to_default"]["refused"]["errno"] == "EPERM", f
    assert f["reduced_accepts"] == f["reduced_size"], f
    assert f["first_pipe_size_after"] == f["default_size"], f
    assert f["new_pipe_after_closing"] == f["default_size"], f
    assert f["fds_open"]["before"] == f["fds_open"]["after"], f
    # nothing held over: a second run sees the same
    assert b["value"] == a["value"] and b["facts"]["pages_of_others"] == f["pages_of_others"], b
    # under 200 descriptors (fewer than 100 pipes) the soft limit is out of reach, and said so
    [c] = recs("pages-nofile.jsonl")
    rc = int(open(os.path.join(tmp, "pages-nofile.rc")).read())
    if a["value"] + 1 > 100:
        assert rc == 3 and c["status"] == "unsupported", c
        assert c["reason"].startswith("pipe-user-pages-soft (%d pages) not reached within the "
                                      "pipes this process may open: " % soft), c
        assert "(RLIMIT_NOFILE 200; " in c["reason"], c
    else:
        assert rc == 0 and c["value"] == a["value"], c
    return "as uid %d, %d pipes of %d pages before a new one got %d bytes (soft limit %d " \
           "pages)" % (uid, a["value"], dp, f["reduced_size"], soft)
print("test_capacity_probe: F_SETPIPE_SZ grants %s; pipe_user_pages %s" % (
      [(q["requested"], q.get("granted", q.get("refused", {}).get("errno")))
       for q in recs("round-pipe.jsonl")[0]["facts"]["requests"]], pages()))
PY
[ $? -eq 0 ] || exit 1

# Datagram capacity per message size, through the runner, into the report.
cat > "$tmp/sizes.yaml" <<'YAML'
name: sizes
repetitions: 1
probes:
  - probe: capacity
    cases: [fill_nonblocking]
    transports: [pipe, unix-dgram]
    params:
      chunk: [1, 100, 4KiB]
  - probe: capacity
    cases: [setpipe_rounding]
    transports: [pipe]
YAML
[ "$uid" != 0 ] && cat >> "$tmp/sizes.yaml" <<YAML
  - probe: capacity
    cases: [pipe_user_pages]
    params:
      uid: $uid
YAML
"$BUILD/ipcprobe" run "$tmp/sizes.yaml" -o "$tmp/run" -q > "$tmp/run.out" 2>&1 ||
	{ cat "$tmp/run.out"; fail "the run of three sizes exited $?"; }
python3 - "$tmp/run" "$uid" <<'PY' || exit 1
import json, os, sys
run, uid = sys.argv[1], int(sys.argv[2])
recs = [json.loads(l) for l in open(os.path.join(run, "records.jsonl"))]
def one(tr, chunk, metric):
    m = [r for r in recs if r["transport"] == tr and r["params"].get("chunk") == chunk
         and r["metric"] == metric]
    assert len(m) == 1 and m[0]["status"] == "ok", (tr, chunk, metric, m)
    return m[0]
md = open(os.path.join(run, "report.md")).read()
def size(b):    # as the report words a size (probes/lib/param.c fmt_size)
    b = int(b)
    v, u = b, 0
    while u < 4 and v and v % 1024 == 0:
        v, u = v // 1024, u + 1
    if u == 0 and b >= 10240:
        d, u = float(b), 0
        while u < 4 and d >= 1024:
            d, u = d / 1024, u + 1
        return "%d B (~%.1f %s)" % (b, d, ["B", "KiB", "MiB", "GiB", "TiB"][u])
    return "%d %s" % (v, ["B", "KiB", "MiB", "GiB", "TiB"][u])
def row(header, tr):
    at = md.index(header)
    line = [l for l in md[at:].splitlines() if l.startswith("| %s |" % tr)][0]
    return [c.strip() for c in line.strip("|").split("|")]
assert "| transport | 1 B messages | 100 B messages | 4 KiB messages |" in md, md
cells = row("| transport | 1 B messages |", "unix-dgram")
for k, chunk in enumerate((1, 100, 4096)):
    cap, msgs = one("unix-dgram", chunk, "capacity"), one("unix-dgram", chunk, "messages")
    assert cap["facts"]["topped_up_bytes"] is None, cap      # no top-up on datagrams
    assert cap["value"] == chunk * msgs["value"] == cap["facts"]["total_bytes"], (cap, msgs)
    assert msgs["facts"]["message_size"] == chunk, msgs
    assert cells[k + 1] == "%s in %d messages" % (size(cap["value"]), msgs["value"]), (cells, cap)
pipe = row("| transport | 1 B writes |", "pipe")
cap = one("pipe", 100, "capacity")
assert pipe[2] == "%s; then %d B more as single bytes" % (
    size(cap["value"]), cap["facts"]["topped_up_bytes"]), (pipe, cap)
# F_SETPIPE_SZ's grants: a row per request, a column per transport and process
[rnd] = [r for r in recs if r["case"] == "setpipe_rounding"]
for q in rnd["facts"]["requests"]:
    [cell] = row("| requested | pipe, unprivileged: granted |", size(q["requested"]))[1:]
    assert cell == ("refused: EPERM (Operation not permitted)" if "refused" in q else
                    "%s (%d page%s)" % (size(q["granted"]), q["pages"],
                                        "" if q["pages"] == 1 else "s")), (cell, q)
if uid:
    [up] = [r for r in recs if r["case"] == "pipe_user_pages"]
    f = up["facts"]
    dp = f["default_size"] // f["page_size"]
    cells = row("| fact | value |", "pipes held at %s (%d pages) when a new one came smaller"
                % (size(f["default_size"]), dp))
    assert cells[1] == "%d, holding %d pages" % (up["value"], f["pages_held"]), cells
    cells = row("| fact | value |", "the first new pipe past the soft limit gets")
    assert cells[1].startswith(size(f["reduced_size"])), cells
print("test_capacity_probe: unix-dgram holds %s at 1 B, 100 B, 4 KiB messages; the report's "
      "pipe cell at 100 B: %s" % ([one("unix-dgram", c, "capacity")["value"]
                                    for c in (1, 100, 4096)], pipe[2]))
PY
[ $? -eq 0 ] || exit 1
echo "test_capacity_probe: ok"
