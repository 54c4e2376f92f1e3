#!/bin/sh
# test_cli.sh - the conventional CLI (issue 17 item 6): --version, every subcommand's --help on
# stdout with exit 0 (bad usage: stderr, exit 2), run --quiet, --filter, --repetitions,
# --param, --export-json and run.json's config.command_line; the progress line on a 60-column pty;
# compare's text table with long keys; make install (man page, bash completion).  ~2 seconds.
. "$(dirname "$0")/../lib/harness.sh"
IPC="$BUILD/ipcprobe"

# --version and version: the release and the git commit, exit 0.
for v in --version version; do
	out=$("$IPC" $v) || fail "$v exits $?"
	echo "$out" | grep -Eq '^ipcprobe [0-9]+\.[0-9]+\.[0-9]+ \(git ([0-9a-f]{7,}(-dirty)?|unknown)\)$' ||
		fail "$v says '$out'"
done

# Every subcommand's --help and -h: its full usage on stdout, nothing on stderr, exit 0.
for c in run check list report history compare export; do
	for h in --help -h; do
		"$IPC" $c $h >"$tmp/out" 2>"$tmp/err" || fail "$c $h exits $?"
		[ -s "$tmp/err" ] && fail "$c $h wrote on stderr: $(cat "$tmp/err")"
		grep -q "^usage: ipcprobe $c" "$tmp/out" || fail "$c $h: no usage on stdout"
		grep -q -- '-h, --help' "$tmp/out" || fail "$c $h: not the full usage"
	done
done
"$IPC" run --help | grep -q -- '--filter REGEX' || fail "run --help does not name --filter"
"$IPC" help compare | grep -q -- '--allow-missing' || fail "help compare is not compare's usage"
# Bad usage: the usage on stderr, exit 2, nothing on stdout.
"$IPC" run >"$tmp/out" 2>"$tmp/err"; rc=$?
[ $rc -eq 2 ] || fail "run without CONFIG exits $rc, not 2"
[ -s "$tmp/out" ] && fail "bad usage wrote on stdout"
grep -q '^usage: ipcprobe run' "$tmp/err" || fail "bad usage: no usage on stderr"
"$IPC" run configs/quick.yaml --repetitions 0 2>/dev/null; rc=$?
[ $rc -eq 2 ] || fail "--repetitions 0 exits $rc, not 2"

cat >"$tmp/cli.yaml" <<'YAML'
name: cli
repetitions: 3
timeout: 20s
probes:
  - probe: capacity
    cases: [pipe_buf]
  - probe: latency
    cases: [roundtrip]
    transports: [pipe]
    params:
      size: [64, 4KiB]
      warmup: 1ms
      min_time: 2ms
YAML

# --export-json is written whole, never through what sits at its path (issue 28 item 11): a
# link is refused and its target untouched, a FIFO without a reader is refused at once (it
# hung the finished run), an existing file is replaced, not truncated in place.
echo "precious" > "$tmp/victim"
ln -s "$tmp/victim" "$tmp/elink.json"
mkfifo "$tmp/efifo.json"
for t in elink efifo; do
	timeout 60 "$IPC" run "$tmp/cli.yaml" -o "$tmp/ej-$t" --filter 'roundtrip pipe size=64 ' \
		--repetitions 1 --export-json "$tmp/$t.json" >"$tmp/out" 2>&1
	rc=$?
	[ $rc = 1 ] || fail "--export-json onto a $t exited $rc, not 1: $(tail -3 "$tmp/out")"
	grep -q "export-json $tmp/$t.json: is a .*, not a regular file" "$tmp/out" ||
		fail "--export-json onto a $t: no clear refusal: $(tail -3 "$tmp/out")"
done
[ "$(cat "$tmp/victim")" = precious ] || fail "--export-json wrote through a link"
echo old > "$tmp/eold.json"
exec 9< "$tmp/eold.json"	# the old file, held open: replaced, it keeps its old text
"$IPC" run "$tmp/cli.yaml" -o "$tmp/ej-old" --filter 'roundtrip pipe size=64 ' --repetitions 1 \
	--export-json "$tmp/eold.json" >"$tmp/out" 2>&1 || fail "--export-json over a file exits $?"
[ "$(cat <&9)" = old ] || fail "--export-json truncated the existing file in place"
exec 9<&-
python3 -c "import json,sys; json.load(open(sys.argv[1]))" "$tmp/eold.json" ||
	fail "--export-json over a file did not leave JSON there"

