/* extract_bad_null_res: extraction (sources ["fixture_src"]): bad.str = "ok-<i>", bad.num = i for event evt-<i>, but on evt-2 bad.str has res_len 1 and a NULL res pointer. Expected: valid plugin; the host fails extraction at event 2. */
#define FIXTURE_NAME "extract_bad_null_res"
#define FIXTURE_EXTRACTION
#define FIXTURE_EXTRACT_SOURCES "[\"fixture_src\"]"
#define FIXTURE_EVENT_HOOK
#define FIXTURE_FIELDS                                                  \
	"[{\"type\":\"string\",\"name\":\"bad.str\",\"desc\":\"ok-<i>\"}," \
	"{\"type\":\"uint64\",\"name\":\"bad.num\",\"desc\":\"i\"}]"
#include "fixture.h"

static ss_plugin_rc fixture_event_hook(fx_state *st, fx_slot *slot, ss_plugin_extract_field *f, int idx) {
	FX_UNUSED(st);
	if(f->field_id == 0) {
		snprintf(slot->text, sizeof(slot->text), "ok-%d", idx);
		fx_set_str(slot, f, slot->text);
		if(idx == 2) {
			f->res.str = NULL; /* one value, but no array to read it from */
		}
	} else {
		fx_set_u64(slot, f, (uint64_t)idx);
	}
	return SS_PLUGIN_SUCCESS;
}
