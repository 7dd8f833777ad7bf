/* extract_big: extraction (sources ["fixture_src"]) with results far larger than 64 KiB per event: big.list is 200 strings of 1024 bytes ("<i>/<j>:" then one letter, 'a' + (7i+j) % 26, repeated), big.num = i, for event evt-<i>. Expected: valid. */
#define FIXTURE_NAME "extract_big"
#define FIXTURE_EXTRACTION
#define FIXTURE_EXTRACT_SOURCES "[\"fixture_src\"]"
#define FIXTURE_EVENT_HOOK
#define FIXTURE_FIELDS                                                      \
	"[{\"type\":\"string\",\"name\":\"big.list\",\"desc\":\"200 strings "  \
	"of 1 KiB\",\"isList\":true},"                                         \
	"{\"type\":\"uint64\",\"name\":\"big.num\",\"desc\":\"i\"}]"
#define BIG_COUNT 200
#define BIG_LEN 1024
#define FIXTURE_STATE_EXTRA                \
	char big_text[BIG_COUNT][BIG_LEN + 1]; \
	const char *big_strs[BIG_COUNT];
#include "fixture.h"

static ss_plugin_rc fixture_event_hook(fx_state *st, fx_slot *slot, ss_plugin_extract_field *f, int idx) {
	uint32_t j;
	if(f->field_id == 1) {
		fx_set_u64(slot, f, (uint64_t)idx);
		return SS_PLUGIN_SUCCESS;
	}
	for(j = 0; j < BIG_COUNT; j++) {
		char *t = st->big_text[j];
		int n = snprintf(t, BIG_LEN + 1, "%d/%u:", idx, (unsigned)j);
		memset(t + n, 'a' + (7 * idx + (int)j) % 26, (size_t)(BIG_LEN - n));
		t[BIG_LEN] = '\0';
		st->big_strs[j] = t;
	}
	f->res.str = st->big_strs;
	f->res_len = BIG_COUNT;
	return SS_PLUGIN_SUCCESS;
}
