/* extract_bad_mixed: extraction (sources ["fixture_src"]): bad.str = "ok-<i>", bad.ip = 10.0.0.<i> for event evt-<i>, but evt-2 gets a 5-byte bad.ip and evt-3 a NULL bad.str pointer. Expected: valid plugin; the host fails extraction at the first bad event, evt-2. */
#define FIXTURE_NAME "extract_bad_mixed"
#define FIXTURE_EXTRACTION
#define FIXTURE_EXTRACT_SOURCES "[\"fixture_src\"]"
#define FIXTURE_FIELDS                                                  \
	"[{\"type\":\"string\",\"name\":\"bad.str\",\"desc\":\"ok-<i>\"}," \
	"{\"type\":\"ipaddr\",\"name\":\"bad.ip\",\"desc\":\"an address\"}]"
#define OMIT_EXTRACT_FIELDS
#define FIXTURE_STATE_EXTRA           \
	char bad_text[32];                \
	const char *bad_strs[1];          \
	uint8_t bad_ip[8];                \
	ss_plugin_byte_buffer bad_buf[1];
#include "fixture.h"

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
			snprintf(st->bad_text, sizeof(st->bad_text), "ok-%d", idx);
			st->bad_strs[0] = st->bad_text;
			f->res.str = idx == 3 ? NULL : st->bad_strs;
			continue;
		}
		memset(st->bad_ip, 0, sizeof(st->bad_ip));
		st->bad_ip[0] = 10;
		st->bad_ip[3] = (uint8_t)idx;
		st->bad_buf[0].ptr = st->bad_ip;
		st->bad_buf[0].len = idx == 2 ? 5 : 4;
		f->res.buf = st->bad_buf;
	}
	return SS_PLUGIN_SUCCESS;
}
