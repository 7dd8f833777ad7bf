/* source_id0_short_plugin_event: an id-0 source whose next_batch returns a well-formed plugin event of plugin 999, then a 26-byte event of type 322 (a bare header, 0 params). Expected: the host rejects the second event as a malformed plugin event, so that Event.Data never reads past it; the first is delivered. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "plugin_api.h"

typedef struct { char err[64]; } state_t;
typedef struct {
	int calls;
	uint8_t buf[2][64];
	ss_plugin_event *ptrs[2];
} inst_t;

const char *plugin_get_required_api_version(void) { return "3.12.0"; }
const char *plugin_get_version(void) { return "0.1.0"; }
const char *plugin_get_name(void) { return "source_id0_short_plugin_event"; }
const char *plugin_get_description(void) { return "an id-0 source with a 26-byte plugin event"; }
const char *plugin_get_contact(void) { return "plughost tests"; }

ss_plugin_t *plugin_init(const ss_plugin_init_input *in, ss_plugin_rc *rc) {
	(void)in;
	*rc = SS_PLUGIN_SUCCESS;
	return calloc(1, sizeof(state_t));
}
void plugin_destroy(ss_plugin_t *s) { free(s); }
const char *plugin_get_last_error(ss_plugin_t *s) { return s ? ((state_t *)s)->err : NULL; }

ss_instance_t *plugin_open(ss_plugin_t *s, const char *params, ss_plugin_rc *rc) {
	(void)s;
	(void)params;
	*rc = SS_PLUGIN_SUCCESS;
	return calloc(1, sizeof(inst_t));
}
void plugin_close(ss_plugin_t *s, ss_instance_t *h) { (void)s; free(h); }

static void put_header(uint8_t *b, uint64_t ts, uint32_t len, uint32_t np) {
	uint64_t tid = (uint64_t)-1;
	uint16_t type = 322;
	memcpy(b, &ts, 8);
	memcpy(b + 8, &tid, 8);
	memcpy(b + 16, &len, 4);
	memcpy(b + 20, &type, 2);
	memcpy(b + 22, &np, 4);
}

ss_plugin_rc plugin_next_batch(ss_plugin_t *s, ss_instance_t *h, uint32_t *nevts, ss_plugin_event ***evts) {
	(void)s;
	inst_t *i = h;
	if(i->calls++ > 0) {
		*nevts = 0;
		return SS_PLUGIN_EOF;
	}
	uint32_t four = 4, plen = 4, id = 999;
	put_header(i->buf[0], 1000, 38 + plen, 2);
	memcpy(i->buf[0] + 26, &four, 4);
	memcpy(i->buf[0] + 30, &plen, 4);
	memcpy(i->buf[0] + 34, &id, 4);
	memcpy(i->buf[0] + 38, "good", 4);
	put_header(i->buf[1], 2000, 26, 0);
	i->ptrs[0] = (ss_plugin_event *)i->buf[0];
	i->ptrs[1] = (ss_plugin_event *)i->buf[1];
	*nevts = 2;
	*evts = i->ptrs;
	return SS_PLUGIN_SUCCESS;
}
