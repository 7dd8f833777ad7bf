/* hang_init: extraction; with the config "hang", plugin_init never returns (it sleeps in a loop, ignoring nothing: SIGINT and SIGTERM keep their handlers). Expected: isolated, the child is killed after --timeout; in process (--isolate=false), plugincheck reports the timeout and exits 1 all the same, and SIGINT/SIGTERM stop it. */
#define FIXTURE_NAME "hang_init"
#define FIXTURE_EXTRACTION
#define FIXTURE_INIT_HOOK
#include "fixture.h"

#include <unistd.h>

static ss_plugin_rc fixture_init_hook(fx_state *st, const ss_plugin_init_input *in) {
	FX_UNUSED(st);
	if(in->config != NULL && strcmp(in->config, "hang") == 0) {
		for(;;) {
			sleep(1);
		}
	}
	return SS_PLUGIN_SUCCESS;
}
