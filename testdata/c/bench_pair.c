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
#include <stdlib.h>
#include <string.h>

#include "plugin_api.h"
#include "bench_ring.h"

#define PR_API __attribute__((visibility("default")))

#define PR_ID 996
#define PR_SOURCE "bench_pair"
#define PR_BATCH 512u
#define PR_MAX_TOTAL 1000000000000000000ull
/* Events are 46 bytes long; they are 8-byte aligned in the ring. */

#define PR_FIELDS                                                             \
	"["                                                                       \
	"{\"type\":\"uint64\",\"name\":\"pair.num\",\"desc\":\"the constant 7\"}," \
	"{\"type\":\"string\",\"name\":\"pair.str\",\"desc\":\"the constant "     \
	"string 'constant'\"}"                                                    \
	"]"

typedef struct pr_state {
	char lasterr[PLUGIN_MAX_ERRLEN];
} pr_state;

typedef struct pr_instance {
	uint64_t total;     /* 0 = infinite */
	uint64_t delivered; /* events returned so far */
	uint32_t pos;       /* start of the next batch in the ring */
	uint8_t *buf;       /* BENCH_RING events, BENCH_EVT_STRIDE bytes apart */
	ss_plugin_event **ptrs; /* BENCH_RING + PR_BATCH pointers */
} pr_instance;

static uint64_t pr_u64_value[1] = {7};
static const char *pr_str_value[1] = {"constant"};

PR_API const char *plugin_get_required_api_version(void) {
	return "3.0.0";
}

PR_API const char *plugin_get_version(void) {
	return "0.1.0";
}

PR_API const char *plugin_get_name(void) {
	return "bench_pair";
}

PR_API const char *plugin_get_description(void) {
	return "plughost benchmark plugin: prebuilt events, one uint64 and one string field";
}

PR_API const char *plugin_get_contact(void) {
	return "https://github.com/plughost/plughost";
}

PR_API ss_plugin_t *plugin_init(const ss_plugin_init_input *in, ss_plugin_rc *rc) {
	pr_state *st = (pr_state *)calloc(1, sizeof(pr_state));
	(void)in;
	*rc = st != NULL ? SS_PLUGIN_SUCCESS : SS_PLUGIN_FAILURE;
	return st;
}

PR_API void plugin_destroy(ss_plugin_t *s) {
	free(s);
}

PR_API const char *plugin_get_last_error(ss_plugin_t *s) {
	pr_state *st = (pr_state *)s;
	return st != NULL ? st->lasterr : NULL;
}

PR_API uint32_t plugin_get_id(void) {
	return PR_ID;
}

PR_API const char *plugin_get_event_source(void) {
	return PR_SOURCE;
}

PR_API ss_instance_t *plugin_open(ss_plugin_t *s, const char *params, ss_plugin_rc *rc) {
	pr_state *st = (pr_state *)s;
	uint64_t total = 0;
	pr_instance *inst;

	if(params != NULL && params[0] != '\0') {
		const char *p = params;
		for(; *p >= '0' && *p <= '9'; p++) {
			total = total * 10 + (uint64_t)(*p - '0');
			if(total > PR_MAX_TOTAL) {
				break;
			}
		}
		if(*p != '\0' || total > PR_MAX_TOTAL) {
			snprintf(st->lasterr, sizeof(st->lasterr),
			         "invalid open params '%s': want a decimal number of events", params);
			*rc = SS_PLUGIN_FAILURE;
			return NULL;
		}
	}

	inst = (pr_instance *)calloc(1, sizeof(pr_instance));
	if(inst != NULL) {
		inst->buf = bench_ring_new("pairevt!", PR_BATCH, &inst->ptrs);
	}
	if(inst == NULL || inst->buf == NULL) {
		free(inst);
		snprintf(st->lasterr, sizeof(st->lasterr), "out of memory");
		*rc = SS_PLUGIN_FAILURE;
		return NULL;
	}
	inst->total = total;
	*rc = SS_PLUGIN_SUCCESS;
	return inst;
}

PR_API void plugin_close(ss_plugin_t *s, ss_instance_t *h) {
	pr_instance *inst = (pr_instance *)h;
	(void)s;
	if(inst != NULL) {
		bench_ring_free(inst->buf, inst->ptrs);
		free(inst);
	}
}

PR_API ss_plugin_rc plugin_next_batch(ss_plugin_t *s,
                                      ss_instance_t *h,
                                      uint32_t *nevts,
                                      ss_plugin_event ***evts) {
	pr_instance *inst = (pr_instance *)h;
	uint32_t n = PR_BATCH;
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

PR_API const char *plugin_get_fields(void) {
	return PR_FIELDS;
}

PR_API ss_plugin_rc plugin_extract_fields(ss_plugin_t *s,
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
			pr_state *st = (pr_state *)s;
			snprintf(st->lasterr, sizeof(st->lasterr), "unknown field id %u", (unsigned)f->field_id);
			return SS_PLUGIN_FAILURE;
		}
		}
		f->res_len = 1;
	}
	return SS_PLUGIN_SUCCESS;
}
