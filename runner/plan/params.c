/* params.c - a parameter's value in the form the probe takes it, as its --list says
 * (plan.h param_canonical). */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "common/util.h"
#include "param.h"
#include "plan/plan.h"

/* Build a param_desc from a --list parameter description (pointers into json). */
static int desc_from_json(json_t *jp, struct param_desc *d, const char **choices, int max)
{
	memset(d, 0, sizeof(*d));
	d->name = json_string_value(json_object_get(jp, "name"));
	if (param_type_from_name(json_string_value(json_object_get(jp, "type")) ?: "", &d->type) < 0)
		return -1;
	d->def = json_string_value(json_object_get(jp, "default"));
	d->min = json_string_value(json_object_get(jp, "min"));
	d->max = json_string_value(json_object_get(jp, "max"));
	json_t *ch = json_object_get(jp, "choices");
	if (json_is_array(ch)) {
		size_t i;
		json_t *v;
		int n = 0;
		json_array_foreach(ch, i, v) {
			if (n < max - 1)
				choices[n++] = json_string_value(v);
		}
		choices[n] = NULL;
		d->choices = choices;
	}
	return 0;
}

/* Parse text as --list parameter jp describes; canonical text and JSON out. */
int param_canonical(json_t *jp, const char *text, char **ctext, json_t **cjson, char *err,
		     size_t errlen)
{
	struct param_desc d;
	const char *choices[64];
	struct param_value v;
	if (desc_from_json(jp, &d, choices, 64) < 0) {
		snprintf(err, errlen, "the probe describes this parameter with an unknown type");
		return -1;
	}
	if (param_parse(&d, text, &v, err, errlen) < 0)
		return -1;
	switch (d.type) {
	case PT_BOOL:
		*ctext = xstrdup(v.i ? "true" : "false");
		*cjson = json_boolean(v.i);
		break;
	case PT_ENUM:
	case PT_STRING:
		*ctext = xstrdup(v.s);
		*cjson = json_string(v.s);
		break;
	case PT_DURATION:	/* a bare number is not a duration: keep the unit */
		*ctext = xasprintf("%" PRId64 "ns", v.i);
		*cjson = json_integer(v.i);
		break;
	default:
		*ctext = xasprintf("%" PRId64, v.i);
		*cjson = json_integer(v.i);
		break;
	}
	return 0;
}
