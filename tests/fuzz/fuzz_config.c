/* fuzz_config.c - libFuzzer target: the config loader and validator (runner/config.c) on
 * arbitrary bytes.  Every input must end in a plan or in one error message; the sanitizers
 * catch the rest.  The probes' --list descriptions come from a built tree (build/ by default,
 * IPCPROBE_FUZZ_RUNNER=path/to/ipcprobe otherwise) and are read once, then cached. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "config/config.h"
#include "catalog/probes.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	const char *runner = getenv("IPCPROBE_FUZZ_RUNNER");
	probes_init(runner ? runner : "build/ipcprobe");
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct config cfg;
	char err[2048];
	err[0] = '\0';
	if (config_load_text("fuzz.yaml", (const char *)data, size, &cfg, err, sizeof(err)) == 0)
		config_free(&cfg);
	else if (strncmp(err, "fuzz.yaml", 9) != 0)
		abort();	/* an error must name the file (and then line and column) */
	return 0;
}
