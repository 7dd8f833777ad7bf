/* extract_bad_null_res: extraction (sources ["fixture_src"]): bad.str = "ok-<i>", bad.num = i for event evt-<i>, but on evt-2 bad.str has res_len 1 and a NULL res pointer. Expected: valid plugin; the host fails extraction at event 2. */
#define FIXTURE_NAME "extract_bad_null_res"
#define FIXTURE_EXTRACTION
#define FIXTURE_EXTRACT_SOURCES "[\"fixture_src\"]"
#define FIXTURE_FIELDS                                                  \
	"[{\"type\":\"string\",\"name\":\"bad.str\",\"desc\":\"ok-<i>\"}," \
	"{\"type\":\"uint64\",\"name\":\"bad.num\",\"desc\":\"i\"}]"
#define OMIT_EXTRACT_FIELDS
#define FIXTURE_STATE_EXTRA \
	char bad_text[32];      \
	const char *bad_strs[1]; \
	uint64_t bad_nums[1];
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
			f->res.str = idx == 2 ? NULL : st->bad_strs;
		} else {
			st->bad_nums[0] = (uint64_t)idx;
			f->res.u64 = st->bad_nums;
		}
	}
	return SS_PLUGIN_SUCCESS;
}
