/* fuzz_records.c - libFuzzer target: the record reader that report, compare and export use
 * (runner/records.c), on arbitrary bytes, as a finished and as a killed run's file; each
 * accepted record also goes through record_key(), which compare matches runs by. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "store/records.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char err[2048];
	for (int cut_tail_ok = 0; cut_tail_ok <= 1; cut_tail_ok++) {
		err[0] = '\0';
		json_t *all = records_parse("fuzz.jsonl", (const char *)data, size, cut_tail_ok,
					    err, sizeof(err));
		if (!all) {
			if (strncmp(err, "fuzz.jsonl:", 11) != 0)
				abort();	/* an error must name file, line and column */
			continue;
		}
		size_t i;
		json_t *r;
		json_array_foreach(all, i, r)
			free(record_key(r));
		json_decref(all);
	}
	return 0;
}
