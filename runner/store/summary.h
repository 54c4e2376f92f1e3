/* summary.h - summary.json: each figure of a run over its repetitions, for machines to read.
 * One entry per figure (probe, case, transport, metric, parameters, interpreter): how many ok
 * repetitions count, how many were left out as disturbed or failed, the median and its
 * distribution-free 95% interval (ci.h) with its exact level, the relative half-width, min and
 * max, and the modes of the repetitions' values when they are clearly more than one (20 or
 * more repetitions).  compare judges by the same numbers. */
#ifndef IPCPROBE_SUMMARY_H
#define IPCPROBE_SUMMARY_H

#include <jansson.h>

/* {"schema":1, "interval_method":..., "figures":[...]} from a run's records. */
json_t *summary_of(json_t *records);

#endif
