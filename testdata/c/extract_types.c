/* extract_types: extraction (sources ["fixture_src"]) whose get_extract_event_types returns only 402 (async events); extract_fields fails with "should not be called". Expected: valid; the host never calls extract_fields for plugin events (322). */
#define FIXTURE_NAME "extract_types"
#define FIXTURE_EXTRACTION
#define FIXTURE_EXTRACT_SOURCES "[\"fixture_src\"]"
#define FIXTURE_FIELDS "[{\"type\":\"string\",\"name\":\"types.str\",\"desc\":\"never extracted\"}]"
#define OMIT_EXTRACT_FIELDS
#include "fixture.h"

static uint16_t types_only_async[1] = {402};

FX_API uint16_t *plugin_get_extract_event_types(uint32_t *numtypes, ss_plugin_t *s) {
	FX_UNUSED(s);
	*numtypes = 1;
	return types_only_async;
}

FX_API ss_plugin_rc plugin_extract_fields(ss_plugin_t *s,
                                          const ss_plugin_event_input *evt,
                                          const ss_plugin_field_extract_input *in) {
	fx_state *st = (fx_state *)s;
	FX_UNUSED(evt);
	FX_UNUSED(in);
	fx_set_error(st, "should not be called");
	return SS_PLUGIN_FAILURE;
}
