#!/bin/sh
# test_shm_probe.sh - the shm probe: every method and wake-up gives valid records or says why
# not, regions are really shared, and nothing is left in /dev/shm or ipcs, also after the
# probe's process group is SIGKILLed mid-run.
set -u
BUILD=${BUILD:-build}
P=$BUILD/probes/shm
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "test_shm_probe: $*" >&2; exit 1; }
shm_before=$(ls /dev/shm | sort | tr '\n' ' ')
ipcs_before=$(ipcs -m | awk '$1 ~ /^0x/' | sort)

"$P" --list > "$tmp/list.json" || fail "--list exited $?"
for m in posix_shm memfd sysv anon_shared hugetlb; do
	for c in "setup --param iterations=5" touch "copy_bandwidth --param min_time=5ms"; do
		"$P" --case $c --param method=$m --param size=64KiB > "$tmp/$m-${c%% *}.jsonl" 2>/dev/null
		rc=$?
		[ $rc -eq 0 ] || [ $rc -eq 3 ] || fail "$c method=$m exited $rc"
	done
done
for w in futex sem mutex_cond eventfd spin; do
	"$P" --case handover --param wake=$w --param round_trips=200 > "$tmp/h-$w.jsonl" ||
		[ $? -eq 3 ] || fail "handover wake=$w failed"
done
python3 - "$tmp" <<'PY' || exit 1
import glob, json, math, os, sys
n = 0
for f in glob.glob(os.path.join(sys.argv[1], "*.jsonl")):
    for line in open(f):
        r = json.loads(line)
        n += 1
        assert r["probe"] == "shm" and r["status"] in ("ok", "unsupported"), r
        if r["status"] == "unsupported":
            assert r["reason"], r
            continue
        assert isinstance(r["value"], (int, float)) and not math.isnan(r["value"]), r
        if r["metric"] == "first_touch_per_page":
            assert r["facts"]["shared_check"] is True, r
            assert r["facts"]["minor_faults"] >= r["facts"]["pages"], r
        if r["metric"] == "rtt":
            d = r["dist"]
            assert d["n"] == 200 and d["min"] <= d["p50"] <= d["max"], d
print("test_shm_probe: %d records valid" % n)
PY
"$P" --case setup --param size=1KiB > /dev/null 2>&1; [ $? -eq 2 ] || fail "size=1KiB did not exit 2"
"$P" --case handover --param wake=pigeon > /dev/null 2>&1; [ $? -eq 2 ] || fail "a bad wake did not exit 2"

# SIGKILL the whole group mid-run, while it hands over or faults in a large region: the
# names were removed as soon as the region was mapped, and anonymous memory has none.
for args in "handover --param wake=futex --param round_trips=10000000" \
	    "touch --param method=posix_shm --param size=512MiB" \
	    "touch --param method=sysv --param size=512MiB"; do
	setsid $P --case $args > /dev/null 2>&1 &
	pgid=$!		# setsid execs the probe: it leads its own session and group
	sleep 0.3
	kill -0 "$pgid" 2> /dev/null || fail "the probe ($args) was not running"
	kill -KILL -"$pgid"
	wait "$pgid" 2> /dev/null
	# Zombies are dead: their reaping is init's business once their parent is gone.
	live() { ps -eo stat=,comm= | awk '$1 !~ /^Z/ && $2 == "shm"' | grep -q .; }
	i=0
	while [ $i -lt 40 ] && live; do sleep 0.05; i=$((i + 1)); done
	live && fail "the probe ($args) survived SIGKILL of its group"
done
[ "$(ls /dev/shm | sort | tr '\n' ' ')" = "$shm_before" ] || fail "/dev/shm changed: $(ls /dev/shm)"
[ "$(ipcs -m | awk '$1 ~ /^0x/' | sort)" = "$ipcs_before" ] || fail "SysV shared memory changed"
echo "test_shm_probe: ok"
