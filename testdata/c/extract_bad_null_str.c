/* extract_bad_null_str: extraction (sources ["fixture_src"]): bad.num = i, bad.list = ["x-<i>","y-<i>","z-<i>"] for event evt-<i>, but on evt-2 the second string of the list is NULL. Expected: valid plugin; the host fails extraction at event 2. */
#define FIXTURE_NAME "extract_bad_null_str"
#define FIXTURE_EXTRACTION
#define FIXTURE_EXTRACT_SOURCES "[\"fixture_src\"]"
#define FIXTURE_EVENT_HOOK
#define FIXTURE_FIELDS                                                \
	"[{\"type\":\"uint64\",\"name\":\"bad.num\",\"desc\":\"i\"},"    \
	"{\"type\":\"string\",\"name\":\"bad.list\",\"desc\":\"three "   \
	"strings\",\"isList\":true}]"
#include "fixture.h"

static ss_plugin_rc fixture_event_hook(fx_state *st, fx_slot *slot, ss_plugin_extract_field *f, int idx) {
	uint32_t k;
	FX_UNUSED(st);
	if(f->field_id == 0) {
		fx_set_u64(slot, f, (uint64_t)idx);
		return SS_PLUGIN_SUCCESS;
	}
	/* "x-<i>", "y-<i>", "z-<i>" in thirds of the slot's text buffer. */
	for(k = 0; k < 3; k++) {
		char *t = slot->text + 64 * k;
		snprintf(t, 64, "%c-%d", (char)('x' + k), idx);
		slot->strs[k] = t;
	}
	if(idx == 2) {
		slot->strs[1] = NULL;
	}
	f->res.str = slot->strs;
	f->res_len = 3;
	return SS_PLUGIN_SUCCESS;
}
