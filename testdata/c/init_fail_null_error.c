/* init_fail_null_error: init returns a state with rc SS_PLUGIN_FAILURE and get_last_error returns NULL. Expected: init fails saying the plugin gave no error message (NULL). */
#define FIXTURE_NAME "init_fail_null_error"
#define FIXTURE_EXTRACTION
#define FIXTURE_INIT_HOOK
#define OMIT_GET_LAST_ERROR
#include "fixture.h"

FX_API const char *plugin_get_last_error(ss_plugin_t *s) {
	FX_UNUSED(s);
	return NULL;
}

static ss_plugin_rc fixture_init_hook(fx_state *st, const ss_plugin_init_input *in) {
	FX_UNUSED(st);
	FX_UNUSED(in);
	return SS_PLUGIN_FAILURE;
}
