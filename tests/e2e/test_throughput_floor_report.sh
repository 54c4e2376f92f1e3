#!/bin/sh
# test_throughput_floor_report.sh - the report sets each throughput figure against the memcpy
# floor measured at its own chunk size (not one large copy for all), names the floor's window,
# and says why whenever a stream stands above its floor: within the repetitions' spread, or
# beyond it with the working sets compared.  Crafted records, no probe runs.
. "$(dirname "$0")/../lib/harness.sh"
mkdir "$tmp/run"
python3 - "$tmp/run" <<'PY'
import json, os, sys
def rec(case, tr, params, value, rep):
    return {"schema": 1, "probe": "throughput", "case": case, "transport": tr,
            "params": params, "metric": "bandwidth", "unit": "bytes_per_s",
            "direction": "higher", "status": "ok", "reason": None, "value": value, "rep": rep,
            "facts": {}}
G = 1e9
with open(os.path.join(sys.argv[1], "records.jsonl"), "w") as f:
    for rep in range(3):
        # floors: 10 GB/s at 4 KiB, 40 GB/s at 64 KiB (2 MiB window), 5 GB/s at 64 KiB
        # in a 64 MiB window (not the one a stream is set against: the smallest window is)
        for chunk, window, v in ((4096, 2 << 20, 10), (65536, 2 << 20, 40), (65536, 64 << 20, 5)):
            f.write(json.dumps(rec("floor_memcpy", None, {"chunk": chunk, "window": window},
                                   (v + rep * 0.1) * G, rep)) + "\n")
        # an old floor with one size and no chunk: set against nothing
        f.write(json.dumps(rec("floor_memcpy", None, {"size": 64 << 20}, 1 * G, rep)) + "\n")
        f.write(json.dumps(rec("stream", "pipe", {"chunk": 4096}, (2 + rep) * G, rep)) + "\n")
        # above its floor at every repetition: beyond the spread
        f.write(json.dumps(rec("stream", "shm-spin", {"chunk": 4096}, (12 + rep) * G, rep)) + "\n")
        # above the median floor but within the spread of repetitions
        f.write(json.dumps(rec("stream", "shm-futex", {"chunk": 65536}, (39.5 + rep) * G, rep)) + "\n")
json.dump({"schema": 1, "status": "complete", "platform": {"os": "Linux"}},
          open(os.path.join(sys.argv[1], "run.json"), "w"))
PY
"$BUILD/ipcprobe" report "$tmp/run" > "$tmp/out" 2>&1 || { cat "$tmp/out"; fail "report exited $?"; }
python3 - "$tmp/run/report.md" <<'PY' || exit 1
import re, sys
md = open(sys.argv[1]).read()
sec = md[md.index("## Throughput"):]
sec = sec[:sec.index("\n## ", 3)]
rows = {}
for line in sec.splitlines():
    cells = [c.strip() for c in line.strip("|").split("|")]
    if len(cells) == 6 and cells[0] in ("pipe", "shm-spin", "shm-futex"):
        rows[(cells[0], cells[1])] = cells
assert set(rows) == {("pipe", "4 KiB"), ("shm-spin", "4 KiB"), ("shm-futex", "64 KiB")}, rows
# the bandwidth's interval over repetitions sits beside it
assert rows[("pipe", "4 KiB")][3].startswith("[") and " – " in rows[("pipe", "4 KiB")][3], rows
# each against the floor at its own chunk size, the smallest window there
assert rows[("pipe", "4 KiB")][4] == "10.1 GB/s (2 MiB window)", rows[("pipe", "4 KiB")]
assert rows[("pipe", "4 KiB")][5] == "30%", rows[("pipe", "4 KiB")]
assert rows[("shm-futex", "64 KiB")][4] == "40.1 GB/s (2 MiB window)", rows
assert rows[("shm-spin", "4 KiB")][5].startswith("129%") and "above" in rows[("shm-spin", "4 KiB")][5], rows
assert "above" in rows[("shm-futex", "64 KiB")][5], rows
assert "above" not in rows[("pipe", "4 KiB")][5], rows
# and the report says why, each in its own words
assert re.search(r"shm-spin at 4 KiB chunks is 129% of its floor\. Every repetition of the stream beats every repetition of the floor", sec), sec
assert re.search(r"shm-futex at 64 KiB chunks is 101% of its floor\. The ranges over repetitions overlap", sec), sec
assert "MAP_SHARED|MAP_ANONYMOUS" in sec and "private buffers" not in sec, sec
PY
echo "test_throughput_floor_report: ok"
