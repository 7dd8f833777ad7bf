/* init_fail: init returns a non-NULL state with rc SS_PLUGIN_FAILURE. Expected: load fails with "init refused: bad config" (read via get_last_error), state destroyed. */
#define FIXTURE_NAME "init_fail"
#define FIXTURE_EXTRACTION
#define FIXTURE_INIT_HOOK
#include "fixture.h"

static ss_plugin_rc fixture_init_hook(fx_state *st, const ss_plugin_init_input *in) {
	FX_UNUSED(in);
	fx_set_error(st, "init refused: bad config");
	return SS_PLUGIN_FAILURE;
}
