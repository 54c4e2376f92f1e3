#!/bin/sh
# test_export_csv.sh - `export --format csv`: one row per record (every status), RFC 4180
# (CRLF, quoted fields with doubled quotes); Python's csv module reads back the same values.
. "$(dirname "$0")/../lib/harness.sh"
python3 tests/e2e/export_runs.py "$tmp" || fail "no fixture runs"
"$BUILD/ipcprobe" export --format csv "$tmp/base" > "$tmp/base.csv" || fail "export --format csv failed"
python3 - "$tmp" <<'PY' || exit 1
import csv, json, sys
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
PY
echo "test_export_csv: ok"
