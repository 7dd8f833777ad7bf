/* source_faults: a source whose open params pick one way next_batch misbehaves (after two good events). Expected: valid plugin; the host rejects the bad batch precisely. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "plugin_api.h"

#define ID 990

typedef struct { char err[256]; } state_t;
typedef struct {
	char mode[64];
	int calls;
	uint8_t buf[3][64];
	ss_plugin_event *ptrs[3];
} inst_t;

const char *plugin_get_required_api_version(void) { return "3.12.0"; }
const char *plugin_get_version(void) { return "0.1.0"; }
const char *plugin_get_name(void) { return "source_faults"; }
const char *plugin_get_description(void) { return "misbehaving source"; }
const char *plugin_get_contact(void) { return "plughost tests"; }
uint32_t plugin_get_id(void) { return ID; }
const char *plugin_get_event_source(void) { return "faults"; }

ss_plugin_t *plugin_init(const ss_plugin_init_input *in, ss_plugin_rc *rc) {
	(void)in;
	*rc = SS_PLUGIN_SUCCESS;
	return calloc(1, sizeof(state_t));
}
void plugin_destroy(ss_plugin_t *s) { free(s); }
const char *plugin_get_last_error(ss_plugin_t *s) { return s ? ((state_t *)s)->err : NULL; }

ss_instance_t *plugin_open(ss_plugin_t *s, const char *params, ss_plugin_rc *rc) {
	if(params && strcmp(params, "refuse") == 0) {
		strcpy(((state_t *)s)->err, "open refused");
		*rc = SS_PLUGIN_FAILURE;
		return NULL;
	}
	inst_t *i = calloc(1, sizeof(inst_t));
	strncpy(i->mode, params ? params : "", sizeof(i->mode) - 1);
	*rc = SS_PLUGIN_SUCCESS;
	return i;
}
void plugin_close(ss_plugin_t *s, ss_instance_t *h) { (void)s; free(h); }

static void put_event(uint8_t *b, uint64_t ts, uint32_t id, const char *data) {
	uint32_t n = (uint32_t)strlen(data);
	uint32_t len = 26 + 8 + 4 + n;
	uint64_t tid = 12345;
	uint16_t type = 322;
	uint32_t np = 2, four = 4;
	memcpy(b, &ts, 8);
	memcpy(b + 8, &tid, 8);
	memcpy(b + 16, &len, 4);
	memcpy(b + 20, &type, 2);
	memcpy(b + 22, &np, 4);
	memcpy(b + 26, &four, 4);
	memcpy(b + 30, &n, 4);
	memcpy(b + 34, &id, 4);
	memcpy(b + 38, data, n);
}

ss_plugin_rc plugin_next_batch(ss_plugin_t *s, ss_instance_t *h, uint32_t *nevts, ss_plugin_event ***evts) {
	inst_t *i = h;
	state_t *st = s;
	i->calls++;
	const char *m = i->mode;
	if(strcmp(m, "fail") == 0) {
		strcpy(st->err, "the source broke");
		return SS_PLUGIN_FAILURE;
	}
	if(strcmp(m, "empty_success") == 0) {
		*nevts = 0;
		return SS_PLUGIN_SUCCESS;
	}
	if(strcmp(m, "timeouts") == 0 && i->calls <= 3) {
		*nevts = 0;
		return SS_PLUGIN_TIMEOUT;
	}
	put_event(i->buf[0], 1000, 0, "good-0");
	put_event(i->buf[1], 2000, ID, "good-1");
	put_event(i->buf[2], 3000, 0, "bad");
	uint32_t v;
	if(strcmp(m, "short_len") == 0) {
		v = 20;
		memcpy(i->buf[2] + 16, &v, 4);
	} else if(strcmp(m, "len_mismatch") == 0) {
		v = 26 + 8 + 4 + 3 + 1;
		memcpy(i->buf[2] + 16, &v, 4);
	} else if(strcmp(m, "wrong_type") == 0) {
		uint16_t t = 3;
		memcpy(i->buf[2] + 20, &t, 2);
	} else if(strcmp(m, "foreign_id") == 0) {
		v = 7;
		memcpy(i->buf[2] + 34, &v, 4);
	} else if(strcmp(m, "ts_unset") == 0) {
		uint64_t ts = UINT64_MAX;
		memcpy(i->buf[2], &ts, 8);
	}
	for(int k = 0; k < 3; k++)
		i->ptrs[k] = (ss_plugin_event *)i->buf[k];
	if(strcmp(m, "null_event") == 0)
		i->ptrs[2] = NULL;
	*nevts = 3;
	*evts = i->ptrs;
	return (strcmp(m, "timeouts") == 0 || strcmp(m, "ts_unset") == 0) ? SS_PLUGIN_EOF : SS_PLUGIN_TIMEOUT;
}
