/* gbench.cc - see gbench.h. */
#include "gbench.h"

#include <cmath>
#include <cstdio>
#include <iostream>
#include <new>
#include <sstream>
#include <string>

#include "alloc.h"

/* operator new that finds no memory ends the probe as every other allocation does (alloc.h),
 * instead of std::bad_alloc's terminate() and SIGABRT. */
static void no_memory()
{
	probe_out_of_memory(0, "operator new (C++)");
}
[[maybe_unused]] static const bool new_handler_set = (std::set_new_handler(no_memory), true);

void gbench_init(const char *argv0, double min_time_s)
{
	static std::string prog, min_time;
	char buf[64];
	snprintf(buf, sizeof(buf), "--benchmark_min_time=%.9g", min_time_s);
	prog = argv0;
	min_time = buf;
	char *argv[] = { &prog[0], &min_time[0], nullptr };
	int argc = 2;
	benchmark::Initialize(&argc, argv);
}

int gbench_run(json_t **context, json_t **entry, char *err, size_t errlen)
{
	std::ostringstream out;
	benchmark::JSONReporter rep;
	rep.SetOutputStream(&out);
	rep.SetErrorStream(&std::cerr);
	benchmark::RunSpecifiedBenchmarks(&rep);
	benchmark::ClearRegisteredBenchmarks();

	json_error_t jerr;
	json_t *doc = json_loads(out.str().c_str(), 0, &jerr);
	*context = *entry = nullptr;
	if (!doc) {
		snprintf(err, errlen, "Google Benchmark's JSON does not parse: %s at line %d",
			 jerr.text, jerr.line);
		return -1;
	}
	json_t *runs = json_object_get(doc, "benchmarks");
	for (size_t i = 0; i < json_array_size(runs); i++) {
		json_t *r = json_array_get(runs, i);
		const char *type = json_string_value(json_object_get(r, "run_type"));
		if (!type || std::string(type) == "iteration")
			*entry = r;
	}
	if (!*entry) {
		snprintf(err, errlen, "Google Benchmark reported no run (was a benchmark "
				      "registered?)");
		json_decref(doc);
		return -1;
	}
	json_incref(*entry);
	*context = json_incref(json_object_get(doc, "context"));
	json_decref(doc);
	return 0;
}

const char *gbench_error(json_t *entry)
{
	if (!json_is_true(json_object_get(entry, "error_occurred")))
		return nullptr;
	const char *m = json_string_value(json_object_get(entry, "error_message"));
	return m ? m : "Google Benchmark reported an error without a message";
}

void gbench_attach(struct rec *r, json_t *context, json_t *entry)
{
	rec_set(r, "gbench", entry);
	rec_set(r, "gbench_context", context);
}

void gbench_dist_counters(benchmark::State &st, const struct stats *s)
{
	const struct {
		const char *name;
		double v;
	} c[] = {
		{ "ipcprobe_n", (double)s->n },		{ "ipcprobe_min_ns", s->min },
		{ "ipcprobe_p50_ns", s->p50 },		{ "ipcprobe_p90_ns", s->p90 },
		{ "ipcprobe_p99_ns", s->p99 },		{ "ipcprobe_p999_ns", s->p999 },
		{ "ipcprobe_max_ns", s->max },		{ "ipcprobe_mean_ns", s->mean },
		{ "ipcprobe_stddev_ns", s->stddev },
	};
	for (const auto &k : c)
		if (std::isfinite(k.v))
			st.counters[k.name] = benchmark::Counter(k.v);
}
