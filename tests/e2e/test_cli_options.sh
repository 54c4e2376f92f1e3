#!/bin/sh
# test_cli_options.sh - the command line's habits (issue 25 item 7): every command parses its
# options with getopt_long from one table (runner/common/options.c), so --opt=value works
# where --opt value does, options come before or after operands, "--" ends them, clustered
# short options work; a mistake is named (the unknown option with a "did you mean", the option
# missing its value, the flag given one, the value not among an option's choices), exit 2; an
# unknown command gets a "did you mean"; the man page's synopsis and option lists and the bash
# completion's words are what the table says (doc/gen_options.c), and README's "Using it"
# names every option there is and no other; `check` says every error of a config in one pass.
# Seconds: one tiny run (capacity pipe_buf), the rest on fixture runs.
. "$(dirname "$0")/../lib/harness.sh"
IPC="$BUILD/ipcprobe"

# expect STATUS TEXT CMD...: CMD exits STATUS and its stderr holds TEXT (a fixed string).
expect() {
	want=$1 text=$2
	shift 2
	"$@" >"$tmp/out" 2>"$tmp/err"
	rc=$?
	[ $rc -eq "$want" ] || fail "$* exits $rc, not $want: $(cat "$tmp/err")"
	grep -qF -- "$text" "$tmp/err" || fail "$* says: $(cat "$tmp/err") (wanted: $text)"
}

cat >"$tmp/tiny.yaml" <<'YAML'
name: tiny
repetitions: 1
probes:
  - probe: capacity
    cases: [pipe_buf]
    transports: [pipe]
YAML

# run: --repetitions=2 (the form Google Benchmark's --benchmark_repetitions=N taught), the
# option after CONFIG, and -q clustered with -o.
"$IPC" run "$tmp/tiny.yaml" --repetitions=2 -qo "$tmp/r1" >"$tmp/out" 2>&1 ||
	fail "run CONFIG --repetitions=2 -qo DIR exits $?: $(cat "$tmp/out")"
python3 - "$tmp/r1/run.json" <<'PY' || fail "run --repetitions=2: not two repetitions"
import json, sys
run = json.load(open(sys.argv[1]))
assert run["plan"] == {"cases": 1, "repetitions": 2}, run["plan"]
assert run["config"]["command_line"]["repetitions"] == 2 and run["config"]["command_line"]["quiet"]
PY
# --filter=REGEX before CONFIG, and "--" ending the options: CONFIG may start with "-".
cp "$tmp/tiny.yaml" "$tmp/-dash.yaml"
(cd "$tmp" && "$OLDPWD/$IPC" run --filter='pipe_buf pipe' -o r2 -q -- -dash.yaml) >"$tmp/out" 2>&1 ||
	fail "run --filter=RE -o DIR -q -- -dash.yaml exits $?: $(cat "$tmp/out")"
grep -q '"filter": "pipe_buf pipe"' "$tmp/r2/run.json" || fail "--filter=RE was not taken"
"$IPC" check -- "$tmp/-dash.yaml" >/dev/null 2>&1 || fail "check -- -dash.yaml exits $?"

# compare --threshold=20% --format=json, and export --format=csv, on fixture runs.
python3 - "$tmp" <<'PY'
import json, os, sys
tmp = sys.argv[1]
for name, scale in (("base", 1.0), ("new", 1.5)):
    os.makedirs(os.path.join(tmp, name))
    with open(os.path.join(tmp, name, "records.jsonl"), "w") as f:
        for rep in range(6):
            f.write(json.dumps({"schema": 1, "probe": "latency", "case": "roundtrip",
                "transport": "pipe", "params": {"size": 64}, "metric": "rtt", "unit": "ns",
                "direction": "lower", "status": "ok", "reason": None,
                "value": (1000.0 + rep) * scale, "rep": rep}) + "\n")
    json.dump({"schema": 1, "name": name, "status": "complete", "host": "h",
               "started": "2026-11-01T00:00:00Z"}, open(os.path.join(tmp, name, "run.json"), "w"))
PY
for t in '--threshold=20%' '--threshold 20%'; do
	# shellcheck disable=SC2086
	"$IPC" compare "$tmp/base" "$tmp/new" $t --format=json >"$tmp/cmp.json" 2>"$tmp/err"
	rc=$?
	[ $rc -eq 1 ] || fail "compare $t --format=json exits $rc, not 1 (a regression): $(cat "$tmp/err")"
	python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); assert d["threshold"] == 0.2, d["threshold"]' \
		"$tmp/cmp.json" || fail "compare $t: the threshold is not 20%"
done
"$IPC" compare --format=markdown "$tmp/base" --vs "$tmp/new" >"$tmp/cmp.md" 2>/dev/null
[ $? -eq 1 ] || fail "compare --format=markdown BASE --vs NEW does not find the regression"
grep -q '^| ' "$tmp/cmp.md" || fail "compare --format=markdown wrote no table"
"$IPC" export --format=csv "$tmp/base" >"$tmp/x.csv" 2>"$tmp/err" ||
	fail "export --format=csv exits $?: $(cat "$tmp/err")"
