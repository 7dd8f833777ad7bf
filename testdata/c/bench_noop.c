/* bench_noop: a plugin for benchmarks (not a conformance fixture): sourcing (id 997, source "bench_noop") from a ring of prebuilt events, and extraction of constant fields; valid, and as cheap as a plugin can be. */
/*
 * Everything that costs anything is done once, in plugin_open: the ring
 * of prebuilt events and its pointer array (bench_ring.h).
 *
 * plugin_next_batch then only moves an offset: every call returns exactly
 * <batch> events (fewer for the last batch when a total is set) and never
 * returns EOF unless a total was given. Open params:
 *
 *   ""                 batch of 512 events, infinite
 *   "<batch>"          batch of <batch> events (1..65536), infinite
 *   "<batch>,<total>"  idem, EOF after <total> events (0 = infinite,
 *                      at most 10^18)
 *
 * Fields (all constants, independent of the event):
 *
 *   0 noop.u1  uint64  1
 *   1 noop.u2  uint64  2
 *   2 noop.u3  uint64  3
 *   3 noop.u4  uint64  4
 *   4 noop.str string  "constant"
 *
 * Each result points at static storage; res_len is 1.
 */
#include <stdint.h>
#include <stdio.h>

#define BENCH_NAME "bench_noop"
#define BENCH_DESCRIPTION "plughost benchmark plugin: prebuilt events, constant fields"
#define BENCH_ID 997
#define BENCH_SOURCE "bench_noop"
#define BENCH_PAYLOAD "benchevt"
#include "bench_ring.h"

#define BN_DEFAULT_BATCH 512u
#define BN_MAX_BATCH 65536u
#define BN_MAX_TOTAL 1000000000000000000ull

#define BN_FIELDS                                                                   \
	"["                                                                             \
	"{\"type\":\"uint64\",\"name\":\"noop.u1\",\"desc\":\"the constant 1\"},"      \
	"{\"type\":\"uint64\",\"name\":\"noop.u2\",\"desc\":\"the constant 2\"},"      \
	"{\"type\":\"uint64\",\"name\":\"noop.u3\",\"desc\":\"the constant 3\"},"      \
	"{\"type\":\"uint64\",\"name\":\"noop.u4\",\"desc\":\"the constant 4\"},"      \
	"{\"type\":\"string\",\"name\":\"noop.str\",\"desc\":\"the constant string " \
	"'constant'\"}"                                                                 \
	"]"

static uint64_t bn_u64_values[4] = {1, 2, 3, 4};
static const char *bn_str_values[1] = {"constant"};

/* Parses a decimal in [lo, hi] from *p up to a ',' or the end. */
static int bn_parse_num(const char **p, uint64_t lo, uint64_t hi, uint64_t *out) {
	const char *s = *p;
	uint64_t v = 0;
	if(*s < '0' || *s > '9') {
		return 0;
	}
	for(; *s >= '0' && *s <= '9'; s++) {
		v = v * 10 + (uint64_t)(*s - '0');
		if(v > hi) {
			return 0;
		}
	}
	if(v < lo || (*s != '\0' && *s != ',')) {
		return 0;
	}
	*p = s;
	*out = v;
	return 1;
}

static int bench_parse_params(bench_state *st, const char *params, uint32_t *batch, uint64_t *total) {
	uint64_t b = BN_DEFAULT_BATCH;
	*total = 0;
	if(params != NULL && params[0] != '\0') {
		const char *p = params;
		int ok = bn_parse_num(&p, 1, BN_MAX_BATCH, &b);
		if(ok && *p == ',') {
			p++;
			ok = bn_parse_num(&p, 0, BN_MAX_TOTAL, total);
		}
		if(!ok || *p != '\0') {
			snprintf(st->lasterr, sizeof(st->lasterr),
			         "invalid open params '%s': want \"<batch>\" or \"<batch>,<total>\" "
			         "(batch 1..%u, total 0 = infinite)",
			         params, BN_MAX_BATCH);
			return 0;
		}
	}
	*batch = (uint32_t)b;
	return 1;
}

BENCH_API const char *plugin_get_fields(void) {
	return BN_FIELDS;
}

BENCH_API ss_plugin_rc plugin_extract_fields(ss_plugin_t *s,
                                          const ss_plugin_event_input *evt,
                                          const ss_plugin_field_extract_input *in) {
	uint32_t i;
	(void)evt;
	for(i = 0; i < in->num_fields; i++) {
		ss_plugin_extract_field *f = &in->fields[i];
		uint32_t id = f->field_id;
		if(id < 4) {
			f->res.u64 = &bn_u64_values[id];
		} else if(id == 4) {
			f->res.str = bn_str_values;
		} else {
			bench_state *st = (bench_state *)s;
			snprintf(st->lasterr, sizeof(st->lasterr), "unknown field id %u", (unsigned)id);
			return SS_PLUGIN_FAILURE;
		}
		f->res_len = 1;
	}
	return SS_PLUGIN_SUCCESS;
}
