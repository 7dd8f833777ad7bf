/* event_len_4gib: next_batch returns one good plugin event, then one whose length fields agree (len = 38 + payload length) but claim 4 GiB - 1 in a 64-byte buffer. Expected: the host rejects the second event (above the host's cap on large-payload events) and never reads past its header; the first is delivered. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "plugin_api.h"

#define ID 988

typedef struct { char err[64]; } state_t;
typedef struct {
	int calls;
	uint8_t buf[2][64];
	ss_plugin_event *ptrs[2];
} inst_t;

const char *plugin_get_required_api_version(void) { return "3.12.0"; }
const char *plugin_get_version(void) { return "0.1.0"; }
const char *plugin_get_name(void) { return "event_len_4gib"; }
const char *plugin_get_description(void) { return "a source whose second event claims 4 GiB"; }
const char *plugin_get_contact(void) { return "plughost tests"; }
uint32_t plugin_get_id(void) { return ID; }
const char *plugin_get_event_source(void) { return "huge"; }

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

/* put_event writes a plugin event header claiming a payload of plen bytes
 * and copies the n bytes of data after it (n <= 26). */
static void put_event(uint8_t *b, uint64_t ts, uint32_t plen, const char *data, uint32_t n) {
	uint32_t len = 38 + plen, four = 4, np = 2, id = 0;
	uint64_t tid = (uint64_t)-1;
	uint16_t type = 322;
	memcpy(b, &ts, 8);
	memcpy(b + 8, &tid, 8);
	memcpy(b + 16, &len, 4);
	memcpy(b + 20, &type, 2);
	memcpy(b + 22, &np, 4);
	memcpy(b + 26, &four, 4);
	memcpy(b + 30, &plen, 4);
	memcpy(b + 34, &id, 4);
	memcpy(b + 38, data, n);
}

ss_plugin_rc plugin_next_batch(ss_plugin_t *s, ss_instance_t *h, uint32_t *nevts, ss_plugin_event ***evts) {
	(void)s;
	inst_t *i = h;
	if(i->calls++ > 0) {
		*nevts = 0;
		return SS_PLUGIN_EOF;
	}
	put_event(i->buf[0], 1000, 4, "good", 4);
	put_event(i->buf[1], 2000, UINT32_MAX - 38, "huge", 4);
	i->ptrs[0] = (ss_plugin_event *)i->buf[0];
	i->ptrs[1] = (ss_plugin_event *)i->buf[1];
	*nevts = 2;
	*evts = i->ptrs;
	return SS_PLUGIN_SUCCESS;
}
