#!/bin/sh
# test_export_csv.sh - `export --format csv`: one row per record (every status), RFC 4180
# (CRLF, quoted fields with doubled quotes); Python's csv module reads back the same values.
# Every row names its run, host and kernel (run.json), so that CSVs of several machines can be
# concatenated, and says whether its case run was disturbed: on a run with disturbed
# repetitions (DIR/busy; issue 25) every row is still there, flagged, and nothing is said on
# stderr, as nothing is left out; the undisturbed rows give the report's median.
. "$(dirname "$0")/../lib/harness.sh"
python3 tests/e2e/export_runs.py "$tmp" || fail "no fixture runs"
for r in base busy; do
	"$BUILD/ipcprobe" export --format csv "$tmp/$r" > "$tmp/$r.csv" 2> "$tmp/$r.err" ||
		fail "export --format csv of $r failed"
	[ ! -s "$tmp/$r.err" ] || { cat "$tmp/$r.err"; fail "export --format csv of $r said something on stderr"; }
done
python3 - "$tmp" <<'PY' || exit 1
import csv, json, statistics, sys
tmp = sys.argv[1]
raw = open(tmp + "/base.csv", "rb").read()
assert raw.count(b"\r\n") == raw.count(b"\n") - 3, "lines must end in CRLF"  # 3 LFs in reasons
rows = list(csv.DictReader(open(tmp + "/base.csv", newline="")))
recs = [json.loads(l) for l in open(tmp + "/base/records.jsonl")]
assert len(rows) == len(recs), (len(rows), len(recs))
def text(v):
    return "" if v is None else v if isinstance(v, str) else json.dumps(v, separators=(",", ":"))
for row, r in zip(rows, recs):
    for k in ("probe", "case", "transport", "interpreter", "metric", "unit", "direction",
              "status", "reason"):
        assert row[k] == text(r.get(k)), (k, row[k], r.get(k))
    assert row["params"] == ";".join("%s=%s" % (k, text(v)) for k, v in r["params"].items()), row
    assert (row["value"] == "" and r["value"] is None) or float(row["value"]) == r["value"], row
    assert int(row["rep"]) == r["rep"], row
    d = r.get("dist") or {}
    for k in ("n", "min", "p50", "p90", "p99", "p999", "max", "mean", "stddev"):
        assert (row[k] == "" and d.get(k) is None) or float(row[k]) == d[k], (k, row[k], d.get(k))
failed = [row for row in rows if row["status"] == "failed"]
assert len(failed) == 3 and failed[0]["reason"] == 'exit 1: "msgget", EINVAL,\nthen a second line', failed
assert rows[0]["params"] == "size=64;placement=cross_core;warmup=10000000;min_time=20000000", rows[0]
assert list(rows[0])[:3] == ["run_id", "host", "kernel"], list(rows[0])
meta = json.load(open(tmp + "/base/run.json"))
assert all(row["run_id"] == meta["ipc_token"] and row["host"] == "fixture-base" and
           row["kernel"] == meta["platform"]["kernel"] for row in rows), rows[0]
assert all(row["disturbed"] == "" for row in rows), "base's run.json judged no case run"

# busy: one row per record, disturbed ones too, each flagged as its case run was judged.
rows = list(csv.DictReader(open(tmp + "/busy.csv", newline="")))
recs = [json.loads(l) for l in open(tmp + "/busy/records.jsonl")]
cases = json.load(open(tmp + "/busy/run.json"))["cases"]
assert len(rows) == len(recs) == 25, (len(rows), len(recs))
for row, r in zip(rows, recs):
    want = cases[r["case_run"]]["machine"]["disturbed"]
    assert row["disturbed"] == ("true" if want else "false"), (row, r)
    assert row["host"] == "fixture-busy" and row["kernel"] == "6.1.0-fixture-busy", row
assert sum(row["disturbed"] == "true" for row in rows) == 2 + 1 + 5 + 2, rows
# The README's selection: the undisturbed rows of a figure give the report's 43.2 us.
pipe = [float(row["value"]) for row in rows if row["probe"] == "latency" and row["disturbed"] != "true"]
assert statistics.median(pipe) == 43200, pipe
# Two machines' CSVs concatenated stay apart by run_id, host and kernel.
both = list(csv.DictReader(open(tmp + "/base.csv", newline=""))) + rows
assert len({(row["run_id"], row["host"], row["kernel"]) for row in both}) == 2
PY
echo "test_export_csv: ok"
