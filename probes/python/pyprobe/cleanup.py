"""cleanup - every child, shared_memory block and file a case creates is registered here and
removed on every exit path of the process that created it, SIGTERM included; and the names
IPC objects get, which the runner's sweep recognises (probes/lib/cleanup.c)."""

import itertools
import os
import signal

from .contract import log

_owner = os.getpid()
_cleanups = {}
_cleanup_seq = itertools.count()
_name_seq = itertools.count()


def cleanup_add(what, fn):
    """Register fn (no arguments) to undo what; returns a handle for cleanup_remove()."""
    h = next(_cleanup_seq)
    _cleanups[h] = (what, fn)
    return h


def cleanup_remove(h):
    """Undo the registered object now (once) and forget it."""
    entry = _cleanups.pop(h, None)
    if entry:
        try:
            entry[1]()
        except Exception as e:  # cleanup goes on with the next object
            log("cleanup of %s: %s: %s" % (entry[0], type(e).__name__, e))


def cleanup_run():
    """Undo everything still registered by this process, newest first."""
    if os.getpid() != _owner:
        return
    for h in sorted(_cleanups, reverse=True):
        cleanup_remove(h)


def forget_inherited():
    """In a new child: what the parent registered is the parent's to undo, not the child's."""
    global _owner
    _owner = os.getpid()
    _cleanups.clear()


def catch_signals():
    """From now on SIGTERM, SIGINT and SIGHUP clean up first (see _on_signal)."""
    for s in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP):
        signal.signal(s, _on_signal)


def _on_signal(signum, frame):
    """SIGTERM/SIGINT/SIGHUP: clean up, then die of the same signal."""
    if os.getpid() == _owner:
        for s in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP):
            signal.signal(s, signal.SIG_IGN)
        cleanup_run()
    signal.signal(signum, signal.SIG_DFL)
    os.kill(os.getpid(), signum)


def run_token():
    """IPCPROBE_RUN_TOKEN when it is 1 to 16 hex digits (the runner sets it), else "0"."""
    t = os.environ.get("IPCPROBE_RUN_TOKEN", "")
    return t if 1 <= len(t) <= 16 and all(c in "0123456789abcdef" for c in t) else "0"


def ipc_name():
    """A unique IPC name 'ipcprobe-<token>-<pgid>-<pid>-<seq>' (probes/lib/cleanup.c: the
    runner sweeps by the run's token and the process group)."""
    return "ipcprobe-%s-%d-%d-%d" % (run_token(), os.getpgrp(), os.getpid(), next(_name_seq))


def ipc_path(suffix):
    d = os.environ.get("TMPDIR") or "/tmp"
    return os.path.join(d, ipc_name() + suffix)
