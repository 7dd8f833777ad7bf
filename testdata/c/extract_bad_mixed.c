/* extract_bad_mixed: extraction (sources ["fixture_src"]): bad.str = "ok-<i>", bad.ip = 10.0.0.<i> for event evt-<i>, but evt-2 gets a 5-byte bad.ip and evt-3 a NULL bad.str pointer. Expected: valid plugin; the host fails extraction at the first bad event, evt-2. */
#define FIXTURE_NAME "extract_bad_mixed"
#define FIXTURE_EXTRACTION
#define FIXTURE_EXTRACT_SOURCES "[\"fixture_src\"]"
#define FIXTURE_EVENT_HOOK
#define FIXTURE_FIELDS                                                  \
	"[{\"type\":\"string\",\"name\":\"bad.str\",\"desc\":\"ok-<i>\"}," \
	"{\"type\":\"ipaddr\",\"name\":\"bad.ip\",\"desc\":\"an address\"}]"
#include "fixture.h"

/* 10.0.0.<idx>, stored in the slot's text buffer; len is what is reported. */
static void set_ip(fx_slot *slot, ss_plugin_extract_field *f, int idx, uint32_t len) {
	uint8_t *ip = (uint8_t *)slot->text;
	memset(ip, 0, 16);
	ip[0] = 10;
	ip[3] = (uint8_t)idx;
	fx_set_buf(slot, f, ip, len);
}

static ss_plugin_rc fixture_event_hook(fx_state *st, fx_slot *slot, ss_plugin_extract_field *f, int idx) {
	FX_UNUSED(st);
	if(f->field_id == 0) {
		snprintf(slot->text, sizeof(slot->text), "ok-%d", idx);
		fx_set_str(slot, f, slot->text);
		if(idx == 3) {
			f->res.str = NULL;
		}
		return SS_PLUGIN_SUCCESS;
	}
	set_ip(slot, f, idx, idx == 2 ? 5 : 4);
	return SS_PLUGIN_SUCCESS;
}
