#!/bin/sh
# test_portability.sh - a build with every platform feature test turned off (as if on a
# system without F_SETPIPE_SZ, POSIX mq, eventfd, futex, memfd, PDEATHSIG, affinity, ...)
# compiles warning-free, and the quick config runs with every case either measured or
# `unsupported` with a reason: never a crash or a failure (and so do the capacity probe's
# pipe-sizing cases, which the quick config does not run).
. "$(dirname "$0")/../lib/harness.sh"
PB=build-port
IPCPROBE_FEATURES_OFF=all make --no-print-directory BUILD=$PB all build-port/tests/probes/selftest \
	> "$PB.log" 2>&1 || { tail -20 "$PB.log"; fail "the build without features failed"; }
grep -q "warning:" "$PB.log" && { grep "warning:" "$PB.log"; fail "the build without features has warnings"; }
rm -f "$PB.log"
grep -q "^#define HAVE_" $PB/gen/have.h && fail "a feature is still on in $PB/gen/have.h"
"$PB/ipcprobe" run configs/quick.yaml -o "$tmp/run" > "$tmp/out" 2>&1 ||
	{ tail -30 "$tmp/out"; fail "the quick config did not pass without features"; }
python3 - "$tmp/run" <<'PY' || exit 1
import json, os, sys
recs = [json.loads(l) for l in open(os.path.join(sys.argv[1], "records.jsonl"))]
unsup = [r for r in recs if r["status"] == "unsupported"]
assert all(r["status"] in ("ok", "unsupported") for r in recs), [r for r in recs if r["status"] not in ("ok", "unsupported")]
assert all(r["reason"] for r in unsup), unsup
assert any(r["case"] == "fill_raised" and r["transport"] == "pipe" for r in unsup), "F_SETPIPE_SZ off"
print("test_portability: %d records without features: %d ok, %d unsupported with reasons"
      % (len(recs), len(recs) - len(unsup), len(unsup)))
PY
[ $? -eq 0 ] || exit 1
# The pipe-sizing cases, not in the quick config: unsupported, saying F_SETPIPE_SZ is missing.
for c in "setpipe_rounding --transport pipe" pipe_user_pages; do
	"$PB/probes/capacity" --case $c > "$tmp/c.jsonl" 2> /dev/null
	rc=$?
	[ $rc -eq 3 ] || fail "capacity $c without F_SETPIPE_SZ exited $rc, not 3 (unsupported)"
	grep -q '"reason":"F_[GS]ETPIPE_SZ: not available on this platform' "$tmp/c.jsonl" ||
		fail "capacity $c without F_SETPIPE_SZ: $(cat "$tmp/c.jsonl")"
done
