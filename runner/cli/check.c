/* check.c - `ipcprobe check CONFIG... [--plan]`: validate configs without running anything,
 * and show what a run would execute.  For editing configs, for CI lint steps, and for the
 * fuzzer's crashers (every one must come back as a clean error). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/commands.h"
#include "common/options.h"
#include "config/config.h"

static void print_plan(const struct config *cfg)
{
	for (size_t i = 0; i < cfg->ncases; i++) {
		const struct plan_case *pc = &cfg->cases[i];
		printf("  %s", pc->interpreter ? pc->interpreter : "");
		printf("%s%s --case %s", pc->interpreter ? " " : "", pc->probe->path, pc->case_name);
		if (pc->transport)
			printf(" --transport %s", pc->transport);
		for (size_t k = 0; k < pc->nparams; k++)
			printf(" --param %s=%s", pc->params[k].key, pc->params[k].text);
		printf("\n");
	}
}

/* One config: "FILE: ok: ..." (and its plan), or every error in it on stderr, each as
 * FILE:LINE:COLUMN: KEY: message (config.h).  0, or -1. */
static int check_one(const char *path, int plan)
{
	struct config cfg;
	char err[CONFIG_ERRLEN];
	if (config_load(path, &cfg, err, sizeof(err)) < 0) {
		fprintf(stderr, "%s\n", err);	/* every error found, one a line */
		return -1;
	}
	printf("%s: ok: %zu cases x %d repetitions = %zu case runs\n", path, cfg.ncases,
	       cfg.repetitions, cfg.ncases * (size_t)cfg.repetitions);
	if (plan)
		print_plan(&cfg);
	config_free(&cfg);
	return 0;
}

int cmd_check(int argc, char **argv)
{
	struct opt_iter it;
	const char *v;
	int plan = 0, bad = 0, n = 0, c;
	char **paths = calloc((size_t)argc, sizeof(*paths));
	if (!paths)
		abort();
	opt_begin(&it, argc, argv);
	while ((c = opt_next(&it, &v)) != OPT_END) {
		if (c == OPT_STOP) {
			free(paths);
			return it.status;
		}
		if (c == OPT_PLAN)
			plan = 1;
		else if (c == OPT_ARG)
			paths[n++] = (char *)v;
	}
	for (int i = 0; i < n; i++)
		bad += check_one(paths[i], plan) < 0;
	free(paths);
	if (n == 0)
		return opt_bad_usage("check", "no CONFIG given");
	return bad ? EXIT_BAD_INPUT : EXIT_ALL_OK;
}
