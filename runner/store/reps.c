/* reps.c - see reps.h. */
#include "store/reps.h"

#include <string.h>

#include "store/records.h"

int reps_load_sensitive(json_t *r)
{
	const char *dir = json_string_value(json_object_get(r, "direction"));
	const char *unit = json_string_value(json_object_get(r, "unit"));
	return (dir && strcmp(dir, "none")) || (unit && !strcmp(unit, "ratio"));
}

static int is_repetition(json_t *r)
{
	const char *st = json_string_value(json_object_get(r, "status"));
	return st && !strcmp(st, "ok") && json_is_number(json_object_get(r, "value"));
}

/* Disturbed in the sense that matters: a fact of a disturbed case run is still true. */
static int counts_as_disturbed(json_t *r)
{
	return record_disturbed(r) && reps_load_sensitive(r);
}

void reps_choose(json_t *recs, struct reps *out)
{
	json_t *r;
	size_t i, reps = 0, calm = 0;
	json_array_foreach(recs, i, r) {
		if (!is_repetition(r))
			continue;
		reps++;
		calm += !counts_as_disturbed(r);
	}
	out->chosen = json_array();
	out->all_disturbed = reps > 0 && calm == 0;
	out->left_out = calm ? reps - calm : 0;
	json_array_foreach(recs, i, r)
		if (is_repetition(r) && (!calm || !counts_as_disturbed(r)))
			json_array_append(out->chosen, r);
}

void reps_release(struct reps *s)
{
	json_decref(s->chosen);
	s->chosen = NULL;
}
