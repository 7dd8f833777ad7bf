/* extract_bad_ipaddr: extraction (sources ["fixture_src"]): bad.num = i, bad.ip = 10.0.0.<i> (4 bytes) for event evt-<i>, except evt-1 gets the 16-byte 2001:db8::1 and evt-2 a 5-byte buffer. Expected: valid plugin; the host rejects the 5-byte address at event 2. */
#define FIXTURE_NAME "extract_bad_ipaddr"
#define FIXTURE_EXTRACTION
#define FIXTURE_EXTRACT_SOURCES "[\"fixture_src\"]"
#define FIXTURE_EVENT_HOOK
#define FIXTURE_FIELDS                                               \
	"[{\"type\":\"uint64\",\"name\":\"bad.num\",\"desc\":\"i\"},"   \
	"{\"type\":\"ipaddr\",\"name\":\"bad.ip\",\"desc\":\"an address\"}]"
#include "fixture.h"

static const uint8_t bad_v6[16] = {0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1};

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
		fx_set_u64(slot, f, (uint64_t)idx);
	} else if(idx == 1) {
		fx_set_buf(slot, f, bad_v6, 16);
	} else {
		set_ip(slot, f, idx, idx == 2 ? 5 : 4);
	}
	return SS_PLUGIN_SUCCESS;
}
