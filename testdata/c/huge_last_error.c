/* huge_last_error: extraction; plugin_init fails (rc FAILURE, state returned) and get_last_error returns 100000000 'e's (100 MB). Expected: init fails; the report shows the error cut to 64 KiB with a marker giving its length, isolated and in process alike (not "the process died"). */
#define FIXTURE_NAME "huge_last_error"
#define FIXTURE_EXTRACTION
#define FIXTURE_INIT_HOOK
#define OMIT_GET_LAST_ERROR
#include "fixture.h"

#define HL_LEN 100000000

static char *hl_error;

static ss_plugin_rc fixture_init_hook(fx_state *st, const ss_plugin_init_input *in) {
	FX_UNUSED(st);
	FX_UNUSED(in);
	if(hl_error == NULL) {
		hl_error = (char *)malloc(HL_LEN + 1);
		if(hl_error != NULL) {
			memset(hl_error, 'e', HL_LEN);
			hl_error[HL_LEN] = '\0';
		}
	}
	return SS_PLUGIN_FAILURE;
}

FX_API const char *plugin_get_last_error(ss_plugin_t *s) {
	FX_UNUSED(s);
	return hl_error != NULL ? hl_error : "out of memory";
}
