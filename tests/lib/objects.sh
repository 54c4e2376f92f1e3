# objects.sh - sourced: the objects an e2e test can leave behind, in its scope (scope.sh says
# which).  e2e_objects prints one "KIND NAME" line per object: shm and mq names, SysV objects,
# files in the test's TMPDIR, and live processes of ours; e2e_ipc prints the IPC objects only.
# In private namespaces (IPCPROBE_E2E_SCOPE starts with "private") every object seen is the
# test's; elsewhere the files this user owns, the SysV objects whose owner is this user, and
# the processes carrying the test's IPCPROBE_E2E_TAG.
BUILD=${BUILD:-build}
E2E_MQUEUE=${E2E_MQUEUE:-/dev/mqueue}
e2e_me=$(id -u) e2e_me_name=$(id -un)
e2e_all=0
case ${IPCPROBE_E2E_SCOPE:-} in private*) e2e_all=1 ;; esac

# The processes of ours: the runner, its watchman, the test probe, and every probe built into
# $BUILD/probes (the one list of probes is the probes/ folder; see the Makefile).
e2e_ours="ipcprobe|ipcprobe-watch|selftest$(cd "$BUILD/probes" 2>/dev/null && for f in *; do
	case $f in *.*) continue ;; esac
	[ -f "$f" ] && [ -x "$f" ] && printf '|%s' "$f"
done)"

# Is the file $1 the test's to judge?
e2e_judged() {
	[ $e2e_all = 1 ] && return 0
	[ "$(stat -c %u "$1" 2>/dev/null || stat -f %u "$1" 2>/dev/null)" = "$e2e_me" ]
}

# "KIND NAME" for the names in directory $1, hidden ones too (not the mqueue mount point).
e2e_names() {
	[ -d "$1" ] || return 0
	for f in "$1"/* "$1"/.[!.]* "$1"/..?*; do
		[ -e "$f" ] || [ -L "$f" ] || continue
		[ "$f" = "$E2E_MQUEUE" ] && continue
		e2e_judged "$f" && echo "$2 ${f##*/}"
	done
}

# SysV objects (ipcs: key id owner ...).
e2e_sysv() {
	ipcs 2>/dev/null | awk -v all=$e2e_all -v u="$e2e_me_name" \
		'$1 ~ /^0x/ && (all || $3 == u) {print "sysv", $1, $2}'
}

# Live processes of ours (zombies are dead, and an init may never reap an orphan).
e2e_processes() {
	if [ $e2e_all = 1 ] || [ ! -r /proc/self/environ ]; then
		ps -eo stat=,comm= 2>/dev/null |
			awk -v ours="^($e2e_ours)\$" '$1 !~ /^Z/ && $2 ~ ours {print "proc", $2}'
		return
	fi
	for p in /proc/[0-9]*; do
		grep -qa "IPCPROBE_E2E_TAG=$IPCPROBE_E2E_TAG" "$p/environ" 2>/dev/null || continue
		state=$(sed 's/.*) //' "$p/stat" 2>/dev/null | cut -d' ' -f1)
		comm=$(cat "$p/comm" 2>/dev/null)
		[ "$state" = Z ] && continue
		echo "$comm" | grep -Eqx "$e2e_ours" && echo "proc $comm"
	done
}

e2e_ipc() {
	e2e_names /dev/shm shm
	e2e_names "$E2E_MQUEUE" mq
	e2e_sysv
}

e2e_objects() {
	e2e_ipc
	e2e_names "${TMPDIR:-/tmp}" tmp
	e2e_processes
}