# --filter, --repetitions and --export-json: only the matching case, twice, and its table.
"$IPC" run "$tmp/cli.yaml" -o "$tmp/r1" --filter 'roundtrip pipe size=64 ' --repetitions 2 \
	--export-json "$tmp/e.json" >"$tmp/out" 2>&1 || fail "filtered run exits $?: $(cat "$tmp/out")"
python3 - "$tmp" <<'PY' || fail "filtered run: wrong cases, table or command_line"
import json, re, sys
tmp = sys.argv[1]
run = json.load(open(tmp + "/r1/run.json"))
labels = [c["label"] for c in run["cases"]]
want = "latency/roundtrip pipe size=64 warmup=1ms min_time=2ms"
assert labels == [want, want], labels
assert run["plan"] == {"cases": 1, "repetitions": 2}, run["plan"]
cl = run["config"]["command_line"]
assert cl["filter"] == "roundtrip pipe size=64 " and cl["repetitions"] == 2, cl
e = json.load(open(tmp + "/e.json"))
assert e["status"] == "complete" and e["run_dir"] == tmp + "/r1", e
rows = e["cases"]
assert [sorted(r) for r in rows] == [["disturbed", "label", "reason", "rep", "status"]] * 2, rows
assert [(r["label"], r["rep"], r["status"]) for r in rows] == [(want, 0, "ok"), (want, 1, "ok")], rows
assert [r["disturbed"] for r in rows] == [c["disturbed"] for c in run["cases"]], rows
# The figures: numbers in their unit (not "616 ns"), as summary.json has them.
fig = json.load(open(tmp + "/r1/summary.json"))["figures"]
assert [f["name"] for f in e["figures"]] == ["latency/roundtrip/pipe/rtt/size:64/placement:cross_core"], e["figures"]
f, g = e["figures"][0], fig[0]
assert f["unit"] == "ns" and isinstance(f["median"], (int, float)), f
for k in ("median", "ci", "min", "max", "n", "disturbed_left_out", "all_disturbed"):
    assert f[k] == g[k], (k, f, g)
# The terminal: one line for the figure (not one per repetition), its median in its unit.
out = open(tmp + "/out").read().splitlines()
lines = [l for l in out if l.startswith("latency/roundtrip/pipe/rtt/size:64/placement:cross_core ")]
assert len(lines) == 1 and re.search(r" [0-9.]+ (ns|us|ms|s) ", lines[0]), out
assert re.search(r"  2  ", lines[0]) or g["n"] != 2, lines
PY

# The run directory's gbench.json is what `export --format gbench` writes: one entry per
# repetition the figure is made of, numbered 0.. (not Google Benchmark's raw output, index 0
# twice).  Which repetitions those are depends on the load: the undisturbed ones when there
# are any (run.json says which), else both.
"$IPC" export --format gbench "$tmp/r1" >"$tmp/gb.json" 2>/dev/null || fail "export gbench exits $?"
python3 - "$tmp" <<'PY' || fail "the run directory's gbench.json is not what export writes"
import json, sys
run = json.load(open(sys.argv[1] + "/r1/gbench.json"))
assert run == json.load(open(sys.argv[1] + "/gb.json"))
calm = sum(not c["disturbed"] for c in json.load(open(sys.argv[1] + "/r1/run.json"))["cases"])
want = list(range(calm or 2))
assert sorted(b["repetition_index"] for b in run["benchmarks"]) == want, (want, run["benchmarks"])
PY

# A filter matching nothing: exit 2, the labels there are, nothing written.
"$IPC" run "$tmp/cli.yaml" -o "$tmp/r2" --filter 'size=65' >"$tmp/out" 2>"$tmp/err"; rc=$?
[ $rc -eq 2 ] || fail "a filter matching nothing exits $rc, not 2"
grep -q 'matches none of the 4 cases' "$tmp/err" || fail "no-match message: $(cat "$tmp/err")"
grep -q 'capacity/pipe_buf fifo' "$tmp/err" || fail "no-match message does not list the labels"
[ -e "$tmp/r2" ] && fail "a filter matching nothing wrote $tmp/r2"
"$IPC" run "$tmp/cli.yaml" --filter '(' 2>/dev/null; rc=$?
[ $rc -eq 2 ] || fail "a bad regular expression exits $rc, not 2"

# --param: the values in place of the config's wherever a selected case has the parameter,
# checked as the YAML's are, named in the labels; cases it makes identical run once.
cat >"$tmp/param.yaml" <<'YAML'
name: param
repetitions: 1
order: plan
probes:
  - probe: capacity
    cases: [pipe_buf]
  - probe: latency
    cases: [roundtrip]
    transports: [pipe]
    params: {size: 64, warmup: 1ms, min_time: 2ms}
  - probe: latency
    cases: [roundtrip]
    transports: [pipe]
    params: {size: 4KiB, warmup: 1ms, min_time: 2ms}
