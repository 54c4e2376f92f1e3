#!/bin/sh
# test_sweep_foreign.sh - the sweep after a probe removes only what this run's probes made
# (issue 15).  Two runs in two PID namespaces (as two containers or CI jobs would be) give
# their probes the same process group numbers; the short runs' sweeps must not remove the
# long run's live SysV queue.  Objects of another user named and keyed exactly as
# a probe's own are covered by the unit test test_sweep.
. "$(dirname "$0")/../lib/harness.sh"
runner=$(pwd)/$BUILD/ipcprobe
if ! unshare -p -f --mount-proc true 2>/dev/null; then
	h_skip "unshare -p (a PID namespace) is not allowed here"
fi

config() {	# config MIN_TIME: the same plan, so both runs fork the same pids in order
	cat <<YAML
timeout: 60s
probes:
  - probe: latency
    cases: [roundtrip]
    transports: [sysv-msg]
    params: {placement: unpinned, warmup: 0ns, min_time: $1, size: 64}
YAML
}
config 3s > "$tmp/long.yaml"
config 100ms > "$tmp/short.yaml"
unshare -p -f --mount-proc "$runner" run "$tmp/long.yaml" -o "$tmp/long" >"$tmp/long.out" 2>&1 &
long=$!
# Short runs, one after the other, for as long as the long one lasts: each sweeps after its
# probe, whose process group has the number the long run's probe has in its namespace.
i=0
while kill -0 $long 2>/dev/null; do
	i=$((i + 1))
	unshare -p -f --mount-proc "$runner" run "$tmp/short.yaml" -o "$tmp/short$i" \
		>"$tmp/short$i.out" 2>&1 || { cat "$tmp/short$i.out"; fail "short run $i failed"; }
done
wait $long || { cat "$tmp/long.out"; fail "the long run failed while $i short runs in another PID namespace swept"; }
grep -q '"swept": \[\]' "$tmp/short1/run.json" || grep -q '"swept"' "$tmp/short1/run.json" ||
	fail "run.json does not say what was swept"
echo "test_sweep_foreign: the long run lived through $i short runs' sweeps"
echo "test_sweep_foreign: ok"
