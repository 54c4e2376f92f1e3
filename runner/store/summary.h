/* summary.h - summary.json: each figure of a run over its repetitions, for machines to read.
 * One entry per figure (probe, case, transport, metric, parameters, interpreter): how many
 * repetitions count (the ones store/reps.h chooses, as the report, compare and the exports
 * do), how many were left out as disturbed or not ok, whether every one was disturbed, the
 * median and its distribution-free 95% interval (ci.h) with its exact level, the relative
 * half-width, min and max, and the modes of the repetitions' values when they are clearly more
 * than one (20 or more repetitions). */
#ifndef IPCPROBE_SUMMARY_H
#define IPCPROBE_SUMMARY_H

#include <jansson.h>

/* {"schema":1, "interval_method":..., "figures":[...]} from a run's records. */
json_t *summary_of(json_t *records);

#endif
