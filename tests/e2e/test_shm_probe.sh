#!/bin/sh
# test_shm_probe.sh - the shm probe: every method and wake-up gives valid records or says why
# not, regions are really shared, setup's steps are timed apart, touch gives a distribution
# over many pages, the hand-over takes a placement and its futex wakes only a sleeping peer,
# every timing says its batch and the clock's cost; nothing is left in /dev/shm or ipcs, also
# after the probe's process group is SIGKILLed mid-run.
. "$(dirname "$0")/../lib/harness.sh"
P=$BUILD/probes/shm
h_ipc_state > "$tmp/ipc.before"

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
# the hand-over is placed like the latency probe's round trips
for w in futex spin; do
	for pl in same_core cross_core unpinned; do
		"$P" --case handover --param wake=$w --param placement=$pl --param round_trips=200 \
			> "$tmp/h-$w-$pl.jsonl" || [ $? -eq 3 ] || fail "handover wake=$w placement=$pl failed"
	done
done
python3 - "$tmp" <<'PY' || exit 1
import glob, json, math, os, sys
n = 0
timed = ("create_ns", "map_ns", "unmap_ns", "remove_ns", "first_touch_per_page",
         "second_touch_per_page", "bandwidth", "private_bandwidth", "rtt")
for f in glob.glob(os.path.join(sys.argv[1], "*.jsonl")):
    recs = [json.loads(line) for line in open(f)]
    ok = [r for r in recs if r["status"] == "ok"]
    for r in recs:
        n += 1
        assert r["probe"] == "shm" and r["status"] in ("ok", "unsupported"), r
        if r["status"] == "unsupported":
            assert r["reason"], r
            continue
        assert isinstance(r["value"], (int, float)) and not math.isnan(r["value"]), r
        fa = r.get("facts") or {}
        if r["metric"] in timed:	# every timing says its batch and the clock's cost
            assert fa["batch"] >= 1 and isinstance(fa["timer_overhead_ns"], int), r
        if r["metric"] == "first_touch_per_page":
            d = r["dist"]
            assert fa["shared_check"] is True, r
            # many pages per timed span, a distribution over samples
            assert fa["batch"] >= 64 and d["n"] == 20, r
            assert fa["pages"] == fa["batch"] * d["n"], r
            assert fa["minor_faults"] >= fa["pages"], r
        if r["metric"] == "second_touch_per_page":
            first = [x for x in ok if x["metric"] == "first_touch_per_page"][0]
            assert fa["batch"] == first["facts"]["batch"] * fa["passes"], (r, first)
            assert r["dist"]["n"] == 20, r
        if r["metric"] in ("bandwidth", "private_bandwidth"):
            assert fa["rounds"] >= 2 and fa["order"].startswith("alternated"), r
        if r["metric"] == "rtt":
            d = r["dist"]
            assert d["n"] == 200 // fa["batch"] and d["min"] <= d["p50"] <= d["max"], d
            assert fa["round_trips"] == d["n"] * fa["batch"], fa
            assert fa["placement"] == r["params"]["placement"], r
            cpus = fa["cpus"]
            if r["params"]["placement"] == "unpinned":
                assert cpus is None, r
            elif r["params"]["placement"] == "same_core":
                assert cpus[0] == cpus[1], r
            else:
                assert cpus[0] != cpus[1], r
            if r["params"]["wake"] == "futex":	# a wake only for a peer asleep
                assert 0 <= fa["futex_wakes"] <= fa["futex_sleeps"], fa
    # setup: create, map, unmap and remove each timed on its own
    setup = [r["metric"] for r in ok if r["case"] == "setup"]
    if setup:
        anon = ok[0]["params"]["method"] == "anon_shared"
        assert setup == (["map_ns", "unmap_ns"] if anon else
                         ["create_ns", "map_ns", "unmap_ns", "remove_ns"]), (f, setup)
print("test_shm_probe: %d records valid" % n)
PY
"$P" --case setup --param size=1KiB > /dev/null 2>&1; [ $? -eq 2 ] || fail "size=1KiB did not exit 2"
"$P" --case handover --param wake=pigeon > /dev/null 2>&1; [ $? -eq 2 ] || fail "a bad wake did not exit 2"

# SIGKILL the whole group mid-run, while it hands over or faults in a large region: the
# names were removed as soon as the region was mapped, and anonymous memory has none.  Each
# run lasts far longer than the test (10M round trips, 10000 regions of 512 MiB), and the kill
# waits for the run to be in its measurement (a shared mapping in the probe, and for the
# hand-over its peer forked), so it lands mid-run on a machine of any speed.
shared_mapping() { awk '$2 ~ /s$/' "/proc/$1/maps" 2>/dev/null | grep -q .; }
group_size() { ps -eo pgid=,stat= | awk -v g="$1" '$1 == g && $2 !~ /^Z/' | wc -l; }
measuring() { shared_mapping "$1" && [ "$(group_size "$1")" -ge "$2" ]; }
for args in "handover --param wake=futex --param round_trips=10000000 2" \
	    "touch --param method=posix_shm --param size=512MiB --param samples=10000 1" \
	    "touch --param method=sysv --param size=512MiB --param samples=10000 1"; do
	procs=${args##* } args=${args% *}
	setsid $P --case $args > /dev/null 2>&1 &
	pgid=$!		# setsid execs the probe: it leads its own session and group
	h_wait_alive "$pgid" "the probe ($args) in its measurement" measuring "$pgid" "$procs"
	kill -KILL -"$pgid"
	wait "$pgid" 2> /dev/null
	h_wait_gone shm
done
h_ipc_state | cmp -s "$tmp/ipc.before" - || fail "IPC objects left: $(h_ipc_state | comm -13 "$tmp/ipc.before" -)"
echo "test_shm_probe: ok"
