"""shm - shared_memory blocks of ours: created under an IPC name the runner's sweep knows,
unlinked on cleanup; attached untracked where Python allows; and the resource tracker started
before any child is forked.  SHM_MISSING says why there are none (None when there are)."""

from . import cleanup

try:
    from multiprocessing import shared_memory
except ImportError as _e:
    shared_memory = None
    SHM_MISSING = "multiprocessing.shared_memory is not available: %s" % _e
else:
    SHM_MISSING = None

def shm_tracker_start():
    """Start the parent's resource tracker before any child is forked, so that children share
    it (a child forked earlier would start its own, which then warns about blocks it never
    saw unlinked)."""
    try:
        from multiprocessing import resource_tracker
        resource_tracker.ensure_running()
    except (ImportError, AttributeError):
        pass


def attach_shm(name):
    """Attach to a block a parent created (untracked where Python lets us say so, 3.13+)."""
    try:
        return shared_memory.SharedMemory(name=name, track=False)
    except TypeError:
        return shared_memory.SharedMemory(name=name)


def new_shm(size):
    """A shared_memory block of ours, unlinked on cleanup."""
    shm = shared_memory.SharedMemory(name=cleanup.ipc_name(), create=True, size=size)
    shm._ipc_cleanup = cleanup.cleanup_add("shm " + shm.name, lambda: _drop_shm(shm))
    return shm


def _drop_shm(shm):
    try:
        shm.close()
    except BufferError:
        pass  # a memoryview still exported; the mapping goes with the process
    shm.unlink()


def free_shm(shm):
    cleanup.cleanup_remove(shm._ipc_cleanup)
