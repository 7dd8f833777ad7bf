/* filter_lazy: sourcing ("fixture_src", N events from open params) and extraction of lazy.num = i, lazy.even = (i even), lazy.str = "s-<i>" for event evt-<i>, counting every extraction per field; lazy.calls[<field>] reads the count. Expected: valid plugin; filter tests read the counts to prove each field is extracted at most once per event and only where needed. */
#define FIXTURE_NAME "filter_lazy"
#define FIXTURE_SOURCING
#define FIXTURE_EXTRACTION
#define FIXTURE_EVENT_HOOK
#define FIXTURE_STATE_EXTRA uint64_t calls[4];
#define FIXTURE_FIELDS                                                              \
	"[{\"type\":\"uint64\",\"name\":\"lazy.num\",\"desc\":\"i\"},"                  \
	"{\"type\":\"bool\",\"name\":\"lazy.even\",\"desc\":\"i is even\"},"            \
	"{\"type\":\"string\",\"name\":\"lazy.str\",\"desc\":\"s-<i>\"},"               \
	"{\"type\":\"uint64\",\"name\":\"lazy.calls\",\"desc\":\"extractions of the field named by the key\"," \
	"\"arg\":{\"isKey\":true,\"isRequired\":true}}]"
#include "fixture.h"

static ss_plugin_rc fixture_event_hook(fx_state *st, fx_slot *slot, ss_plugin_extract_field *f, int idx) {
	static const char *names[3] = {"lazy.num", "lazy.even", "lazy.str"};
	switch(f->field_id) {
	case 0:
		st->calls[0]++;
		fx_set_u64(slot, f, (uint64_t)idx);
		break;
	case 1:
		st->calls[1]++;
		fx_set_bool(slot, f, idx % 2 == 0);
		break;
	case 2:
		st->calls[2]++;
		snprintf(slot->text, sizeof(slot->text), "s-%d", idx);
		fx_set_str(slot, f, slot->text);
		break;
	default:
		for(int k = 0; k < 3; k++) {
			if(f->arg_key != NULL && strcmp(f->arg_key, names[k]) == 0) {
				fx_set_u64(slot, f, st->calls[k]);
				return SS_PLUGIN_SUCCESS;
			}
		}
		f->res_len = 0;
	}
	return SS_PLUGIN_SUCCESS;
}
