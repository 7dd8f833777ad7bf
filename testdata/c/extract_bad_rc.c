/* extract_bad_rc: extraction (sources ["fixture_src"]): bad.str = "ok-<i>", bad.num = i for event evt-<i>, but extract_fields returns SS_PLUGIN_FAILURE with last error "cannot extract evt-2" on evt-2. Expected: valid plugin; the host fails extraction at event 2 with that error. */
#define FIXTURE_NAME "extract_bad_rc"
#define FIXTURE_EXTRACTION
#define FIXTURE_EXTRACT_SOURCES "[\"fixture_src\"]"
#define FIXTURE_EVENT_HOOK
#define FIXTURE_FIELDS                                                  \
	"[{\"type\":\"string\",\"name\":\"bad.str\",\"desc\":\"ok-<i>\"}," \
	"{\"type\":\"uint64\",\"name\":\"bad.num\",\"desc\":\"i\"}]"
#include "fixture.h"

static ss_plugin_rc fixture_event_hook(fx_state *st, fx_slot *slot, ss_plugin_extract_field *f, int idx) {
	if(idx == 2) {
		fx_set_error(st, "cannot extract evt-%d", idx);
		return SS_PLUGIN_FAILURE;
	}
	if(f->field_id == 0) {
		snprintf(slot->text, sizeof(slot->text), "ok-%d", idx);
		fx_set_str(slot, f, slot->text);
	} else {
		fx_set_u64(slot, f, (uint64_t)idx);
	}
	return SS_PLUGIN_SUCCESS;
}
