/* extract_bad_null_str: extraction (sources ["fixture_src"]): bad.num = i, bad.list = ["x-<i>","y-<i>","z-<i>"] for event evt-<i>, but on evt-2 the second string of the list is NULL. Expected: valid plugin; the host fails extraction at event 2. */
#define FIXTURE_NAME "extract_bad_null_str"
#define FIXTURE_EXTRACTION
#define FIXTURE_EXTRACT_SOURCES "[\"fixture_src\"]"
#define FIXTURE_FIELDS                                                \
	"[{\"type\":\"uint64\",\"name\":\"bad.num\",\"desc\":\"i\"},"    \
	"{\"type\":\"string\",\"name\":\"bad.list\",\"desc\":\"three "   \
	"strings\",\"isList\":true}]"
#define OMIT_EXTRACT_FIELDS
#define FIXTURE_STATE_EXTRA   \
	char bad_text[3][32];     \
	const char *bad_strs[3];  \
	uint64_t bad_nums[1];
#include "fixture.h"

FX_API ss_plugin_rc plugin_extract_fields(ss_plugin_t *s,
                                          const ss_plugin_event_input *evt,
                                          const ss_plugin_field_extract_input *in) {
	fx_state *st = (fx_state *)s;
	int idx = fx_evt_index(evt);
	uint32_t i, k;
	if(st == NULL || in == NULL || idx < 0) {
		fx_set_error(st, "unexpected event");
		return SS_PLUGIN_FAILURE;
	}
	for(i = 0; i < in->num_fields; i++) {
		ss_plugin_extract_field *f = &in->fields[i];
		if(f->field_id == 0) {
			st->bad_nums[0] = (uint64_t)idx;
			f->res.u64 = st->bad_nums;
			f->res_len = 1;
		} else {
			for(k = 0; k < 3; k++) {
				snprintf(st->bad_text[k], sizeof(st->bad_text[k]), "%c-%d", (char)('x' + k), idx);
				st->bad_strs[k] = st->bad_text[k];
			}
			if(idx == 2) {
				st->bad_strs[1] = NULL;
			}
			f->res.str = st->bad_strs;
			f->res_len = 3;
		}
	}
	return SS_PLUGIN_SUCCESS;
}
