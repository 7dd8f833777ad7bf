/* init_fail_empty_error: init returns a state with rc SS_PLUGIN_FAILURE and get_last_error returns "". Expected: init fails saying the plugin gave no error message. */
#define FIXTURE_NAME "init_fail_empty_error"
#define FIXTURE_EXTRACTION
#define FIXTURE_INIT_HOOK
#include "fixture.h"

static ss_plugin_rc fixture_init_hook(fx_state *st, const ss_plugin_init_input *in) {
	FX_UNUSED(st);
	FX_UNUSED(in);
	return SS_PLUGIN_FAILURE;
}
