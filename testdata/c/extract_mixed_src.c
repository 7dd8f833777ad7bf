/* extract_mixed_src: an id-0 source (no get_id/get_event_source) whose batch mixes event types: open params N (default 3) give N plugin events evt-0..evt-<N-1> as in fixture.h, the first three each preceded by a 26-byte header-only event of type 3, e.g. N=4: [t3, evt-0, t3, evt-1, t3, evt-2, evt-3]. Expected: valid. */
#define FIXTURE_NAME "extract_mixed_src"
#define FIXTURE_SOURCING
#define OMIT_GET_ID
#define OMIT_GET_EVENT_SOURCE
#define OMIT_OPEN
#define OMIT_CLOSE
#define OMIT_NEXT_BATCH
#include "fixture.h"

#define MIXED_RAW_TYPE 3
#define MIXED_MAX 64

typedef struct mixed_instance {
	uint32_t n;
	int done;
	uint8_t *bufs[2 * MIXED_MAX];
	ss_plugin_event *evts[2 * MIXED_MAX];
} mixed_instance;

static void mixed_free(mixed_instance *m) {
	uint32_t i;
	for(i = 0; i < m->n; i++) {
		free(m->bufs[i]);
	}
	free(m);
}

FX_API ss_instance_t *plugin_open(ss_plugin_t *s, const char *params, ss_plugin_rc *rc) {
	fx_state *st = (fx_state *)s;
	mixed_instance *m = (mixed_instance *)calloc(1, sizeof(mixed_instance));
	uint32_t nplugin = 3, i;
	if(m == NULL) {
		*rc = SS_PLUGIN_FAILURE;
		return NULL;
	}
	if(params != NULL && params[0] != '\0') {
		nplugin = (uint32_t)strtoul(params, NULL, 10);
	}
	if(nplugin > MIXED_MAX) {
		fx_set_error(st, "at most %d events", MIXED_MAX);
		free(m);
		*rc = SS_PLUGIN_FAILURE;
		return NULL;
	}
	for(i = 0; i < nplugin; i++) {
		if(i < 3) {
			ss_plugin_event hdr;
			uint8_t *raw = (uint8_t *)calloc(1, FX_EVT_HDR_LEN);
			if(raw == NULL) {
				mixed_free(m);
				*rc = SS_PLUGIN_FAILURE;
				return NULL;
			}
			hdr.ts = FX_EVT_TS_BASE + 100 + i;
			hdr.tid = 77;
			hdr.len = FX_EVT_HDR_LEN;
			hdr.type = MIXED_RAW_TYPE;
			hdr.nparams = 0;
			memcpy(raw, &hdr, FX_EVT_HDR_LEN);
			m->bufs[m->n++] = raw;
		}
		m->bufs[m->n] = fx_build_event(i);
		if(m->bufs[m->n] == NULL) {
			mixed_free(m);
			*rc = SS_PLUGIN_FAILURE;
			return NULL;
		}
		m->n++;
	}
	for(i = 0; i < m->n; i++) {
		m->evts[i] = (ss_plugin_event *)m->bufs[i];
	}
	*rc = SS_PLUGIN_SUCCESS;
	return m;
}

FX_API void plugin_close(ss_plugin_t *s, ss_instance_t *h) {
	FX_UNUSED(s);
	if(h != NULL) {
		mixed_free((mixed_instance *)h);
	}
}

/* The first call returns the whole batch; then EOF. */
FX_API ss_plugin_rc plugin_next_batch(ss_plugin_t *s, ss_instance_t *h, uint32_t *nevts, ss_plugin_event ***evts) {
	mixed_instance *m = (mixed_instance *)h;
	FX_UNUSED(s);
	if(m->done || m->n == 0) {
		*nevts = 0;
		*evts = m->evts;
		return SS_PLUGIN_EOF;
	}
	m->done = 1;
	*nevts = m->n;
	*evts = m->evts;
	return SS_PLUGIN_SUCCESS;
}
