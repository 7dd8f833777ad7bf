/*
 * bench_ring.h: the body of the benchmark plugins (bench_noop.c,
 * bench_pair.c), which differ only in their open params and fields.
 * Everything that costs anything is done once, in plugin_open: BENCH_RING
 * real plugin events (type 322, 2 params: the u32 plugin id 0, filled by
 * the host, and an 8-byte payload; 46 bytes each, BENCH_EVT_STRIDE bytes
 * apart) and an array of pointers in which any window of up to `batch`
 * consecutive pointers starting inside the ring is valid, so next_batch only
 * moves an offset: every call returns `batch` events (fewer for the last
 * batch when a total is set), then EOF, or never EOF without a total.
 *
 * The plugin defines BENCH_NAME, BENCH_DESCRIPTION, BENCH_ID, BENCH_SOURCE
 * and BENCH_PAYLOAD (8 bytes) before including this file, then defines
 *
 *   static int bench_parse_params(bench_state *st, const char *params,
 *                                 uint32_t *batch, uint64_t *total);
 *
 * (1 on success; 0 after writing st->lasterr), plugin_get_fields and
 * plugin_extract_fields. The header emits every other symbol.
 */
#ifndef PLUGHOST_BENCH_RING_H
#define PLUGHOST_BENCH_RING_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "plugin_api.h"

#define BENCH_RING 1024u
#define BENCH_HDR_LEN 26u
#define BENCH_PAYLOAD_LEN 8u
#define BENCH_EVT_LEN (BENCH_HDR_LEN + 4u + 4u + 4u + BENCH_PAYLOAD_LEN)
#define BENCH_EVT_STRIDE 48u
#define BENCH_TS_BASE 1700000000000000000ull

/* bench_ring_new allocates and fills the ring with events carrying payload
 * (8 bytes) and the pointer array of BENCH_RING + batch entries; NULL when
 * out of memory. bench_ring_free frees both. */
static uint8_t *bench_ring_new(const char *payload, uint32_t batch, ss_plugin_event ***ptrs) {
	uint8_t *buf = (uint8_t *)calloc(BENCH_RING, BENCH_EVT_STRIDE);
	ss_plugin_event **p = (ss_plugin_event **)calloc(BENCH_RING + batch, sizeof(*p));
	uint32_t i;
	if(buf == NULL || p == NULL) {
		free(buf);
		free(p);
		return NULL;
	}
	for(i = 0; i < BENCH_RING; i++) {
		uint8_t *e = buf + (size_t)i * BENCH_EVT_STRIDE;
		ss_plugin_event hdr;
		uint32_t u32;
		hdr.ts = BENCH_TS_BASE + i;
		hdr.tid = (uint64_t)-1;
		hdr.len = BENCH_EVT_LEN;
		hdr.type = 322;
		hdr.nparams = 2;
		memcpy(e, &hdr, BENCH_HDR_LEN);
		u32 = 4; /* length of param 1: the plugin id */
		memcpy(e + BENCH_HDR_LEN, &u32, 4);
		u32 = BENCH_PAYLOAD_LEN; /* length of param 2: the payload */
		memcpy(e + BENCH_HDR_LEN + 4, &u32, 4);
		u32 = 0; /* plugin id, filled by the host */
		memcpy(e + BENCH_HDR_LEN + 8, &u32, 4);
		memcpy(e + BENCH_HDR_LEN + 12, payload, BENCH_PAYLOAD_LEN);
	}
	for(i = 0; i < BENCH_RING + batch; i++) {
		p[i] = (ss_plugin_event *)(buf + (size_t)(i % BENCH_RING) * BENCH_EVT_STRIDE);
	}
	*ptrs = p;
	return buf;
}

static void bench_ring_free(uint8_t *buf, ss_plugin_event **ptrs) {
	free(buf);
	free(ptrs);
}

#define BENCH_API __attribute__((visibility("default")))

typedef struct bench_state {
	char lasterr[PLUGIN_MAX_ERRLEN];
} bench_state;

typedef struct bench_instance {
	uint32_t batch;
	uint64_t total;         /* 0 = infinite */
	uint64_t delivered;     /* events returned so far */
	uint32_t pos;           /* start of the next batch in the ring */
	uint8_t *buf;           /* BENCH_RING events, BENCH_EVT_STRIDE bytes apart */
	ss_plugin_event **ptrs; /* BENCH_RING + batch pointers */
} bench_instance;

static int bench_parse_params(bench_state *st, const char *params, uint32_t *batch, uint64_t *total);

BENCH_API const char *plugin_get_required_api_version(void) {
	return "3.0.0";
}

BENCH_API const char *plugin_get_version(void) {
	return "0.1.0";
}

BENCH_API const char *plugin_get_name(void) {
	return BENCH_NAME;
}

BENCH_API const char *plugin_get_description(void) {
	return BENCH_DESCRIPTION;
}

BENCH_API const char *plugin_get_contact(void) {
	return "https://github.com/plughost/plughost";
}

BENCH_API ss_plugin_t *plugin_init(const ss_plugin_init_input *in, ss_plugin_rc *rc) {
	bench_state *st = (bench_state *)calloc(1, sizeof(bench_state));
	(void)in;
	*rc = st != NULL ? SS_PLUGIN_SUCCESS : SS_PLUGIN_FAILURE;
	return st;
}

BENCH_API void plugin_destroy(ss_plugin_t *s) {
	free(s);
}

BENCH_API const char *plugin_get_last_error(ss_plugin_t *s) {
	bench_state *st = (bench_state *)s;
	return st != NULL ? st->lasterr : NULL;
}

BENCH_API uint32_t plugin_get_id(void) {
	return BENCH_ID;
}

BENCH_API const char *plugin_get_event_source(void) {
	return BENCH_SOURCE;
}

static void bench_free_instance(bench_instance *inst) {
	if(inst != NULL) {
		bench_ring_free(inst->buf, inst->ptrs);
		free(inst);
	}
}

BENCH_API ss_instance_t *plugin_open(ss_plugin_t *s, const char *params, ss_plugin_rc *rc) {
	bench_state *st = (bench_state *)s;
	uint32_t batch = 0;
	uint64_t total = 0;
	bench_instance *inst;

	if(!bench_parse_params(st, params, &batch, &total)) {
		*rc = SS_PLUGIN_FAILURE;
		return NULL;
	}
	inst = (bench_instance *)calloc(1, sizeof(bench_instance));
	if(inst != NULL) {
		inst->buf = bench_ring_new(BENCH_PAYLOAD, batch, &inst->ptrs);
	}
	if(inst == NULL || inst->buf == NULL) {
		bench_free_instance(inst);
		snprintf(st->lasterr, sizeof(st->lasterr), "out of memory");
		*rc = SS_PLUGIN_FAILURE;
		return NULL;
	}
	inst->batch = batch;
	inst->total = total;
	*rc = SS_PLUGIN_SUCCESS;
	return inst;
}

BENCH_API void plugin_close(ss_plugin_t *s, ss_instance_t *h) {
	(void)s;
	bench_free_instance((bench_instance *)h);
}

BENCH_API ss_plugin_rc plugin_next_batch(ss_plugin_t *s,
                                         ss_instance_t *h,
                                         uint32_t *nevts,
                                         ss_plugin_event ***evts) {
	bench_instance *inst = (bench_instance *)h;
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

#endif
