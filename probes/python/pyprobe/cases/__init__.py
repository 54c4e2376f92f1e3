"""cases - the python probe's cases, one module per family, each ending in its table row
(CASE); CASES is the table in the order --list shows it."""

from . import (blocking, descriptors, large_data, latency, manager_ops, queue_put,
               send_bytes_limit)

CASES = [send_bytes_limit.CASE, blocking.CASE, queue_put.CASE, latency.CASE, manager_ops.CASE,
         large_data.CASE, descriptors.CASE]
