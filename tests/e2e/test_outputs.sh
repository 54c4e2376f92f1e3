#!/bin/sh
# test_outputs.sh - where results cannot go (issue 8): an output directory that exists and is
# not empty, or is a file; one the user cannot write; an unreadable config; and a file system
# that is full from the start, or fills up during the run (a small tmpfs in a private mount
# namespace).  Each gets a clear message and an exit status, and loses nothing: files on disk
# are whole, run.json says how the run ended, or the directory is absent.
. "$(dirname "$0")/../lib/harness.sh"
runner=$(pwd)/$BUILD/ipcprobe
chmod 755 "$tmp"
# expect STATUS TEXT CMD...: CMD exits STATUS and says TEXT on stderr.
expect() {
	want=$1 text=$2
	shift 2
	"$@" >"$tmp/out" 2>"$tmp/err"
	rc=$?
	[ $rc -eq "$want" ] || { cat "$tmp/err"; fail "$* exited $rc, not $want"; }
	grep -qF -- "$text" "$tmp/err" || { cat "$tmp/err"; fail "$*: no \"$text\" in its message"; }
}
cat > "$tmp/c.yaml" <<'YAML'
probes:
  - probe: capacity
    cases: [pipe_buf]
YAML

# An output directory with something in it is never written over; a file is not a directory.
mkdir "$tmp/full" && echo keep > "$tmp/full/mine"
expect 2 "not empty; results are never written over" "$runner" run "$tmp/c.yaml" -o "$tmp/full"
[ "$(ls "$tmp/full")" = mine ] || fail "the existing directory was touched"
echo x > "$tmp/afile"
expect 2 "exists and is not a directory" "$runner" run "$tmp/c.yaml" -o "$tmp/afile"
# An -o longer than PATH_MAX is refused whole, before any directory of it is made (it was
# cut short silently, leaving 20 directories behind).
mkdir "$tmp/long"
long=$tmp/long/$(python3 -c "print('/'.join(['d' * 200] * 25))")
expect 2 "longer than 4095 bytes" "$runner" run "$tmp/c.yaml" -o "$long"
[ -z "$(ls -A "$tmp/long")" ] || fail "a refused long -o left directories behind"

# Permissions, as an unprivileged user (root passes them all).
if command -v setpriv >/dev/null && [ "$(id -u)" = 0 ] &&
	setpriv --reuid=65534 --regid=65534 --clear-groups true 2>/dev/null; then
	nobody="setpriv --reuid=65534 --regid=65534 --clear-groups"
	mkdir "$tmp/ro" && chmod 755 "$tmp/ro"
	expect 2 "Permission denied" $nobody "$runner" run "$tmp/c.yaml" -o "$tmp/ro/run"
	[ ! -e "$tmp/ro/run" ] || fail "a run directory appeared where it could not be written"
	cp "$tmp/c.yaml" "$tmp/secret.yaml" && chmod 600 "$tmp/secret.yaml"
	expect 2 "secret.yaml: cannot open: Permission denied" $nobody "$runner" check "$tmp/secret.yaml"
else
	echo "test_outputs: no setpriv or not root: the permission cases are not run"
fi

# The machine's state, not the config (issue 15): too few descriptors or processes is said as
# such, without a config line to blame.
expect 2 "cannot check the config here: cannot start probe capacity" \
	bash -c 'ulimit -n 5 && exec "$@"' sh "$runner" check "$tmp/c.yaml"
grep -q "ulimit -n" "$tmp/err" || fail "no hint at ulimit -n"
grep -q "c.yaml:[0-9]" "$tmp/err" && fail "a descriptor shortage blamed a line of the config"
if [ -n "${nobody:-}" ]; then
	# LeakSanitizer needs a thread of its own at exit, which ulimit -u 1 forbids: off here.
	expect 2 "cannot check the config here: cannot start probe capacity" \
		env ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0" \
		bash -c 'ulimit -u 1 && exec "$@"' sh $nobody "$runner" check "$tmp/c.yaml"
	grep -q "ulimit -u" "$tmp/err" || fail "no hint at ulimit -u"
fi

# A small stack (issue 28 item 11): `ulimit -s 128` segfaulted check, the child's output read
# into two 64 KiB buffers on the stack.  AddressSanitizer's frames are larger by design: there
# the part is left out.
if [ -n "${ASAN_OPTIONS:-}" ]; then
	h_skip_part "the small-stack check: AddressSanitizer's stack frames are larger"
