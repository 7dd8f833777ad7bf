/* init_fail_null_state: init returns NULL with rc SS_PLUGIN_FAILURE (no state to read an error from). Expected: load fails with a generic init error; destroy/get_last_error not called on NULL. */
#define FIXTURE_NAME "init_fail_null_state"
#define FIXTURE_EXTRACTION
#define OMIT_INIT
#include "fixture.h"

FX_API ss_plugin_t *plugin_init(const ss_plugin_init_input *in, ss_plugin_rc *rc) {
	FX_UNUSED(in);
	*rc = SS_PLUGIN_FAILURE;
	return NULL;
}
