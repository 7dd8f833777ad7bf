/* extract_count: sourcing (id 979, source "fixture_src", N events from open params) and extraction for event evt-<i> of cnt.num = i, cnt.mod = i % 3, cnt.even = (i even), cnt.str = "s-<i>", cnt.key[K] = "<K>-<i>", cnt.failat[N] = i (but the extract_fields call fails with "cannot extract evt-<i>" when i == N), counting every extraction per field (all arguments together) and every extract_fields call; cnt.count[<field>] reads a field's count, cnt.count[calls] the calls before this one. Expected: valid plugin; filter set tests read the counts to prove that rules sharing fields extract each once per event. */
#define FIXTURE_NAME "extract_count"
#define FIXTURE_SOURCING
#define FIXTURE_ID 979
#define FIXTURE_EXTRACTION
#define FIXTURE_EVENT_HOOK
#define FIXTURE_STATE_EXTRA uint64_t counts[6];
#define FIXTURE_FIELDS                                                                                  \
	"[{\"type\":\"uint64\",\"name\":\"cnt.num\",\"desc\":\"i\"},"                                       \
	"{\"type\":\"uint64\",\"name\":\"cnt.mod\",\"desc\":\"i % 3\"},"                                    \
	"{\"type\":\"bool\",\"name\":\"cnt.even\",\"desc\":\"i is even\"},"                                 \
	"{\"type\":\"string\",\"name\":\"cnt.str\",\"desc\":\"s-<i>\"},"                                    \
	"{\"type\":\"string\",\"name\":\"cnt.key\",\"desc\":\"<key>-<i>\","                                 \
	"\"arg\":{\"isKey\":true,\"isRequired\":true}},"                                                    \
	"{\"type\":\"uint64\",\"name\":\"cnt.failat\",\"desc\":\"i; the call fails on the event of index\"," \
	"\"arg\":{\"isIndex\":true,\"isRequired\":true}},"                                                  \
	"{\"type\":\"uint64\",\"name\":\"cnt.count\",\"desc\":\"extractions of the field named by the key\"," \
	"\"arg\":{\"isKey\":true,\"isRequired\":true}}]"
#include "fixture.h"

static ss_plugin_rc fixture_event_hook(fx_state *st, fx_slot *slot, ss_plugin_extract_field *f, int idx) {
	static const char *names[6] = {"cnt.num", "cnt.mod", "cnt.even", "cnt.str", "cnt.key", "cnt.failat"};
	if(f->field_id < 6) {
		st->counts[f->field_id]++;
	}
	switch(f->field_id) {
	case 0:
		fx_set_u64(slot, f, (uint64_t)idx);
		break;
	case 1:
		fx_set_u64(slot, f, (uint64_t)(idx % 3));
		break;
	case 2:
		fx_set_bool(slot, f, idx % 2 == 0);
		break;
	case 3:
		snprintf(slot->text, sizeof(slot->text), "s-%d", idx);
		fx_set_str(slot, f, slot->text);
		break;
	case 4:
		snprintf(slot->text, sizeof(slot->text), "%s-%d", f->arg_key != NULL ? f->arg_key : "", idx);
		fx_set_str(slot, f, slot->text);
		break;
	case 5:
		if(f->arg_index == (uint64_t)idx) {
			fx_set_error(st, "cannot extract evt-%d", idx);
			return SS_PLUGIN_FAILURE;
		}
		fx_set_u64(slot, f, (uint64_t)idx);
		break;
	default:
		if(f->arg_key != NULL && strcmp(f->arg_key, "calls") == 0) {
			fx_set_u64(slot, f, st->n_extract_calls - 1);
			break;
		}
		for(int k = 0; k < 6; k++) {
			if(f->arg_key != NULL && strcmp(f->arg_key, names[k]) == 0) {
				fx_set_u64(slot, f, st->counts[k]);
				return SS_PLUGIN_SUCCESS;
			}
		}
		f->res_len = 0;
	}
	return SS_PLUGIN_SUCCESS;
}
