#!/bin/sh
# run.sh SECONDS - run each libFuzzer target (build-fuzz/fuzz_*) for SECONDS over a corpus
# seeded from configs/ and tests/, both at once (one per core).  Everything it writes stays in
# build-fuzz/ (never in the source tree); a finding is in build-fuzz/artifacts/TARGET/, and the
# summary says how to keep it as a regression case in tests/fuzz/crashers/TARGET/, which
# tests/e2e/test_fuzz_crashers.sh replays.
secs=${1:-60}
set -u
top=$(pwd)
rc=0
for t in config records; do
	corpus=build-fuzz/corpus/$t
	mkdir -p "$corpus" build-fuzz/artifacts/$t
	case $t in
	config) cp configs/*.yaml tests/bad/*.yaml tests/good/*.yaml "$corpus"/ ;;
	records) cp tests/bad-records/*.jsonl tests/fuzz/seeds/*.jsonl "$corpus"/ ;;
	esac
	cp tests/fuzz/crashers/$t/* "$corpus"/ 2>/dev/null
	echo "== fuzz_$t for ${secs}s (log: build-fuzz/fuzz_$t.log)"
	IPCPROBE_FUZZ_RUNNER=$top/build/ipcprobe build-fuzz/fuzz_$t -max_total_time="$secs" \
		-dict=tests/fuzz/$t.dict -max_len=16384 -timeout=10 -rss_limit_mb=2048 \
		-artifact_prefix=build-fuzz/artifacts/$t/ -print_final_stats=1 "$corpus" \
		>build-fuzz/fuzz_$t.log 2>&1 &
done
wait
for t in config records; do
	execs=$(sed -n 's/^stat::number_of_executed_units: *//p' build-fuzz/fuzz_$t.log)
	found=$(ls build-fuzz/artifacts/$t | wc -l)
	echo "fuzz_$t: ${execs:-?} executions in ${secs}s, corpus $(ls build-fuzz/corpus/$t | wc -l) inputs, $found finding(s)"
	if [ "$found" -gt 0 ]; then
		echo "keep it as a regression case: cp build-fuzz/artifacts/$t/* tests/fuzz/crashers/$t/"
		tail -40 build-fuzz/fuzz_$t.log
		rc=1
	fi
done
exit $rc
