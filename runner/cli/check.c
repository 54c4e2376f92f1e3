/* check.c - `ipcprobe check CONFIG... [--plan]`: validate configs without running anything,
 * and show what a run would execute.  For editing configs, for CI lint steps, and for the
 * fuzzer's crashers (every one must come back as a clean error). */
#include <stdio.h>
#include <string.h>

#include "cli/commands.h"
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

int cmd_check(int argc, char **argv)
{
	int plan = 0, bad = 0, n = 0;
	char err[2048];
	for (int i = 1; i < argc; i++)
		if (strcmp(argv[i], "--plan") == 0)
			plan = 1;
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--plan") == 0)
			continue;
		struct config cfg;
		n++;
		if (config_load(argv[i], &cfg, err, sizeof(err)) < 0) {
			fprintf(stderr, "%s\n", err);
			bad++;
			continue;
		}
		printf("%s: ok: %zu cases x %d repetitions = %zu case runs\n", argv[i], cfg.ncases,
		       cfg.repetitions, cfg.ncases * (size_t)cfg.repetitions);
		if (plan)
			print_plan(&cfg);
		config_free(&cfg);
	}
	if (n == 0) {
		fprintf(stderr, "usage: ipcprobe check CONFIG... [--plan]\n");
		return EXIT_BAD_INPUT;
	}
	return bad ? EXIT_BAD_INPUT : EXIT_ALL_OK;
}
