/* extract_evtnum: extraction (sources ["fixture_src"]) that reports what each extract_fields call saw: num.idx = i for event evt-<i>, num.evtnum = the evtnum the host passed, num.calls = the number of extract_fields calls so far (this one included), num.str = "s-<i>", num.odd = i is odd, num.list = i % 4 strings "<i>.<j>" (none when i % 4 == 0). Expected: valid. */
#define FIXTURE_NAME "extract_evtnum"
#define FIXTURE_EXTRACTION
#define FIXTURE_EXTRACT_SOURCES "[\"fixture_src\"]"
#define FIXTURE_EVENT_HOOK
#define FIXTURE_FIELDS                                                                  \
	"[{\"type\":\"uint64\",\"name\":\"num.idx\",\"desc\":\"i of evt-<i>\"},"           \
	"{\"type\":\"uint64\",\"name\":\"num.evtnum\",\"desc\":\"the evtnum passed\"},"    \
	"{\"type\":\"uint64\",\"name\":\"num.calls\",\"desc\":\"extract_fields calls\"}," \
	"{\"type\":\"string\",\"name\":\"num.str\",\"desc\":\"s-<i>\"},"                   \
	"{\"type\":\"bool\",\"name\":\"num.odd\",\"desc\":\"i is odd\"},"                  \
	"{\"type\":\"string\",\"name\":\"num.list\",\"desc\":\"i % 4 strings\","           \
	"\"isList\":true}]"
#define FIXTURE_STATE_EXTRA char list_text[3][32];
#include "fixture.h"

static ss_plugin_rc fixture_event_hook(fx_state *st, fx_slot *slot, ss_plugin_extract_field *f, int idx) {
	int j;
	switch(f->field_id) {
	case 0:
		fx_set_u64(slot, f, (uint64_t)idx);
		break;
	case 1:
		fx_set_u64(slot, f, st->evtnum);
		break;
	case 2:
		fx_set_u64(slot, f, st->n_extract_calls);
		break;
	case 3:
		snprintf(slot->text, sizeof(slot->text), "s-%d", idx);
		fx_set_str(slot, f, slot->text);
		break;
	case 4:
		fx_set_bool(slot, f, idx % 2 == 1);
		break;
	default:
		for(j = 0; j < idx % 4; j++) {
			snprintf(st->list_text[j], sizeof(st->list_text[j]), "%d.%d", idx, j);
			slot->strs[j] = st->list_text[j];
		}
		f->res.str = slot->strs;
		f->res_len = (uint32_t)(idx % 4);
		break;
	}
	return SS_PLUGIN_SUCCESS;
}
