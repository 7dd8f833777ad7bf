/* batch_huge: sourcing and extraction (default fields) whose one batch claims N event pointers (open params N, decimal, up to 4294967295; default 3) for 2 MiB of memory: every pointer is to the same event evt-0, and the pointer array is one 2 MiB memfd page of pointers mapped again and again. Then EOF. Expected: valid; the host extracts at most MaxBatchEvents events of the batch and fails the rest with a limit error, in bounded memory. */
#define _GNU_SOURCE
#define FIXTURE_NAME "batch_huge"
#define FIXTURE_SOURCING
#define FIXTURE_EXTRACTION
#define OMIT_OPEN
#define OMIT_CLOSE
#define OMIT_NEXT_BATCH
#include <sys/mman.h>
#include <unistd.h>
#include "fixture.h"

#define HB_CHUNK ((size_t)2 << 20)

typedef struct hb_instance {
	uint32_t total;
	int done;
	uint8_t *evt;
	ss_plugin_event **evts;
	size_t map_len;
} hb_instance;

FX_API ss_instance_t *plugin_open(ss_plugin_t *s, const char *params, ss_plugin_rc *rc) {
	fx_state *st = (fx_state *)s;
	unsigned long long n = 3;
	hb_instance *inst;
	size_t off, i;
	int fd;
	uint8_t *base;
	ss_plugin_event **page;

	if(params != NULL && params[0] != '\0') {
		n = strtoull(params, NULL, 10);
	}
	if(n > 0xffffffffull) {
		fx_set_error(st, "invalid open params '%s'", params);
		*rc = SS_PLUGIN_FAILURE;
		return NULL;
	}
	inst = (hb_instance *)calloc(1, sizeof(hb_instance));
	inst->total = (uint32_t)n;
	inst->evt = fx_build_event(0);
	inst->map_len = ((size_t)n * 8 + HB_CHUNK - 1) / HB_CHUNK * HB_CHUNK;
	if(inst->map_len == 0) {
		inst->map_len = HB_CHUNK;
	}
	fd = memfd_create("batch_huge", 0);
	if(fd < 0 || ftruncate(fd, (off_t)HB_CHUNK) != 0) {
		fx_set_error(st, "memfd failed");
		*rc = SS_PLUGIN_FAILURE;
		return NULL;
	}
	page = (ss_plugin_event **)mmap(NULL, HB_CHUNK, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	for(i = 0; i < HB_CHUNK / 8; i++) {
		page[i] = (ss_plugin_event *)inst->evt;
	}
	munmap(page, HB_CHUNK);
	base = (uint8_t *)mmap(NULL, inst->map_len, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if(base == MAP_FAILED) {
		fx_set_error(st, "mmap failed");
		*rc = SS_PLUGIN_FAILURE;
		return NULL;
	}
	for(off = 0; off < inst->map_len; off += HB_CHUNK) {
		if(mmap(base + off, HB_CHUNK, PROT_READ, MAP_SHARED | MAP_FIXED, fd, 0) == MAP_FAILED) {
			fx_set_error(st, "mmap of the pointer page failed");
			*rc = SS_PLUGIN_FAILURE;
			return NULL;
		}
	}
	close(fd);
	inst->evts = (ss_plugin_event **)base;
	*rc = SS_PLUGIN_SUCCESS;
	return inst;
}

FX_API void plugin_close(ss_plugin_t *s, ss_instance_t *h) {
	hb_instance *inst = (hb_instance *)h;
	FX_UNUSED(s);
	if(inst == NULL) {
		return;
	}
	munmap(inst->evts, inst->map_len);
	free(inst->evt);
	free(inst);
}

FX_API ss_plugin_rc plugin_next_batch(ss_plugin_t *s, ss_instance_t *h, uint32_t *nevts, ss_plugin_event ***evts) {
	hb_instance *inst = (hb_instance *)h;
	FX_UNUSED(s);
	*evts = inst->evts;
	if(inst->done || inst->total == 0) {
		*nevts = 0;
		return SS_PLUGIN_EOF;
	}
	inst->done = 1;
	*nevts = inst->total;
	return SS_PLUGIN_SUCCESS;
}
