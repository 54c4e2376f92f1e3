"""pyprobe - the `python` probe: Python's multiprocessing measured one layer above the OS.

Follows the probe contract of probes/lib/probe.h (docs/design.md "Probes", "A record"):

    python build/probes/python --list
    python build/probes/python --case NAME [--param KEY=VALUE]...

One JSON record per line on stdout, diagnostics on stderr; exit 0 measured, 1 failed, 2 bad
arguments, 3 unsupported (a record with the reason is still printed).  Cases take no transport:
the Python mechanism (Pipe kind, Queue kind, ...) is the `mechanism` parameter where a case
measures one mechanism, and part of the metric name where a case compares several.

Standard library only; CPython 3.8+ and PyPy3.  Children use the "fork" start method where it
exists; they die with the probe (PR_SET_PDEATHSIG through ctypes where libc has prctl, else a
lifeline pipe), and every child, shared_memory block and temporary file is removed on every
exit path, SIGTERM included.

The contract, apart from the cases:
    contract   the probe's name, schema, exit codes, errors, Metric and Case (a table row)
    params     parameter syntax and messages, the twin of probes/lib/param.c
    records    one record per line: Ctx.record, the dist object, the interpreter's facts
    cleanup    every child, block and file registered and removed on every exit; IPC names
    children   the start method, children that die with the probe, the Manager
    shm        shared_memory blocks of ours (created, attached, unlinked)
    measure    helpers the cases share: payloads, Pipes, FIONREAD, timer cost, exceptions
    cli        --list, the arguments, running one case
The cases, one module per family in cases/, each ending in its table row; cases/__init__.py
lists them in --list order.
"""
