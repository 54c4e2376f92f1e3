#!/bin/sh
# test_rundir_hostile.sh - a run directory from someone else is hostile input (issue 15):
# links planted where the report writes (charts, their logs, report.html, plots/ itself) are
# never followed; records and run.json that are links, FIFOs or devices are refused without
# hanging; an unknown run.json schema is refused; report -o over a run directory is refused;
# runs started at the same moment never share a directory.
. "$(dirname "$0")/../lib/harness.sh"
runner=$(pwd)/$BUILD/ipcprobe

cat > "$tmp/c.yaml" <<'YAML'
probes:
  - probe: capacity
    cases: [fill_nonblocking]
    transports: [pipe]
YAML
"$runner" run "$tmp/c.yaml" -o "$tmp/run" >"$tmp/out" 2>&1 || { cat "$tmp/out"; fail "the run failed"; }
ls "$tmp/run/plots/"*.svg >/dev/null 2>&1 || fail "the run drew no chart to plant links over"

# 1. Links planted over every file the report writes, each to a victim file of ours.
mk_victim() { echo "precious $1" > "$tmp/victim-$1"; }
plant() {	# plant FILE-IN-RUN NAME: FILE becomes a link to victim NAME
	mk_victim "$2"
	rm -f "$tmp/run/$1"
	ln -s "$tmp/victim-$2" "$tmp/run/$1"
}
n=0
for f in "$tmp/run/plots/"*; do
	n=$((n + 1))
	plant "plots/$(basename "$f")" "p$n"
