#!/bin/sh
# test_squatter.sh - another user who knows a run's public token cannot take its SysV keys
# (issue 28 item 3, "the run token is public").  The token is in every /dev/shm name and in
# run.json; SysV keys used to carry an FNV tag of the token and the process group, so anyone
# could create the keys of the next process groups first, and every sysv-msg case then looped
# on EEXIST until its timeout.  Here, as root:
#   - a squatter running as nobody reads the token as soon as run.json (world-readable, as
#     /dev/shm is) shows it and creates, for each of the next process groups after the
#     runner's pid, all 256 message queue keys the old scheme gives that group, before the
#     SysV cases start (a 2 s pipe case runs first), holding them for the rest of the run;
#   - the run's latency/roundtrip and limits/sysv_msg over sysv-msg must still end ok (their
#     keys come from the run's secret now), and no process group of the run may lie outside
#     the squatted ones (else the squat proves nothing);
#   - the run's secret (read from a probe's environment) appears in no name in /dev/shm or
#     $TMPDIR and in no file of the run directory.
#   - a squatter who knows the secret (the test gives it) takes all 256 keys of a process
#     group, and a latency probe run by hand in that group with that secret must fail within
#     seconds, saying that 64 keys in a row were taken (the bounded retry of ipc_key_create(),
#     whose exact count tests/unit/test_ipc_key checks), instead of looping until a timeout.
# It all happens in private IPC and PID namespaces: the ~30000 queues cannot starve other runs
# on the machine (msgmni is per IPC namespace), and process groups are numbered in order.
# Exit 0: pass; 77: skipped (it says why); else: failed.  On old main (FNV tags of the token)
# the sysv-msg case times out and limits/sysv_msg fails with EEXIST.
# e2e-deadline: 120
. "$(dirname "$0")/../lib/harness.sh"
runner=$(cd "$BUILD" && pwd)/ipcprobe

if [ "${1:-}" != --inside ]; then
	[ "$(uname -s)" = Linux ] || h_skip "not Linux (needs /proc/sysvipc and namespaces)"
	[ "$(id -u)" = 0 ] || h_skip "not root: the squatter must be another user (nobody)"
	command -v setpriv > /dev/null || h_skip "no setpriv(1) to run the squatter as nobody"
	unshare --ipc --pid --fork --mount-proc true 2> /dev/null ||
		h_skip "unshare cannot make private IPC and PID namespaces here"
	unshare --ipc --pid --fork --mount-proc --kill-child sh "$0" --inside
	exit $?
fi

# Inside: pid 1 of a fresh PID namespace, in a fresh IPC namespace; $tmp is this run's own.
chmod 755 "$tmp"	# nobody runs the squatter and reads run.json from here
# The squatter: waits for RUN_JSON to show the token (polling without forking, as every
# pid taken here would move the run's process groups), then for each group in [first,
# first + count) msgget()s with IPC_CREAT | IPC_EXCL every key the old scheme gave it:
# 0x40000000 | tag << 8 | seq, the tag FNV-1a of "TOKEN-PGID" folded to 22 bits.  Prints how
# many queues it made and the token.
cat > "$tmp/squat.c" <<'C'
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ipc.h>
#include <sys/msg.h>
#include <time.h>
static int read_token(const char *path, char token[17])
{
	char buf[65536];
	FILE *f = fopen(path, "r");
	size_t n = f ? fread(buf, 1, sizeof(buf) - 1, f) : 0;
	if (f)
		fclose(f);
	buf[n] = '\0';
	const char *t = strstr(buf, "\"ipc_token\": \"");
	return t && sscanf(t + 14, "%16[0-9a-f]", token) == 1;
}
static unsigned old_tag(const char *token, long pgid)
{
	char text[48];
	unsigned h = 2166136261u;
	snprintf(text, sizeof(text), "%s-%ld", token, pgid);
	for (const char *p = text; *p; p++)
		h = (h ^ (unsigned char)*p) * 16777619u;
	return (h ^ (h >> 22)) & 0x3fffff;
}
int main(int argc, char **argv)
{
	char token[17];
	struct timespec ms = { 0, 1000000 };
	if (argc != 4)
		return 2;
	for (int i = 0; !read_token(argv[1], token); i++)
		if (i > 10000 || nanosleep(&ms, NULL) < 0)
			return 1;
	long first = atol(argv[2]), count = atol(argv[3]), made = 0;
	for (long g = first; g < first + count; g++)
		for (int seq = 0; seq < 256; seq++)
			made += msgget(0x40000000 | (int)(old_tag(token, g) << 8) | seq,
				       IPC_CREAT | IPC_EXCL | 0600) >= 0;
	printf("%ld %s\n", made, token);
	return 0;
}
C
${CC:-cc} -O2 -o "$tmp/squat" "$tmp/squat.c" || fail "cannot compile the squatter"

squatter=
cleanup() {
	[ -n "$squatter" ] && kill "$squatter" 2> /dev/null
	# Every queue here is the squatter's or the run's; the namespace takes them too when it
	# ends, but remove them now.
	ipcrm --all=msg 2> /dev/null
}
h_defer cleanup
[ -r /proc/sysvipc/msg ] || h_skip "no /proc/sysvipc/msg"
# A group takes 256 queues; the kernel allows at most 32768 per IPC namespace.
echo 32768 > /proc/sys/kernel/msgmni 2> /dev/null
groups=$(($(cat /proc/sys/kernel/msgmni) / 256 - 2))

cat > "$tmp/c.yaml" <<YAML
timeout: 20s
order: plan
probes:
  - probe: latency
    cases: [roundtrip]
    transports: [pipe]
    params: {placement: unpinned, warmup: 0ns, min_time: 2s}
  - probe: latency
    cases: [roundtrip]
    transports: [sysv-msg]
    params: {placement: unpinned, warmup: 0ns, min_time: 5ms}
  - probe: limits
    cases: [sysv_msg]
    transports: [sysv-msg]