else
	bash -c 'ulimit -s 128 && exec "$@"' sh "$runner" check configs/default.yaml > "$tmp/out" 2>&1 ||
		{ cat "$tmp/out"; fail "check under ulimit -s 128 exited $?"; }
fi

# A file size limit (issue 28 item 11): SIGXFSZ killed the runner, leaving a partial
# .space-reserve.  Below the reserve: refused, saying which limit, nothing left; above it, but
# below what a flood of records needs: the run ends incomplete, saying so, with what it wrote.
mkdir "$tmp/fsize"
expect 2 "the file size limit (ulimit -f) is below" \
	bash -c 'ulimit -f 64 && exec "$@"' sh "$runner" run "$tmp/c.yaml" -o "$tmp/fsize/small"
[ ! -e "$tmp/fsize/small" ] || fail "a refused run left its directory: $(ls -a "$tmp/fsize/small")"
cat > "$tmp/fsize.yaml" <<'YAML'
order: plan
probes:
  - probe: selftest
    cases: [flood, ok]
YAML
IPCPROBE_PROBE_DIR=$(pwd)/$BUILD/tests/probes bash -c 'ulimit -f 1024 && exec "$@"' sh \
	"$runner" run "$tmp/fsize.yaml" -o "$tmp/fsize/run" > "$tmp/out" 2>&1
rc=$?
[ $rc -eq 1 ] || { tail -3 "$tmp/out"; fail "a run past ulimit -f exited $rc, not 1"; }
python3 - "$tmp/fsize/run/run.json" <<'PY' || fail "run.json does not say the file size limit stopped it"
import json, sys
m = json.load(open(sys.argv[1]))
assert m["status"] == "incomplete" and "File too large" in m["reason"] and "ulimit -f" in m["reason"], m["reason"]
PY

# A full file system, in a private mount namespace.
if ! unshare -m true 2>/dev/null; then
	h_skip_part "the full-disk cases: unshare -m is not allowed here"
	exit 0
fi
export IPCPROBE_PROBE_DIR=$(pwd)/$BUILD/tests/probes
cat > "$tmp/flood.yaml" <<'YAML'
order: plan
probes:
  - probe: selftest
    cases: [flood, ok]
    params: {records: 200, size: 4KiB}
YAML
mkdir "$tmp/mnt"
# Too small even to start: refused, and nothing is left.
unshare -m sh -c 'mount -t tmpfs -o size=100k none "$1/mnt" && "$2" run "$1/flood.yaml" -o "$1/mnt/run" \
	>"$1/out" 2>"$1/err"; echo $? >"$1/rc"; ls -A "$1/mnt" >"$1/left"' sh "$tmp" "$runner"
[ "$(cat "$tmp/rc")" = 2 ] || { cat "$tmp/err"; fail "a full file system at the start exited $(cat "$tmp/rc"), not 2"; }
grep -q "No space left on device; free some space" "$tmp/err" || { cat "$tmp/err"; fail "no clear message for a full disk"; }
[ -z "$(cat "$tmp/left")" ] || fail "a run that could not start left $(cat "$tmp/left")"

# Fills up during the run (200 records of 4 KiB, 800 KiB, into 400 KiB): the run stops, the
# records written are whole lines, run.json says incomplete and why, the exit status is 1.
unshare -m sh -c 'mount -t tmpfs -o size=400k none "$1/mnt" && "$2" run "$1/flood.yaml" -o "$1/mnt/run" \
	>"$1/out" 2>"$1/err"; echo $? >"$1/rc"; cp "$1/mnt/run/run.json" "$1/mnt/run/records.jsonl" "$1/"' \
	sh "$tmp" "$runner"
[ "$(cat "$tmp/rc")" = 1 ] || { cat "$tmp/err"; fail "a disk filling up exited $(cat "$tmp/rc"), not 1"; }
python3 - "$tmp" <<'PY' || fail "the run on a full disk did not end whole"
import json, sys
d = sys.argv[1]
meta = json.load(open(d + "/run.json"))
assert meta["status"] == "incomplete", meta["status"]
assert "No space left on device" in meta["reason"], meta["reason"]
assert meta["cases"][0]["status"] == "failed", meta["cases"][0]
data = open(d + "/records.jsonl").read()
assert data.endswith("\n")
recs = [json.loads(l) for l in data.splitlines()]
assert 0 < len(recs) < 200, len(recs)
assert [r["value"] for r in recs] == list(range(len(recs))), "records lost or out of order"
print("test_outputs: the disk filled after %d of 200 records; run.json: %s" %
      (len(recs), meta["reason"]))
PY
echo "test_outputs: ok"
