#!/bin/sh
# test_load.sh - a run of hundreds of generated cases, one of which prints megabytes of records,
# completes with every record kept and the runner's memory bounded: it holds one stdout line at
# a time, so its peak RSS over the cases (run.json "runner_peak_rss_kib") must not grow with
# the output (issue 8, load).
. "$(dirname "$0")/../lib/harness.sh"
export IPCPROBE_PROBE_DIR=$(pwd)/$BUILD/tests/probes
# 20 values x 20 sizes: 400 cases (a list holds at most 64 values).
cases=400
{
	echo "name: load"
	echo "probes:"
	echo "  - probe: selftest"
	echo "    cases: [ok]"
	echo "    params:"
	echo "      value: [$(seq -s ', ' 1 20)]"
	echo "      size: [$(seq -s ', ' 1 20)]"
	echo "  - probe: selftest"
	echo "    cases: [flood]"
	echo "    params: {records: 20000, size: 1KiB}"
} > "$tmp/load.yaml"
"$BUILD/ipcprobe" run "$tmp/load.yaml" -o "$tmp/run" > "$tmp/out" 2>&1 ||
	{ tail -20 "$tmp/out"; fail "the load run failed"; }
python3 - "$tmp/run" "$cases" <<'PY' || fail "the load run lost something or used too much memory"
import json, os, sys
d, cases = sys.argv[1], int(sys.argv[2])
meta = json.load(open(d + "/run.json"))
assert meta["status"] == "complete" and meta["summary"]["ok"] == cases + 1, meta["summary"]
n = sum(1 for _ in open(d + "/records.jsonl"))
assert n == cases + 20000, n
size = os.path.getsize(d + "/records.jsonl")
rss = meta["runner_peak_rss_kib"]
# Bounded: a few MiB for the runner itself, not a share of the 25 MB it passed through.  Under
# AddressSanitizer, whose shadow memory and quarantine of freed blocks make RSS meaningless,
# the figure is shown, not judged.
if not os.environ.get("ASAN_OPTIONS"):
    assert 0 < rss < 32 * 1024 and rss * 1024 < size / 2, (rss, size)
print("test_load: %d case runs, %d records, %.1f MB of records; runner peak RSS %d KiB" %
      (cases + 1, n, size / 1e6, rss))
PY
echo "test_load: ok"
