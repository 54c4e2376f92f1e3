/* runs.c - several run directories loaded for a report over runs (runs.h). */
#include <stdlib.h>
#include <string.h>

#include "common/vocab.h"
#include "report/lookup.h"
#include "report/runs.h"
#include "store/records.h"

struct run_in *runs_load(const char *const *dirs, int n, char *err, size_t errlen)
{
	struct run_in *r = calloc((size_t)n, sizeof(*r));
	if (!r)
		abort();
	for (int i = 0; i < n; i++) {
		r[i].dir = dirs[i];
		r[i].records = records_load_run(dirs[i], NULL, err, errlen);
		if (r[i].records)
			r[i].meta = records_load_meta(dirs[i], err, errlen);
		if (!r[i].records || !r[i].meta) {
			runs_free(r, n);
			return NULL;
		}
	}
	return r;
}

void runs_free(struct run_in *r, int n)
{
	for (int i = 0; r && i < n; i++) {
		json_decref(r[i].records);
		json_decref(r[i].meta);
	}
	free(r);
}

const char *meta_str(json_t *o, const char *key)
{
	return json_str_or(o, key, "?");
}

double run_median_of(const struct run_in *r, const char *key, const char **unit)
{
	json_t *same = json_array(), *x;
	size_t q;
	*unit = "";
	json_array_foreach(r->records, q, x) {
		char *kx = record_key(x);
		if (!strcmp(kx, key) && str_is(x, "status", "ok")) {
			json_array_append(same, x);
			*unit = json_str_or(x, "unit", "");
		}
		free(kx);
	}
	double m = report_median(same);
	json_decref(same);
	return m;
}