done
plant report.html html
plant report.md md
# A link to a file that does not exist yet (a new file would be created through it).
ln -s "$tmp/victim-new" "$tmp/run/plots/capacity.log" 2>/dev/null
"$runner" report "$tmp/run" >"$tmp/out" 2>&1 || { cat "$tmp/out"; fail "report failed on a run with planted links"; }
for v in "$tmp"/victim-*; do
	name=${v##*/victim-}
	[ "$(cat "$v")" = "precious $name" ] || fail "report wrote through a planted link into $v"
done
[ -e "$tmp/victim-new" ] && fail "report created a file through a dangling link"
[ -L "$tmp/run/report.html" ] && fail "report.html is still a link: it was not replaced"
grep -q '<svg' "$tmp/run/report.html" || fail "the report has no chart after the links were replaced"
ls -a "$tmp/run" "$tmp/run/plots" | grep -q '^\.' | grep -v '^\.\.\?$' && true
left=$(ls -A "$tmp/run/plots" | grep '^\.' || true)
[ -z "$left" ] || fail "temporary files left in plots/: $left"

# plots/ itself a link to a directory of ours: refused, nothing written there.
mkdir "$tmp/elsewhere"
rm -rf "$tmp/run/plots" && ln -s "$tmp/elsewhere" "$tmp/run/plots"
"$runner" report "$tmp/run" >"$tmp/out" 2>&1 && fail "report accepted plots/ as a link"
grep -q "plots: is a symbolic link; refusing to write through it" "$tmp/out" ||
	{ cat "$tmp/out"; fail "no clear message for plots/ as a link"; }
[ -z "$(ls -A "$tmp/elsewhere")" ] || fail "report wrote into the directory plots/ linked to"
rm "$tmp/run/plots"

# 2. Inputs that are not regular files: refused at once, never read, never a hang.
cp "$tmp/run/records.jsonl" "$tmp/records.keep"
expect_refused() {	# expect_refused TEXT CMD...
	text=$1; shift
	timeout 20 "$@" >"$tmp/out" 2>&1
	rc=$?
	[ $rc -eq 124 ] && fail "$*: hung"
	[ $rc -eq 0 ] && fail "$*: accepted"
	grep -qF -- "$text" "$tmp/out" || { cat "$tmp/out"; fail "$*: no \"$text\" in its message"; }
}
rm "$tmp/run/records.jsonl" && mkfifo "$tmp/run/records.jsonl"
expect_refused "is a FIFO, not a regular file" "$runner" report "$tmp/run"
expect_refused "is a FIFO, not a regular file" "$runner" export --format gbench "$tmp/run"
rm "$tmp/run/records.jsonl" && ln -s /dev/zero "$tmp/run/records.jsonl"
expect_refused "is a symbolic link" "$runner" report "$tmp/run"
expect_refused "is a symbolic link" "$runner" compare "$tmp/run" "$tmp/run"
rm "$tmp/run/records.jsonl" && ln -s "$tmp/records.keep" "$tmp/run/records.jsonl"
expect_refused "is a symbolic link" "$runner" report "$tmp/run"
rm "$tmp/run/records.jsonl" && cp "$tmp/records.keep" "$tmp/run/records.jsonl"
cp "$tmp/run/run.json" "$tmp/meta.keep"
rm "$tmp/run/run.json" && mkfifo "$tmp/run/run.json"
expect_refused "run.json: is a FIFO" "$runner" report "$tmp/run"
rm "$tmp/run/run.json" && ln -s /dev/zero "$tmp/run/run.json"
expect_refused "run.json: is a symbolic link" "$runner" report "$tmp/run"
rm "$tmp/run/run.json"
sed 's/"schema": 1,/"schema": 99,/' "$tmp/meta.keep" > "$tmp/run/run.json"
expect_refused "an unknown schema version" "$runner" report "$tmp/run"
cp "$tmp/meta.keep" "$tmp/run/run.json"
mkfifo "$tmp/fifo.yaml"
expect_refused "is a FIFO, not a regular file" "$runner" check "$tmp/fifo.yaml"
expect_refused "is a character device, not a regular file" "$runner" run /dev/zero
ln -s /dev/zero "$tmp/zero.yaml"
expect_refused "is a character device, not a regular file" "$runner" check "$tmp/zero.yaml"

# 3. report/history -o over a run directory would overwrite its own report: refused.
cp "$tmp/run/report.html" "$tmp/report.keep"
expect_refused "is a run directory" "$runner" report "$tmp/run" "$tmp/run" -o "$tmp/run"
expect_refused "is a run directory" "$runner" history "$tmp/run" "$tmp/run" -o "$tmp/run"
cmp -s "$tmp/report.keep" "$tmp/run/report.html" || fail "report -o overwrote a run's own report"

# 4. Runs started at the same moment: each has its own directory, whole and complete.
mkdir "$tmp/many"
cat > "$tmp/many/q.yaml" <<'YAML'
probes:
  - probe: capacity
    cases: [pipe_buf]
YAML
pids=""
for i in 1 2 3 4 5 6; do
	(cd "$tmp/many" && "$runner" run q.yaml >"out$i" 2>&1; echo $? >"rc$i") &
	pids="$pids $!"
done
wait $pids
for i in 1 2 3 4 5 6; do
	[ "$(cat "$tmp/many/rc$i")" = 0 ] || { cat "$tmp/many/out$i"; fail "concurrent run $i failed"; }
done
ndirs=$(ls -d "$tmp/many/results"/*/ | wc -l)
[ "$ndirs" = 6 ] || fail "6 concurrent runs made $ndirs directories"
for d in "$tmp/many/results"/*/; do
	grep -q '"status": "complete"' "$d/run.json" || fail "$d: run.json not complete"
	[ "$(wc -l < "$d/records.jsonl")" -ge 1 ] || fail "$d: no records"
done
# The same empty -o directory given to two runs at once: one takes it, the other fails
# cleanly (exit 2) and nothing is mixed.  Repeated, since it is a race.
for t in 1 2 3 4 5 6 7 8 9 10; do
	mkdir "$tmp/same$t"
	"$runner" run "$tmp/many/q.yaml" -o "$tmp/same$t" >"$tmp/a$t" 2>&1 & a=$!
	"$runner" run "$tmp/many/q.yaml" -o "$tmp/same$t" >"$tmp/b$t" 2>&1 & b=$!
	wait $a; ra=$?
	wait $b; rb=$?
	ok=0
	[ $ra = 0 ] && ok=$((ok + 1))
	[ $rb = 0 ] && ok=$((ok + 1))
	[ $ok = 1 ] || { cat "$tmp/a$t" "$tmp/b$t"; fail "trial $t: $ok of 2 runs on one -o DIR succeeded (want 1)"; }
	[ $ra = 0 ] && loser=$rb || loser=$ra
	[ "$loser" = 2 ] || fail "trial $t: the losing run exited $loser, not 2"
	grep -q '"status": "complete"' "$tmp/same$t/run.json" || fail "trial $t: run.json not complete"
	[ "$(grep -c '"case":"pipe_buf"' "$tmp/same$t/records.jsonl")" = \
		"$(grep -c '"case":"pipe_buf"' "$tmp/many/results/"*/records.jsonl | head -1 | cut -d: -f2)" ] ||
		fail "trial $t: records mixed"
done
echo "test_rundir_hostile: ok"