YAML
"$runner" run "$tmp/c.yaml" -o "$tmp/run" > "$tmp/out" 2>&1 &
run=$!
setpriv --reuid=65534 --regid=65534 --clear-groups "$tmp/squat" "$tmp/run/run.json" \
	$((run + 1)) "$groups" > "$tmp/squatted" &
squatter=$!
wait "$squatter" || fail "the squatter never saw the token in run.json"
squatter=
read -r made token < "$tmp/squatted"
[ "$made" = $((groups * 256)) ] || fail "the squatter made $made queues, not $((groups * 256))"
grep -q '^\[1/' "$tmp/out" && fail "the squatter was too slow: the first case ended before it did"

# The run's secret, from the pipe case's probe (the runner's own /proc environ predates it).
# Few forks: each takes a pid, which moves the process groups of the cases to come.
probe=
h_wait_alive "$run" "the pipe case's probe" eval 'probe=$(pgrep -P "$run" -x latency)'
secret=$(tr '\0' '\n' < "/proc/$probe/environ" | sed -n 's/^IPCPROBE_RUN_SECRET=//p')

wait "$run"
rc=$?
last=$(cat /proc/sys/kernel/ns_last_pid)
python3 - "$tmp/run/run.json" <<'PY' || { cat "$tmp/out"; fail "the squatter broke the run (exit $rc)"; }
import json, sys
cases = json.load(open(sys.argv[1]))["cases"]
bad = ["%s: %s (%s)" % (c["label"], c["status"], c["reason"]) for c in cases if c["status"] != "ok"]
assert len(cases) == 3 and not bad, "; ".join(bad) or cases
PY
[ $rc -eq 0 ] || { cat "$tmp/out"; fail "the runner exited $rc"; }
[ "$last" -le $((run + groups)) ] ||
	fail "the run used pids up to $last, past the $groups squatted groups after $run"
[ -n "$secret" ] || fail "no IPCPROBE_RUN_SECRET in the probe's environment"
grep -rq "$secret" "$tmp/run" && fail "the secret is written in the run directory: $(grep -rl "$secret" "$tmp/run")"
ls /dev/shm "${TMPDIR:-/tmp}" | grep -q "$secret" && fail "the secret is in an IPC name"

# Part two: the secret known.  The probe waits in a group of its own (setsid) for the squatter
# to take every key of that group; the keys come from the library's own ipc_key_tag().
cat > "$tmp/squat_secret.c" <<'C'
#include <stdio.h>
#include <stdlib.h>
#include <sys/ipc.h>
#include <sys/msg.h>
#include "cleanup.h"
int main(int argc, char **argv)
{
	if (argc != 3)
		return 2;
	unsigned tag = ipc_key_tag(strtoull(argv[1], NULL, 16), atol(argv[2]));
	int made = 0;
	for (int seq = 0; seq < 256; seq++)
		made += msgget(IPC_KEY_MARK | (int)(tag << 8) | seq, IPC_CREAT | IPC_EXCL | 0600) >= 0;
	printf("%d\n", made);
	return 0;
}
C
# Linked with the build's own library: built with the sanitizers (make test-asan), it needs
# their runtimes too.
san=""
nm "$BUILD/libprobe.a" 2>/dev/null | grep -q __asan_init && san="-fsanitize=address,undefined"
${CC:-cc} $san -D_GNU_SOURCE -Iprobes/lib -I"$BUILD/gen" -o "$tmp/squat_secret" "$tmp/squat_secret.c" \
	"$BUILD/libprobe.a" || fail "cannot compile the squatter that knows the secret"
mkfifo "$tmp/go"
IPCPROBE_RUN_TOKEN=$token IPCPROBE_RUN_SECRET=$secret setsid sh -c 'echo $$ > "$1"; read -r go < "$2"
	exec "$3" --case roundtrip --transport sysv-msg --param placement=unpinned \
		--param min_time=5ms --param warmup=0ns' sh "$tmp/group" "$tmp/go" \
	"$(dirname "$runner")/probes/latency" > "$tmp/rec" 2> "$tmp/err" &
probe=$!
h_wait_alive "$probe" "the hand-run probe's process group" test -s "$tmp/group"
group=$(cat "$tmp/group")
taken=$(setpriv --reuid=65534 --regid=65534 --clear-groups "$tmp/squat_secret" "$secret" "$group")
[ "$taken" = 256 ] || fail "the squatter that knows the secret took $taken keys of group $group, not 256"
start=$(date +%s)
echo go > "$tmp/go"
i=0
while h_alive "$probe" && [ $i -lt 200 ]; do sleep 0.05; i=$((i + 1)); done
h_alive "$probe" && { kill -KILL "$probe"; fail "the probe still runs 10 s after its keys were all taken"; }
wait "$probe"
took=$(($(date +%s) - start))
python3 - "$tmp/rec" <<'PY' || { cat "$tmp/err"; fail "the hand-run probe did not fail as it should"; }
import json, sys
recs = [json.loads(l) for l in open(sys.argv[1])]
want = ("sysv-msg: 64 keys in a row already taken (EEXIST): another process holds this run's "
        "keys; see ipcs")
assert recs and all(r["status"] == "failed" and want in r["reason"] for r in recs), recs
PY
echo "test_squatter: with the secret known and group $group's 256 keys taken, the probe failed in ${took}s, saying so"
echo "test_squatter: $made queues of $groups groups (pids $((run + 1))-$((run + groups))) squatted as nobody from token $token (the run's last pid: $last); its sysv-msg cases were ok"
echo "test_squatter: ok"