YAML
"$IPC" run "$tmp/param.yaml" -o "$tmp/p1" --param size=128,1KiB >"$tmp/out" 2>&1 ||
	fail "--param run exits $?: $(cat "$tmp/out")"
grep -q 'made 2 cases the same as another; each runs once' "$tmp/out" ||
	fail "--param: no word of the merged cases: $(cat "$tmp/out")"
python3 - "$tmp" <<'PY' || fail "--param: wrong cases or command_line"
import json, sys
run = json.load(open(sys.argv[1] + "/p1/run.json"))
labels = [c["label"] for c in run["cases"]]
want = ["capacity/pipe_buf pipe", "capacity/pipe_buf fifo",
        "latency/roundtrip pipe size=128 warmup=1ms min_time=2ms",
        "latency/roundtrip pipe size=1KiB warmup=1ms min_time=2ms"]
assert labels == want, labels
assert run["config"]["command_line"]["params"] == ["size=128,1KiB"], run["config"]
recs = [json.loads(l) for l in open(sys.argv[1] + "/p1/records.jsonl")]
sizes = sorted(r["params"]["size"] for r in recs if r["probe"] == "latency")
assert sizes == [128, 1024], sizes
PY
grep -q 'What ran: config param with --param size=128,1KiB, repetitions 1' "$tmp/p1/report.md" ||
	fail "--param: the report's What ran line does not say it"
# Bad overrides: exit 2, the option named, nothing written.
for bad in 'size=abc|--param size=abc: probes\[1\].params.size: expected a size' \
	'sise=64|has the parameter sise; did you mean size?' \
	'size=64,64B|"64B" listed twice' 'size|expected KEY=VALUE' 'size=1,,2|an empty value'; do
	"$IPC" run "$tmp/param.yaml" -o "$tmp/p2" --param "${bad%%|*}" >"$tmp/out" 2>"$tmp/err"
	rc=$?
	[ $rc -eq 2 ] || fail "--param ${bad%%|*} exits $rc, not 2"
	grep -q -- "${bad#*|}" "$tmp/err" || fail "--param ${bad%%|*} says: $(cat "$tmp/err")"
	[ -e "$tmp/p2" ] && fail "--param ${bad%%|*} wrote $tmp/p2"
done

# Paths and arguments are bytes: a config path, a run directory and a filter that are not
# UTF-8 still give a complete run, written with U+FFFD in run.json (jansson refused them).
bytes_cfg=$(printf '%s/cli\377.yaml' "$tmp") bytes_dir=$(printf '%s/r\376' "$tmp")
cp "$tmp/cli.yaml" "$bytes_cfg"
"$IPC" run "$bytes_cfg" -q -o "$bytes_dir" --repetitions 1 --filter "$(printf 'pipe_buf\377|pipe_buf')" \
	>"$tmp/out" 2>&1 || fail "a run with non-UTF-8 paths exits $?: $(cat "$tmp/out")"
python3 - "$tmp" <<'PY' || fail "non-UTF-8 paths: run.json is not complete and readable"
import glob, json, sys
# The byte 0xfe of the directory's name, as Python decodes file names.
run = json.load(open([f for f in glob.glob(sys.argv[1] + "/r*/run.json") if "\udcfe" in f][0]))
assert run["status"] == "complete", run["status"]
assert run["config"]["path"].endswith("/cli\ufffd.yaml"), run["config"]["path"]
assert run["config"]["command_line"]["filter"] == "pipe_buf\ufffd|pipe_buf", run["config"]
PY

# --quiet: no plan line, no progress, no table; only the final paths.
"$IPC" run "$tmp/cli.yaml" -o "$tmp/r3" -q --repetitions 1 >"$tmp/out" 2>"$tmp/err" ||
	fail "quiet run exits $?"
[ -s "$tmp/err" ] && fail "quiet run wrote on stderr: $(cat "$tmp/err")"
printf 'results: %s/records.jsonl\nrun:     %s/run.json\nreport:  %s/report.html\n' \
	"$tmp/r3" "$tmp/r3" "$tmp/r3" | cmp -s - "$tmp/out" || fail "quiet run printed: $(cat "$tmp/out")"

# On a 60-column terminal with NO_COLOR: the progress line is shown, never wraps, no colour.
python3 tests/e2e/test_cli_tty.py "$BUILD" "$tmp/cli.yaml" "$tmp/r4" >/dev/null ||
	fail "progress line on a 60-column pseudo-terminal (test_cli_tty.py)"
