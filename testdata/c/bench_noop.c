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
#include <stdlib.h>
#include <string.h>

#include "plugin_api.h"
#include "bench_ring.h"

#define BN_API __attribute__((visibility("default")))

#define BN_ID 997
#define BN_SOURCE "bench_noop"
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

typedef struct bn_state {
	char lasterr[PLUGIN_MAX_ERRLEN];
} bn_state;

typedef struct bn_instance {
	uint32_t batch;
	uint64_t total;     /* 0 = infinite */
	uint64_t delivered; /* events returned so far */
	uint32_t pos;       /* start of the next batch in the ring */
	uint8_t *buf;       /* BENCH_RING events, BENCH_EVT_STRIDE bytes apart */
	ss_plugin_event **ptrs; /* BENCH_RING + batch pointers */
} bn_instance;

static uint64_t bn_u64_values[4] = {1, 2, 3, 4};
static const char *bn_str_values[1] = {"constant"};

BN_API const char *plugin_get_required_api_version(void) {
	return "3.0.0";
}

BN_API const char *plugin_get_version(void) {
	return "0.1.0";
}

BN_API const char *plugin_get_name(void) {
	return "bench_noop";
}

BN_API const char *plugin_get_description(void) {
	return "plughost benchmark plugin: prebuilt events, constant fields";
}

BN_API const char *plugin_get_contact(void) {
	return "https://github.com/plughost/plughost";
}

BN_API ss_plugin_t *plugin_init(const ss_plugin_init_input *in, ss_plugin_rc *rc) {
	bn_state *st = (bn_state *)calloc(1, sizeof(bn_state));
	(void)in;
	*rc = st != NULL ? SS_PLUGIN_SUCCESS : SS_PLUGIN_FAILURE;
	return st;
}

BN_API void plugin_destroy(ss_plugin_t *s) {
	free(s);
}

BN_API const char *plugin_get_last_error(ss_plugin_t *s) {
	bn_state *st = (bn_state *)s;
	return st != NULL ? st->lasterr : NULL;
}

BN_API uint32_t plugin_get_id(void) {
	return BN_ID;
}

BN_API const char *plugin_get_event_source(void) {
	return BN_SOURCE;
}

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

static void bn_free_instance(bn_instance *inst) {
	if(inst != NULL) {
		bench_ring_free(inst->buf, inst->ptrs);
		free(inst);
	}
}

BN_API ss_instance_t *plugin_open(ss_plugin_t *s, const char *params, ss_plugin_rc *rc) {
	bn_state *st = (bn_state *)s;
	uint64_t batch = BN_DEFAULT_BATCH, total = 0;
	bn_instance *inst;

	if(params != NULL && params[0] != '\0') {
		const char *p = params;
		int ok = bn_parse_num(&p, 1, BN_MAX_BATCH, &batch);
		if(ok && *p == ',') {
			p++;
			ok = bn_parse_num(&p, 0, BN_MAX_TOTAL, &total);
		}
		if(!ok || *p != '\0') {
			snprintf(st->lasterr, sizeof(st->lasterr),
			         "invalid open params '%s': want \"<batch>\" or \"<batch>,<total>\" "
			         "(batch 1..%u, total 0 = infinite)",
			         params, BN_MAX_BATCH);
			*rc = SS_PLUGIN_FAILURE;
			return NULL;
		}
	}

	inst = (bn_instance *)calloc(1, sizeof(bn_instance));
	if(inst != NULL) {
		inst->buf = bench_ring_new("benchevt", (uint32_t)batch, &inst->ptrs);
	}
	if(inst == NULL || inst->buf == NULL || inst->ptrs == NULL) {
		bn_free_instance(inst);
		snprintf(st->lasterr, sizeof(st->lasterr), "out of memory");
		*rc = SS_PLUGIN_FAILURE;
		return NULL;
	}
	inst->batch = (uint32_t)batch;
	inst->total = total;

	*rc = SS_PLUGIN_SUCCESS;
	return inst;
}

BN_API void plugin_close(ss_plugin_t *s, ss_instance_t *h) {
	(void)s;
	bn_free_instance((bn_instance *)h);
}

BN_API ss_plugin_rc plugin_next_batch(ss_plugin_t *s,
                                      ss_instance_t *h,
                                      uint32_t *nevts,
                                      ss_plugin_event ***evts) {
	bn_instance *inst = (bn_instance *)h;
	uint32_t n = inst->batch;
	(void)s;
	*evts = &inst->ptrs[inst->pos];
	if(inst->total != 0) {
		uint64_t left = inst->total - inst->delivered;
		if(left == 0) {
			*nevts = 0;
			return SS_PLUGIN_EOF;
		}
		if(left < n) {
			n = (uint32_t)left;
		}
		inst->delivered += n;
	}
	*nevts = n;
	inst->pos = (inst->pos + n) % BENCH_RING;
	return SS_PLUGIN_SUCCESS;
}

BN_API const char *plugin_get_fields(void) {
	return BN_FIELDS;
}

BN_API ss_plugin_rc plugin_extract_fields(ss_plugin_t *s,
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
			bn_state *st = (bn_state *)s;
			snprintf(st->lasterr, sizeof(st->lasterr), "unknown field id %u", (unsigned)id);
			return SS_PLUGIN_FAILURE;
		}
		f->res_len = 1;
	}
	return SS_PLUGIN_SUCCESS;
}
