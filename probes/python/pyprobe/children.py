"""children - the processes a case starts: the multiprocessing context (the "fork" start
method where it exists), children that die with the probe (PR_SET_PDEATHSIG through ctypes
where libc has prctl, else a lifeline pipe), and a SyncManager whose server does the same.
Each is registered with cleanup, so it is stopped and reaped on every exit path.

MP and START_METHOD are set by mp_init(); read them as children.MP, at call time."""

import multiprocessing
import multiprocessing.managers
import os
import signal
import sys
import threading

from . import cleanup
from .placement import pin_self

try:
    import ctypes
except ImportError:
    ctypes = None

MP = None            # the multiprocessing context
START_METHOD = None
_life_r = _life_w = None
_prctl = None


def mp_init(start_method=None):
    """Choose the start method ('fork' where available, unless start_method names one: the
    package's own tests try spawn and forkserver), open the lifeline, find prctl."""
    global MP, START_METHOD, _life_r, _life_w, _prctl
    methods = multiprocessing.get_all_start_methods()
    START_METHOD = start_method or ("fork" if "fork" in methods
                                    else multiprocessing.get_start_method())
    MP = multiprocessing.get_context(START_METHOD)
    if ctypes is not None:
        try:
            _prctl = ctypes.CDLL(None, use_errno=True).prctl
        except (OSError, AttributeError):
            _prctl = None
    if _prctl is None and START_METHOD == "fork":
        _life_r, _life_w = os.pipe()


def _lifeline_watch(fd):
    try:
        while os.read(fd, 1):
            pass
    except OSError:
        pass
    os._exit(1)


def child_init(parent=None):
    """First thing in every child: forget the parent's cleanups, die with the parent."""
    cleanup.forget_inherited()
    for s in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP):
        signal.signal(s, signal.SIG_DFL)
    if _prctl is not None:
        PR_SET_PDEATHSIG = 1  # Linux <sys/prctl.h>; prctl exists in libc only there
        if _prctl(PR_SET_PDEATHSIG, int(signal.SIGKILL), 0, 0, 0) == 0:
            if parent is not None and os.getppid() != parent:
                os._exit(1)  # the parent died before prctl took effect
            return
    if _life_w is not None:
        os.close(_life_w)
        threading.Thread(target=_lifeline_watch, args=(_life_r,), daemon=True).start()


def _child_main(parent, fn, args, cpu):
    child_init(parent)
    pin_self(cpu)
    fn(*args)


def start_child(fn, *args, cpu=None):
    """Start a child process running fn(*args), on CPU cpu alone if it is not None; it is
    terminated and reaped on cleanup."""
    sys.stdout.flush()
    sys.stderr.flush()
    p = MP.Process(target=_child_main, args=(os.getpid(), fn, args, cpu), daemon=True)
    p.start()
    p._ipc_cleanup = cleanup.cleanup_add("child %d" % p.pid, lambda: _stop_child(p))
    return p


def _stop_child(p):
    if p.exitcode is None:
        p.terminate()
        p.join(2)
    if p.exitcode is None:
        p.kill()
        p.join(5)


def reap_child(p, timeout_s=10.0):
    """Wait for p to end (killing it after timeout_s); returns its exit code."""
    p.join(timeout_s)
    cleanup.cleanup_remove(p._ipc_cleanup)
    return p.exitcode


def _manager_init(parent, cpu):
    child_init(parent)
    pin_self(cpu)


def start_manager(cpu=None):
    """A SyncManager whose server process dies with the probe (on CPU cpu alone if it is not
    None); shut down on cleanup."""
    sys.stdout.flush()
    m = multiprocessing.managers.SyncManager(ctx=MP)
    m.start(_manager_init, (os.getpid(), cpu))
    m._ipc_cleanup = cleanup.cleanup_add("manager", m.shutdown)
    return m


def stop_manager(m):
    cleanup.cleanup_remove(m._ipc_cleanup)


def recv_within(conn, timeout_s, what):
    """conn.recv() with a deadline: RuntimeError naming what did not arrive."""
    if not conn.poll(timeout_s):
        raise RuntimeError("no %s within %.1f s" % (what, timeout_s))
    return conn.recv()