# compare's text table prints every key whole: two figures whose keys share a 70-character
# prefix and differ only in a late parameter are two rows that can be told apart, and the
# columns after the key start at the same offset on every row.
python3 - "$tmp" <<'PY'
import json, os, sys
tmp = sys.argv[1]
def run(name, scale):
    os.makedirs(os.path.join(tmp, name))
    with open(os.path.join(tmp, name, "records.jsonl"), "w") as f:
        for wake in ("futex", "spin"):
            for rep in range(5):
                f.write(json.dumps({"schema": 1, "probe": "shm", "case": "handover",
                    "transport": None, "params": {"placement_policy_for_the_long_name": "cross_core",
                    "wake": wake, "round_trips": 1000}, "metric": "rtt", "unit": "ns",
                    "direction": "lower", "status": "ok", "reason": None,
                    "value": (1000.0 + rep) * scale * (2 if wake == "spin" else 1), "rep": rep}) + "\n")
    json.dump({"schema": 1, "name": name, "status": "complete",
               "started": "2026-11-01T00:00:00Z"}, open(os.path.join(tmp, name, "run.json"), "w"))
run("cbase", 1)
run("cnew", 1)
PY
"$IPC" compare "$tmp/cbase" "$tmp/cnew" >"$tmp/cmp.txt" 2>"$tmp/err" || fail "compare exits $?: $(cat "$tmp/err")"
python3 - "$tmp/cmp.txt" <<'PY' || fail "compare's text table: $(cat "$tmp/cmp.txt")"
import sys
text = open(sys.argv[1]).read().splitlines()
head, lines = text[0], [l for l in text if "round_trips" in l]
assert len(lines) == 2, lines
end = head.index("base") + 4            # the base column, right-aligned in 14, ends here
keys = sorted(l[27:end - 15].rstrip() for l in lines)
assert len(keys[0]) > 70 and keys[0][:70] == keys[1][:70], keys
assert keys[0].endswith('"wake":"futex"}') and keys[1].endswith('"wake":"spin"}'), keys
assert all(l[end - 15] == " " and l[end - 14:end].strip() and l[end] == " " for l in lines), text
PY
# make install PREFIX=...: the command (a symlink into the kept tree, finding its probes), the
# man page (man -l or groff renders it, every subcommand named) and the bash completion.
make -s --no-print-directory install BUILD="$BUILD" PREFIX="$tmp/inst" >"$tmp/out" 2>&1 ||
	fail "make install: $(cat "$tmp/out")"
"$tmp/inst/bin/ipcprobe" --version >/dev/null || fail "installed ipcprobe --version fails"
"$tmp/inst/bin/ipcprobe" list | grep -q '^latency — ' || fail "installed ipcprobe finds no probes"
man1="$tmp/inst/share/man/man1/ipcprobe.1"
if command -v man >/dev/null 2>&1; then
	MANWIDTH=100 man -l "$man1" 2>"$tmp/err" >"$tmp/man.txt" || fail "man -l: $(cat "$tmp/err")"
elif command -v groff >/dev/null 2>&1; then
	groff -man -Tutf8 "$man1" >"$tmp/man.txt" 2>"$tmp/err" || fail "groff: $(cat "$tmp/err")"
else
	cp "$man1" "$tmp/man.txt"	# no renderer: at least every word is in the source
fi
for w in 'EXIT STATUS' run check list report history compare export version \
	--filter --repetitions --param --quiet --export-json --threshold --allow-missing NO_COLOR; do
	grep -q -- "$w" "$tmp/man.txt" || fail "the man page does not say $w"
done
comp="$tmp/inst/share/bash-completion/completions/ipcprobe"
bash -c '. "$1" && complete -p ipcprobe' _ "$comp" 2>&1 | grep -q '^complete -F _ipcprobe ipcprobe$' ||
	fail "the bash completion does not register for ipcprobe"
got=$(bash -c '. "$1"; COMP_WORDS=("$2" run --rep); COMP_CWORD=2; _ipcprobe; echo "${COMPREPLY[*]}"' \
	_ "$comp" "$tmp/inst/bin/ipcprobe")
[ "$got" = "--repetitions" ] || fail "completing 'run --rep' gives '$got'"
got=$(bash -c '. "$1"; COMP_WORDS=("$2" list la); COMP_CWORD=2; _ipcprobe; echo "${COMPREPLY[*]}"' \
	_ "$comp" "$tmp/inst/bin/ipcprobe")
[ "$got" = "latency" ] || fail "completing 'list la' gives '$got'"
echo "test_cli: ok"
