"""contract - what every case of the python probe shares: its name, the record schema, the
exit codes, the two errors a case or the arguments may raise, and the table rows (Metric, Case)
that --list describes and the records follow."""

import sys

PROBE = "python"
SCHEMA = 1
EXIT_OK, EXIT_FAILED, EXIT_USAGE, EXIT_UNSUPPORTED = 0, 1, 2, 3


class UsageError(Exception):
    """Bad arguments: the message goes to stderr and the probe exits 2."""


class Unsupported(Exception):
    """The headline cannot be measured here: one 'unsupported' record, exit 3."""


class Metric:
    def __init__(self, name, unit, direction, help):
        assert unit in ("ns", "bytes", "bytes_per_s", "ops_per_s", "count", "ratio"), unit
        assert direction in ("lower", "higher", "none"), direction
        self.name, self.unit, self.direction, self.help = name, unit, direction, help


class Case:
    """A case: one row.  The first metric is the headline (failure and unsupported records)."""

    def __init__(self, name, help, metrics, params, run):
        self.name, self.help, self.metrics, self.params, self.run = (name, help, metrics, params,
                                                                     run)

    def describe(self):
        return {"name": self.name, "help": self.help,
                "metrics": [{"name": m.name, "unit": m.unit, "direction": m.direction,
                             "help": m.help} for m in self.metrics],
                "transports": [], "params": [p.describe() for p in self.params]}


def log(msg):
    sys.stderr.write("%s: %s\n" % (PROBE, msg))
    sys.stderr.flush()