[ "$(grep -c 'latency,roundtrip,pipe' "$tmp/x.csv")" -eq 6 ] || fail "export --format=csv: $(cat "$tmp/x.csv")"
"$IPC" export "$tmp/base" --format csv >"$tmp/y.csv" 2>/dev/null && cmp -s "$tmp/x.csv" "$tmp/y.csv" ||
	fail "export DIR --format csv differs from export --format=csv DIR"
"$IPC" export --format=github-action-benchmark --direction=bigger "$tmp/base" >/dev/null 2>&1 ||
	fail "export --direction=bigger exits $?"

# Mistakes, named; exit 2 and the usage on stderr.
expect 2 'ipcprobe run: unknown option --frobnicate (run takes -o, -q, --quiet, --filter,' \
	"$IPC" run "$tmp/tiny.yaml" --frobnicate
expect 2 'ipcprobe run: unknown option --filtr; did you mean --filter?' \
	"$IPC" run "$tmp/tiny.yaml" --filtr x
grep -q '^usage: ipcprobe run' "$tmp/err" || fail "an unknown option: no usage on stderr"
[ -s "$tmp/out" ] && fail "an unknown option wrote on stdout"
expect 2 'ipcprobe run: option --filter needs a value (REGEX)' "$IPC" run "$tmp/tiny.yaml" --filter
expect 2 'ipcprobe run: option -o needs a value (DIR)' "$IPC" run "$tmp/tiny.yaml" -o
expect 2 'ipcprobe run: unknown option -x' "$IPC" run "$tmp/tiny.yaml" -x
expect 2 'ipcprobe check: option --plan takes no value (given --plan=yes)' \
	"$IPC" check --plan=yes "$tmp/tiny.yaml"
grep -q 'cannot open' "$tmp/err" && fail "check took --plan=yes for a file name"
expect 2 'ipcprobe compare: option --allow is ambiguous: --allow-incomplete, --allow-missing, --allow-disturbed' \
	"$IPC" compare "$tmp/base" "$tmp/new" --allow
expect 2 'ipcprobe compare: --format: expected text, markdown or json, got "jsn"; did you mean json?' \
	"$IPC" compare "$tmp/base" "$tmp/new" --format=jsn
expect 2 'ipcprobe compare: --threshold takes a percentage' \
	"$IPC" compare "$tmp/base" "$tmp/new" --threshold=lots
expect 2 'ipcprobe compare: --vs given twice' "$IPC" compare a --vs b --vs c
expect 2 'ipcprobe export: --format: expected gbench, github-action-benchmark or csv, got "xml"' \
	"$IPC" export --format=xml "$tmp/base"
expect 2 'ipcprobe export: no --format given' "$IPC" export "$tmp/base"
expect 2 'ipcprobe list: option --json takes no value (given --json=1)' "$IPC" list --json=1
expect 2 'ipcprobe history: unknown option --frob' "$IPC" history "$tmp/base" -o "$tmp/h" --frob
expect 2 'ipcprobe report: unknown option --match' "$IPC" report "$tmp/base" --match x
# An unknown command: "did you mean", exit 2.
expect 2 'ipcprobe: unknown command "runn"; did you mean run?' "$IPC" runn
expect 2 'ipcprobe: unknown command "comapre"; did you mean compare?' "$IPC" comapre
expect 2 'ipcprobe: unknown command "frobnicate"' "$IPC" frobnicate
grep -q 'did you mean' "$tmp/err" && fail "frobnicate got a suggestion: $(head -1 "$tmp/err")"
# --help after an operand, and a long option's unique prefix (getopt_long's habit).
"$IPC" compare "$tmp/base" --help >"$tmp/out" 2>&1 && grep -q '^usage: ipcprobe compare' "$tmp/out" ||
	fail "compare BASE --help: $(cat "$tmp/out")"
"$IPC" check --pl "$tmp/tiny.yaml" >"$tmp/out" 2>&1 && grep -q -- '--case pipe_buf' "$tmp/out" ||
	fail "check --pl (a prefix of --plan): $(cat "$tmp/out")"
# A value that looks like an option is the option's value: --filter -x filters by "-x".
expect 2 'matches none of the 1 cases' "$IPC" run "$tmp/tiny.yaml" -o "$tmp/r3" --filter -x

# check says every error of a config in one pass, each as FILE:LINE:COLUMN: KEY: message, in
# the order it reads them (three typos: three errors, one run); a wrong value does not hide
# the next key's, nor a wrong entry the next entry's.
cat >"$tmp/typos.yaml" <<'YAML'
name: typos
repetitons: 3
probes:
  - probe: capacity
    cases: [pipe_buf]
    transports: [pipe, tcp]
  - probe: latency
    cases: [roundtrip]
    params: {sise: 64}
YAML
"$IPC" check "$tmp/typos.yaml" >"$tmp/out" 2>"$tmp/err"
rc=$?
[ $rc -eq 2 ] || fail "check of three typos exits $rc, not 2"
printf '%s\n' \
	"$tmp/typos.yaml:2:1: repetitons: unknown key; did you mean repetitions?" \
	"$tmp/typos.yaml:6:24: probes[0].transports: transport \"tcp\" is not run by the selected cases" \
	"$tmp/typos.yaml:9:14: probes[1].params.sise: no selected case of latency has this parameter; did you mean size?" \
	>"$tmp/want"
