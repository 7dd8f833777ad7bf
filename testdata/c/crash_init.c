/* crash_init: extraction; plugin_init raises SIGSEGV when the config is "segv", calls abort() for "abort" and exit(0) for "exit0", and succeeds otherwise. Expected: isolated, the init check fails (the process died); with --isolate=false plugincheck exits 3 (a plugin crashed it) naming the file, never 0. */
#define FIXTURE_NAME "crash_init"
#define FIXTURE_EXTRACTION
#define FIXTURE_INIT_HOOK
#include "fixture.h"

#include <signal.h>

static ss_plugin_rc fixture_init_hook(fx_state *st, const ss_plugin_init_input *in) {
	const char *cfg = in->config != NULL ? in->config : "";
	FX_UNUSED(st);
	if(strcmp(cfg, "segv") == 0) {
		raise(SIGSEGV);
	} else if(strcmp(cfg, "abort") == 0) {
		abort();
	} else if(strcmp(cfg, "exit0") == 0) {
		exit(0);
	}
	return SS_PLUGIN_SUCCESS;
}
