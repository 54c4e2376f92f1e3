#!/bin/sh
# run-unit.sh BIN... - run each cmocka unit test binary; fail if any fails.
fail=0
for t in "$@"; do
	echo "== unit: $(basename "$t")"
	if ! "$t"; then
		echo "FAIL: $t" >&2
		fail=1
	fi
done
exit $fail
