/* extract_bad_ipaddr: extraction (sources ["fixture_src"]): bad.num = i, bad.ip = 10.0.0.<i> (4 bytes) for event evt-<i>, except evt-1 gets the 16-byte 2001:db8::1 and evt-2 a 5-byte buffer. Expected: valid plugin; the host rejects the 5-byte address at event 2. */
#define FIXTURE_NAME "extract_bad_ipaddr"
#define FIXTURE_EXTRACTION
#define FIXTURE_EXTRACT_SOURCES "[\"fixture_src\"]"
#define FIXTURE_FIELDS                                               \
	"[{\"type\":\"uint64\",\"name\":\"bad.num\",\"desc\":\"i\"},"   \
	"{\"type\":\"ipaddr\",\"name\":\"bad.ip\",\"desc\":\"an address\"}]"
#define OMIT_EXTRACT_FIELDS
#define FIXTURE_STATE_EXTRA         \
	uint8_t bad_ip[16];             \
	ss_plugin_byte_buffer bad_buf[1]; \
	uint64_t bad_nums[1];
#include "fixture.h"

static const uint8_t bad_v6[16] = {0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1};

FX_API ss_plugin_rc plugin_extract_fields(ss_plugin_t *s,
                                          const ss_plugin_event_input *evt,
                                          const ss_plugin_field_extract_input *in) {
	fx_state *st = (fx_state *)s;
	int idx = fx_evt_index(evt);
	uint32_t i;
	if(st == NULL || in == NULL || idx < 0) {
		fx_set_error(st, "unexpected event");
		return SS_PLUGIN_FAILURE;
	}
	for(i = 0; i < in->num_fields; i++) {
		ss_plugin_extract_field *f = &in->fields[i];
		f->res_len = 1;
		if(f->field_id == 0) {
			st->bad_nums[0] = (uint64_t)idx;
			f->res.u64 = st->bad_nums;
			continue;
		}
		memset(st->bad_ip, 0, sizeof(st->bad_ip));
		st->bad_buf[0].ptr = st->bad_ip;
		if(idx == 1) {
			memcpy(st->bad_ip, bad_v6, 16);
			st->bad_buf[0].len = 16;
		} else {
			st->bad_ip[0] = 10;
			st->bad_ip[3] = (uint8_t)idx;
			st->bad_buf[0].len = idx == 2 ? 5 : 4;
		}
		f->res.buf = st->bad_buf;
	}
	return SS_PLUGIN_SUCCESS;
}
