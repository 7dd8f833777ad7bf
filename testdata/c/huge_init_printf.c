/* huge_init_printf: extraction; plugin_init prints 5 MB on stdout (81920 lines of 63 'p's and a newline) and succeeds. Expected: valid, isolated and in process alike; isolated, the first 4 MiB of that output reach plugincheck's stderr, then a truncation note. */
#define FIXTURE_NAME "huge_init_printf"
#define FIXTURE_EXTRACTION
#define FIXTURE_INIT_HOOK
#include "fixture.h"

static ss_plugin_rc fixture_init_hook(fx_state *st, const ss_plugin_init_input *in) {
	char line[65];
	int i;
	FX_UNUSED(st);
	FX_UNUSED(in);
	memset(line, 'p', 63);
	line[63] = '\n';
	line[64] = '\0';
	for(i = 0; i < 81920; i++) {
		fputs(line, stdout);
	}
	fflush(stdout);
	return SS_PLUGIN_SUCCESS;
}
