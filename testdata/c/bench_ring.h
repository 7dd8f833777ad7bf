/*
 * bench_ring.h: the prebuilt event ring shared by the benchmark plugins
 * (bench_noop.c, bench_pair.c). Everything that costs anything is done once,
 * in plugin_open: BENCH_RING real plugin events (type 322, 2 params: the u32
 * plugin id 0, filled by the host, and an 8-byte payload; 46 bytes each,
 * BENCH_EVT_STRIDE bytes apart) and an array of pointers in which any
 * window of up to `batch` consecutive pointers starting inside the ring is
 * valid, so next_batch only moves an offset.
 */
#ifndef PLUGHOST_BENCH_RING_H
#define PLUGHOST_BENCH_RING_H

#include <stdint.h>
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

#endif
