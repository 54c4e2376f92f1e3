/* gbench.h - the Google Benchmark (1.7.1) glue of the latency and throughput probes: set its
 * flags, run the registered benchmark, and keep what its JSONReporter writes, so that each
 * record carries its benchmark's entry exactly as gbench.json has it.
 *
 * A record gets facts.gbench (one entry of JSONReporter's "benchmarks") and
 * facts.gbench_context (JSONReporter's "context"); the runner assembles gbench.json
 * {"context": .., "benchmarks": [..]} from them.  Our own figures are counters named
 * ipcprobe_*, which cannot collide with Google Benchmark's keys. */
#ifndef IPCPROBE_GBENCH_H
#define IPCPROBE_GBENCH_H

#include <benchmark/benchmark.h>
#include <jansson.h>

#include "probe.h"
#include "stats.h"

/* Initialise Google Benchmark once per process: min_time_s is its --benchmark_min_time,
 * which 1.7.1 takes in plain seconds. */
void gbench_init(const char *argv0, double min_time_s);

/* Run every registered benchmark (the probes register one) through a JSONReporter writing
 * into memory.  On 0, *context and *entry (the last "iteration" run) belong to the caller;
 * on -1, err says why (no entry, or JSON jansson cannot read). */
int gbench_run(json_t **context, json_t **entry, char *err, size_t errlen);

/* The error_message of an entry whose error_occurred is true (1.7.1 still exits 0), else
 * NULL.  Points into entry. */
const char *gbench_error(json_t *entry);

/* Put the entry and the context under the record's facts; takes ownership of both. */
void gbench_attach(struct rec *r, json_t *context, json_t *entry);

/* Set the distribution as counters ipcprobe_n, ipcprobe_min_ns, ipcprobe_p50_ns, ...
 * (undefined figures are left out: Google Benchmark would print NaN). */
void gbench_dist_counters(benchmark::State &st, const struct stats *s);

#endif
