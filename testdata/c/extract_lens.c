/* extract_lens: extraction (sources ["fixture_src"]) of strings of every short length at every alignment, for the host's copy of string results: lens.text = 41 strings for event evt-<i>, string j being j bytes 'a' + (i + j + k) % 26 (k = 0..j-1) starting (3i + j) % 8 bytes into an 8-byte aligned buffer; lens.one = string j = i % 41 alone. Expected: valid. */
#define FIXTURE_NAME "extract_lens"
#define FIXTURE_EXTRACTION
#define FIXTURE_EXTRACT_SOURCES "[\"fixture_src\"]"
#define FIXTURE_EVENT_HOOK
#define FIXTURE_FIELDS                                                                    \
	"[{\"type\":\"string\",\"name\":\"lens.text\",\"desc\":\"41 strings, lengths 0 to " \
	"40\",\"isList\":true},"                                                             \
	"{\"type\":\"string\",\"name\":\"lens.one\",\"desc\":\"string i % 41 alone\"}]"
#define LENS_COUNT 41
#define FIXTURE_STATE_EXTRA                                       \
	uint64_t lens_buf[LENS_COUNT][8]; /* 64 aligned bytes each */ \
	const char *lens_strs[LENS_COUNT];
#include "fixture.h"

static ss_plugin_rc fixture_event_hook(fx_state *st, fx_slot *slot, ss_plugin_extract_field *f, int idx) {
	int j, k;
	FX_UNUSED(slot);
	for(j = 0; j < LENS_COUNT; j++) {
		char *t = (char *)st->lens_buf[j] + (3 * idx + j) % 8;
		for(k = 0; k < j; k++) {
			t[k] = (char)('a' + (idx + j + k) % 26);
		}
		t[j] = '\0';
		st->lens_strs[j] = t;
	}
	if(f->field_id == 0) {
		f->res.str = st->lens_strs;
		f->res_len = LENS_COUNT;
	} else {
		f->res.str = &st->lens_strs[idx % LENS_COUNT];
		f->res_len = 1;
	}
	return SS_PLUGIN_SUCCESS;
}
