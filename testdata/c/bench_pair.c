/* bench_pair: a plugin for benchmarks (not a conformance fixture): sourcing (id 996, source "bench_pair") from a ring of prebuilt events, open params = the number of events; extraction of exactly two constant fields, one uint64 and one string; valid, and as cheap as a plugin can be. */
/*
 * The plugin behind the whole-process benchmark of `plugincheck --events N
 * --open-params N` (bench/, BENCHMARKS.md): plugincheck extracts every field
 * that takes no argument, so the plugin declares exactly the two fields the
 * benchmark is about.
 *
 * Everything that costs anything is done once, in plugin_open: the ring
 * of prebuilt events and its pointer array (bench_ring.h), as in
 * bench_noop.c. plugin_next_batch only moves an offset: every call returns
 * PR_BATCH (512) events, fewer for the last batch, then EOF.
 *
 * Open params: "" for an infinite stream, or a decimal number of events
 * (0 = infinite, at most 10^18). Anything else fails with
 * "invalid open params '<p>': want a decimal number of events".
 *
 * Fields (constants, independent of the event; each result points at
 * static storage and res_len is 1):
 *
 *   0 pair.num  uint64  7
 *   1 pair.str  string  "constant"
 *
 * Nothing is counted per call (no metrics), so that the plugin does no work
 * per event beyond setting two result pointers.
 */
#include <stdint.h>
#include <stdio.h>

#define BENCH_NAME "bench_pair"
#define BENCH_DESCRIPTION "plughost benchmark plugin: prebuilt events, one uint64 and one string field"
#define BENCH_ID 996
#define BENCH_SOURCE "bench_pair"
#define BENCH_PAYLOAD "pairevt!"
#include "bench_ring.h"

#define PR_BATCH 512u
#define PR_MAX_TOTAL 1000000000000000000ull

#define PR_FIELDS                                                             \
	"["                                                                       \
	"{\"type\":\"uint64\",\"name\":\"pair.num\",\"desc\":\"the constant 7\"}," \
	"{\"type\":\"string\",\"name\":\"pair.str\",\"desc\":\"the constant "     \
	"string 'constant'\"}"                                                    \
	"]"

static uint64_t pr_u64_value[1] = {7};
static const char *pr_str_value[1] = {"constant"};

static int bench_parse_params(bench_state *st, const char *params, uint32_t *batch, uint64_t *total) {
	uint64_t t = 0;
	if(params != NULL && params[0] != '\0') {
		const char *p = params;
		for(; *p >= '0' && *p <= '9'; p++) {
			t = t * 10 + (uint64_t)(*p - '0');
			if(t > PR_MAX_TOTAL) {
				break;
			}
		}
		if(*p != '\0' || t > PR_MAX_TOTAL) {
			snprintf(st->lasterr, sizeof(st->lasterr),
			         "invalid open params '%s': want a decimal number of events", params);
			return 0;
		}
	}
	*batch = PR_BATCH;
	*total = t;
	return 1;
}

BENCH_API const char *plugin_get_fields(void) {
	return PR_FIELDS;
}

BENCH_API ss_plugin_rc plugin_extract_fields(ss_plugin_t *s,
                                          const ss_plugin_event_input *evt,
                                          const ss_plugin_field_extract_input *in) {
	uint32_t i;
	(void)evt;
	for(i = 0; i < in->num_fields; i++) {
		ss_plugin_extract_field *f = &in->fields[i];
		switch(f->field_id) {
		case 0:
			f->res.u64 = pr_u64_value;
			break;
		case 1:
			f->res.str = pr_str_value;
			break;
		default: {
			bench_state *st = (bench_state *)s;
			snprintf(st->lasterr, sizeof(st->lasterr), "unknown field id %u", (unsigned)f->field_id);
			return SS_PLUGIN_FAILURE;
		}
		}
		f->res_len = 1;
	}
	return SS_PLUGIN_SUCCESS;
}
