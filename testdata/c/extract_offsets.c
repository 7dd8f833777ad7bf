/* extract_offsets: extraction (sources ["fixture_src"]) that reports value offsets: off.payload = payload at {38, len}, off.digits = payload after "evt-" at {42, len-4}, off.const = 42 at {0, 0}, off.asked = whether the host passed value_offsets. Fails with "value_offsets not reset" if the host does not clear start/length before a call. Expected: valid. */
#define FIXTURE_NAME "extract_offsets"
#define FIXTURE_EXTRACTION
#define FIXTURE_EXTRACT_SOURCES "[\"fixture_src\"]"
#define FIXTURE_FIELDS                                                          \
	"[{\"type\":\"string\",\"name\":\"off.payload\",\"desc\":\"the payload\"}," \
	"{\"type\":\"string\",\"name\":\"off.digits\",\"desc\":\"the payload "     \
	"after evt-\"},"                                                            \
	"{\"type\":\"uint64\",\"name\":\"off.const\",\"desc\":\"42, computed\"},"  \
	"{\"type\":\"bool\",\"name\":\"off.asked\",\"desc\":\"value_offsets was "  \
	"passed\"}]"
#define OMIT_EXTRACT_FIELDS
#define OFF_MAX_FIELDS 16
#define FIXTURE_STATE_EXTRA                      \
	uint32_t off_start[OFF_MAX_FIELDS];          \
	uint32_t off_len[OFF_MAX_FIELDS];            \
	char off_text[OFF_MAX_FIELDS][64];           \
	const char *off_strs[OFF_MAX_FIELDS];        \
	uint64_t off_u64s[OFF_MAX_FIELDS];           \
	ss_plugin_bool off_bools[OFF_MAX_FIELDS];
#include "fixture.h"

FX_API ss_plugin_rc plugin_extract_fields(ss_plugin_t *s,
                                          const ss_plugin_event_input *evt,
                                          const ss_plugin_field_extract_input *in) {
	fx_state *st = (fx_state *)s;
	const uint8_t *raw;
	uint32_t len, plen, i;
	if(st == NULL || in == NULL || evt == NULL || evt->evt == NULL) {
		return SS_PLUGIN_FAILURE;
	}
	if(in->num_fields > OFF_MAX_FIELDS) {
		fx_set_error(st, "too many fields");
		return SS_PLUGIN_FAILURE;
	}
	if(in->value_offsets != NULL && (in->value_offsets->start != NULL || in->value_offsets->length != NULL)) {
		fx_set_error(st, "value_offsets not reset");
		return SS_PLUGIN_FAILURE;
	}
	raw = (const uint8_t *)evt->evt;
	len = evt->evt->len;
	if(evt->evt->type != FX_PLUGIN_EVENT_TYPE || len < 42 || len - 38 >= 64 || memcmp(raw + 38, "evt-", 4) != 0) {
		fx_set_error(st, "unexpected event");
		return SS_PLUGIN_FAILURE;
	}
	plen = len - 38;
	for(i = 0; i < in->num_fields; i++) {
		ss_plugin_extract_field *f = &in->fields[i];
		st->off_start[i] = 0;
		st->off_len[i] = 0;
		f->res_len = 1;
		switch(f->field_id) {
		case 0:
			memcpy(st->off_text[i], raw + 38, plen);
			st->off_text[i][plen] = '\0';
			st->off_strs[i] = st->off_text[i];
			f->res.str = &st->off_strs[i];
			st->off_start[i] = 38;
			st->off_len[i] = plen;
			break;
		case 1:
			memcpy(st->off_text[i], raw + 42, plen - 4);
			st->off_text[i][plen - 4] = '\0';
			st->off_strs[i] = st->off_text[i];
			f->res.str = &st->off_strs[i];
			st->off_start[i] = 42;
			st->off_len[i] = plen - 4;
			break;
		case 2:
			st->off_u64s[i] = 42;
			f->res.u64 = &st->off_u64s[i];
			break;
		default:
			st->off_bools[i] = in->value_offsets != NULL;
			f->res.boolean = &st->off_bools[i];
			break;
		}
	}
	if(in->value_offsets != NULL) {
		in->value_offsets->start = st->off_start;
		in->value_offsets->length = st->off_len;
	}
	return SS_PLUGIN_SUCCESS;
}
