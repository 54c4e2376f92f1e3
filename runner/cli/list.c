/* list.c - `ipcprobe list [PROBE] [--json]`: what each probe measures, rendered from the
 * probes' own --list descriptions. */
#include <stdio.h>
#include <string.h>

#include "cli/commands.h"
#include "common/options.h"
#include "catalog/probes.h"

static const char *str(json_t *o, const char *key)
{
	const char *s = json_string_value(json_object_get(o, key));
	return s ? s : "";
}

static void print_probe(const struct probe_info *p)
{
	json_t *c, *m, *prm, *t;
	size_t i, k;
	printf("%s — %s\n", p->name, str(p->list, "help"));
	json_array_foreach(json_object_get(p->list, "cases"), i, c) {
		printf("\n  case %s: %s\n", str(c, "name"), str(c, "help"));
		json_t *trs = json_object_get(c, "transports");
		if (json_array_size(trs)) {
			printf("    transports:");
			json_array_foreach(trs, k, t)
				printf(" %s", json_string_value(t));
			printf("\n");
		}
		json_array_foreach(json_object_get(c, "metrics"), k, m)
			printf("    metric %-20s %-12s %-7s %s\n", str(m, "name"), str(m, "unit"),
			       str(m, "direction"), str(m, "help"));
		json_array_foreach(json_object_get(c, "params"), k, prm) {
			char range[160] = "";
			json_t *ch = json_object_get(prm, "choices"), *v;
			size_t q;
			if (json_is_array(ch)) {
				json_array_foreach(ch, q, v)
					snprintf(range + strlen(range), sizeof(range) - strlen(range),
						 "%s%s", q ? "|" : "", json_string_value(v));
			} else if (json_is_string(json_object_get(prm, "min")) ||
				   json_is_string(json_object_get(prm, "max"))) {
				snprintf(range, sizeof(range), "%s..%s", str(prm, "min"),
					 str(prm, "max"));
			}
			printf("    param  %-20s %-8s default %-8s %-18s %s\n", str(prm, "name"),
			       str(prm, "type"), str(prm, "default"), range, str(prm, "help"));
		}
	}
	printf("\n");
}

int cmd_list(int argc, char **argv)
{
	int as_json = 0, c;
	const char *only = NULL, *v;
	char err[1024];
	struct opt_iter it;
	opt_begin(&it, argc, argv);
	while ((c = opt_next(&it, &v)) != OPT_END) {
		if (c == OPT_STOP)
			return it.status;
		if (c == OPT_JSON)
			as_json = 1;
		else if (c == OPT_ARG && !only)
			only = v;
		else if (c == OPT_ARG)
			return opt_bad_usage("list", "unexpected argument %s (one PROBE, or none: "
					     "every probe)", v);
	}
	json_t *all = json_array();
	int rc = EXIT_ALL_OK;
	const char *const *names = probes_names();
	for (int i = 0; names[i] || (only && i == 0); i++) {
		const char *name = only ? only : names[i];
		struct probe_info *p = probes_get(name, err, sizeof(err));
		if (!p) {
			fprintf(stderr, "ipcprobe list: %s\n", err);
			rc = only ? EXIT_BAD_INPUT : EXIT_CASE_FAILED;
		} else if (as_json) {
			json_array_append(all, p->list);
		} else {
			print_probe(p);
		}
		if (only)
			break;
	}
	if (as_json && json_array_size(all)) {
		json_dumpf(all, stdout, JSON_INDENT(2));
		printf("\n");
	}
	json_decref(all);
	return rc;
}