python3 -c '
import sys
want, got = (open(f).read().splitlines() for f in sys.argv[1:])
assert len(got) == len(want) and all(g.startswith(w) for g, w in zip(got, want))
' "$tmp/want" "$tmp/err" || fail "check of three typos says: $(cat "$tmp/err")"
[ -s "$tmp/out" ] && fail "check of a bad config wrote on stdout"
# run refuses the same config with the same errors.
"$IPC" run "$tmp/typos.yaml" -o "$tmp/r4" >/dev/null 2>"$tmp/err2"
[ $? -eq 2 ] && cmp -s "$tmp/err" "$tmp/err2" || fail "run of three typos says: $(cat "$tmp/err2")"
# At most 20 errors are said, then how many more there were.
python3 -c '
import sys
with open(sys.argv[1], "w") as f:
    f.write("probes:\n")
    for i in range(25):
        f.write("  - probe: capacity\n    cases: [pipe_buf]\n    timeout: %dz\n" % i)
' "$tmp/many.yaml"
"$IPC" check "$tmp/many.yaml" 2>"$tmp/err"
[ $? -eq 2 ] || fail "check of 25 errors does not exit 2"
[ "$(grep -c "^$tmp/many.yaml:[0-9]*:14: probes\[[0-9]*\].timeout: unknown unit" "$tmp/err")" -eq 20 ] ||
	fail "check of 25 errors: not the first 20: $(cat "$tmp/err")"
tail -1 "$tmp/err" | grep -qx "$tmp/many.yaml: 5 more errors not shown (the first 20 are above)" ||
	fail "check of 25 errors ends: $(tail -1 "$tmp/err")"
# Two configs, one bad: the good one is checked, each bad one's errors said (exit 2).
"$IPC" check "$tmp/tiny.yaml" "$tmp/typos.yaml" >"$tmp/out" 2>"$tmp/err"
[ $? -eq 2 ] && grep -q "tiny.yaml: ok" "$tmp/out" && [ "$(wc -l <"$tmp/err")" -eq 3 ] ||
	fail "check GOOD BAD: $(cat "$tmp/out" "$tmp/err")"

# The man page and the completion say what the table says: gen-options rewrites their
# generated regions; any difference is a hand edit or a table change without `make docs`.
for f in doc/ipcprobe.1 completions/ipcprobe.bash; do
	"$BUILD/gen-options" "$f" >"$tmp/gen" || fail "gen-options $f exits $?"
	diff -u "$f" "$tmp/gen" >"$tmp/diff" || fail "$f is not what the option table says (make docs): $(cat "$tmp/diff")"
	grep -q 'BEGIN generated' "$f" || fail "$f has no generated region"
done
# Every option of the table is in the man page's lists, and the completion offers it.
"$BUILD/gen-options" --list >"$tmp/opts" || fail "gen-options --list exits $?"
[ "$(wc -l <"$tmp/opts")" -gt 30 ] || fail "gen-options --list: $(cat "$tmp/opts")"
comp=completions/ipcprobe.bash
while read -r cmd opt; do
	got=$(bash -c '. "$1"; COMP_WORDS=(ipcprobe "$2" "$3"); COMP_CWORD=2; _ipcprobe; echo " ${COMPREPLY[*]} "' \
		_ "$comp" "$cmd" "$opt")
	case $got in *" $opt "*) ;; *) fail "completing '$cmd $opt' gives '$got'" ;; esac
	case $opt in -h|--help) continue ;; esac
	man=$(printf '%s' "$opt" | sed 's/-/\\-/g')	# --plan as roff writes it: \-\-plan
	awk -v k="BEGIN generated: options $cmd " 'index($0, k) { on = 1; next } /END generated/ { on = 0 } on' \
		doc/ipcprobe.1 | grep -qF "\\fB$man\\fR" || fail "the man page's list of $cmd does not have $opt"
done <"$tmp/opts"
# A value's words: compare --format completes to its choices.
got=$(bash -c '. "$1"; COMP_WORDS=(ipcprobe compare a b --format m); COMP_CWORD=5; _ipcprobe; echo "${COMPREPLY[*]}"' _ "$comp")
[ "$got" = markdown ] || fail "completing 'compare --format m' gives '$got'"
# README's "Using it" names every option of the table, and only those.
python3 - README.md "$tmp/opts" <<'PY' || fail "README's \"Using it\" and the option table differ"
import re, sys
text = open(sys.argv[1]).read()
block = text[text.index("## Using it"):]
block = block[block.index("```") + 3:]
block = block[:block.index("```")]
table = {l.split()[1] for l in open(sys.argv[2])}
said = set(re.findall(r"(?<![\w-])(--?[a-z][a-z-]*)", block))
missing = sorted(table - said - {"-h"})
unknown = sorted(said - table - {"--version"})
assert not missing and not unknown, "missing from README: %s; not options: %s" % (missing, unknown)
PY
echo "$H_NAME: ok"
