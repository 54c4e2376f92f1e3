"""cli - the probe's command line: --list (the case table as JSON), --case NAME with its
--param KEY=VALUE checked against the table, and one case run with every exit path cleaned
up (probes/lib/probe.h: exit 0 measured, 1 failed, 2 bad arguments, 3 unsupported)."""

import json
import sys

from . import children, cleanup
from .cases import CASES
from .contract import (EXIT_FAILED, EXIT_OK, EXIT_UNSUPPORTED, EXIT_USAGE, PROBE, SCHEMA,
                       Unsupported, UsageError, log)
from .params import closest_name
from .records import Ctx


def describe():
    return {"schema": SCHEMA, "probe": PROBE,
            "help": "Python's multiprocessing one layer above the OS: send_bytes limits, "
                    "blocking, Queue behaviour, latency, Manager overhead, large data, "
                    "descriptors",
            "cases": [c.describe() for c in CASES]}


def parse_args(argv):
    """(case, canonical params) from argv, or ('--list', None); UsageError otherwise."""
    case_name, kv = None, []
    i = 0
    while i < len(argv):
        a = argv[i]
        if a == "--list":
            return "--list", None
        if i + 1 >= len(argv):
            raise UsageError("%s needs a value or is unknown" % a)
        if a == "--case":
            case_name = argv[i + 1]
        elif a == "--transport":
            raise UsageError("the python probe's cases take no transport (got --transport %s)"
                             % argv[i + 1])
        elif a == "--param":
            kv.append(argv[i + 1])
        else:
            raise UsageError("unknown argument %s" % a)
        i += 2
    if case_name is None:
        raise UsageError("--case or --list is required")
    case = next((c for c in CASES if c.name == case_name), None)
    if case is None:
        near = closest_name(case_name, [c.name for c in CASES])
        raise UsageError("no case named %s%s" % (case_name,
                                                 "; did you mean %s?" % near if near else ""))
    values = {}
    for p in case.params:
        try:
            values[p.name] = p.parse(p.default)
        except ValueError as e:
            raise UsageError("default of %s is invalid (a bug): %s" % (p.name, e))
    by_name = {p.name: p for p in case.params}
    for item in kv:
        key, eq, text = item.partition("=")
        if not eq:
            raise UsageError("--param %s: expected KEY=VALUE" % item)
        if key not in by_name:
            raise UsageError("case %s has no parameter %s" % (case.name, key))
        try:
            values[key] = by_name[key].parse(text)
        except ValueError as e:
            raise UsageError("--param %s: %s" % (key, e))
    return case, values


def main(argv, start_method=None):
    """Run the probe on argv (without the program name); returns the exit status.  The start
    method is multiprocessing's "fork" where it exists unless start_method names another."""
    try:
        case, values = parse_args(argv)
    except UsageError as e:
        sys.stderr.write("%s: %s\nusage: %s --list\n       %s --case NAME [--param KEY=VALUE]...\n"
                         % (PROBE, e, PROBE, PROBE))
        return EXIT_USAGE
    if case == "--list":
        json.dump(describe(), sys.stdout, indent=1)
        sys.stdout.write("\n")
        return EXIT_OK
    cleanup.catch_signals()
    children.mp_init(start_method)
    return run_case(case, values)


def run_case(case, values):
    """Run one case: its records, or one failed or unsupported record for its headline."""
    ctx = Ctx(case, values)
    try:
        rc = case.run(ctx)
    except Unsupported as e:
        log("%s: unsupported: %s" % (case.name, e))
        ctx.record(case.metrics[0].name, status="unsupported", reason=str(e))
        rc = EXIT_UNSUPPORTED
    except Exception as e:
        import traceback
        traceback.print_exc()
        reason = "%s: %s" % (type(e).__name__, e)
        log("%s: failed: %s" % (case.name, reason))
        ctx.record(case.metrics[0].name, status="failed", reason=reason)
        rc = EXIT_FAILED
    finally:
        cleanup.cleanup_run()
    return rc
