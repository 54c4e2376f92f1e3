#!/bin/sh
# deps.sh PKG... - install the Debian packages that are missing (apt-get as root, sudo
# otherwise); when neither is possible, print the exact command and fail.
missing=""
for p in "$@"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" ||
		missing="$missing $p"
done
[ -z "$missing" ] && exit 0
if ! command -v apt-get >/dev/null 2>&1; then
	echo "deps: missing:$missing" >&2
	echo "deps: this is not a Debian system; install the equivalents of:$missing" >&2
	exit 1
fi
echo "deps: installing:$missing"
if [ "$(id -u)" = 0 ]; then
	SUDO=""
elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
	SUDO="sudo"
else
	echo "deps: cannot install as $(id -un) (not root, no password-less sudo). Run:" >&2
	echo "  sudo apt-get update && sudo apt-get install -y$missing" >&2
	exit 1
fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get install -y -q $missing >/dev/null 2>&1 ||
	{ $SUDO apt-get update -q >/dev/null && $SUDO apt-get install -y -q $missing; } || {
	echo "deps: apt-get failed; run: ${SUDO:+sudo }apt-get update && ${SUDO:+sudo }apt-get install -y$missing" >&2
	exit 1
}
