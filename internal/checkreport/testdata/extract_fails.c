/* extract_fails: sourcing and extraction (id 994, source fixture_xf, N events
 * from open params, the default fields); plugin_extract_fields fails on the
 * event whose payload is "evt-3". Built by the checkreport tests. */
#define FIXTURE_NAME "extract_fails"
#define FIXTURE_SOURCING
#define FIXTURE_ID 994
#define FIXTURE_EVENT_SOURCE "fixture_xf"
#define FIXTURE_EXTRACTION
#define OMIT_EXTRACT_FIELDS
#include "fixture.h"

#define XF_PAYLOAD_OFFSET (FX_EVT_HDR_LEN + 12)

FX_API ss_plugin_rc plugin_extract_fields(ss_plugin_t *s,
                                          const ss_plugin_event_input *evt,
                                          const ss_plugin_field_extract_input *in) {
	static fx_slot slots[16];
	fx_state *st = (fx_state *)s;
	uint32_t i;
	if(st == NULL || in == NULL || evt == NULL || evt->evt == NULL || in->num_fields > 16) {
		return SS_PLUGIN_FAILURE;
	}
	if(evt->evt->len == XF_PAYLOAD_OFFSET + 5 &&
	   memcmp((const uint8_t *)evt->evt + XF_PAYLOAD_OFFSET, "evt-3", 5) == 0) {
		fx_set_error(st, "cannot extract from evt-3");
		return SS_PLUGIN_FAILURE;
	}
	for(i = 0; i < in->num_fields; i++) {
		memset(&slots[i], 0, sizeof(slots[i]));
		in->fields[i].res_len = 0;
		fx_extract_default(&slots[i], &in->fields[i]);
	}
	return SS_PLUGIN_SUCCESS;
}
