/* extract_huge: extraction (sources ["fixture_src"]) with results at and past the host's caps, for any event: huge.list is a uint64 list of 2^20 values (8 MiB, at MaxListValues), huge.over a uint64 list of 2^20+1 values (one past it), huge.str one string of N bytes of 'x' (N = the init config as a decimal, default 1048576). Expected: valid; huge.over fails with a list-cap error, huge.str past the arena or value cap with a limit error. */
#define FIXTURE_NAME "extract_huge"
#define FIXTURE_EXTRACTION
#define FIXTURE_EXTRACT_SOURCES "[\"fixture_src\"]"
#define FIXTURE_EXTRACT_HOOK
#define FIXTURE_INIT_HOOK
#define FIXTURE_FIELDS                                                          \
	"[{\"type\":\"uint64\",\"name\":\"huge.list\",\"desc\":\"2^20 values\","   \
	"\"isList\":true},"                                                        \
	"{\"type\":\"uint64\",\"name\":\"huge.over\",\"desc\":\"2^20+1 values\","  \
	"\"isList\":true},"                                                        \
	"{\"type\":\"string\",\"name\":\"huge.str\",\"desc\":\"N bytes\"}]"
#define HUGE_LIST ((uint32_t)1 << 20)
#define FIXTURE_STATE_EXTRA \
	uint64_t *huge_vals;    \
	char *huge_text;        \
	const char *huge_strs[1];
#include "fixture.h"

static ss_plugin_rc fixture_init_hook(fx_state *st, const ss_plugin_init_input *in) {
	unsigned long long n = 1048576;
	uint32_t i;
	FX_UNUSED(in);
	if(st->config != NULL && st->config[0] != '\0') {
		n = strtoull(st->config, NULL, 10);
	}
	st->huge_vals = (uint64_t *)malloc(((size_t)HUGE_LIST + 1) * sizeof(uint64_t));
	st->huge_text = (char *)malloc((size_t)n + 1);
	if(st->huge_vals == NULL || st->huge_text == NULL) {
		fx_set_error(st, "out of memory");
		return SS_PLUGIN_FAILURE;
	}
	for(i = 0; i <= HUGE_LIST; i++) {
		st->huge_vals[i] = i;
	}
	memset(st->huge_text, 'x', (size_t)n);
	st->huge_text[n] = '\0';
	st->huge_strs[0] = st->huge_text;
	return SS_PLUGIN_SUCCESS;
}

static int fixture_extract_hook(fx_state *st, fx_slot *slot, ss_plugin_extract_field *f) {
	FX_UNUSED(slot);
	switch(f->field_id) {
	case 0:
		f->res.u64 = st->huge_vals;
		f->res_len = HUGE_LIST;
		return 1;
	case 1:
		f->res.u64 = st->huge_vals;
		f->res_len = (uint64_t)HUGE_LIST + 1;
		return 1;
	case 2:
		f->res.str = st->huge_strs;
		f->res_len = 1;
		return 1;
	}
	return 0;
}
