/*
 * fixture.h - shared scaffolding for the C plugin fixtures in this folder.
 *
 * Every fixture is one .c file that sets a few macros and then includes this
 * header, which emits the plugin_* symbols. Build one fixture with:
 *
 *   cc -shared -fPIC -O2 -Wall -Werror -I testdata/c -I <sdk>/pkg/sdk \
 *      -o out.so testdata/c/<name>.c
 *
 * Knobs (define before the #include; every one is optional):
 *
 * Required symbols (always emitted unless OMIT_<SYMBOL> is defined):
 *   FIXTURE_API_VERSION  plugin_get_required_api_version   default "3.12.0"
 *   FIXTURE_VERSION      plugin_get_version                default "0.1.0"
 *   FIXTURE_NAME         plugin_get_name                   default "fixture"
 *   FIXTURE_DESCRIPTION  plugin_get_description            default text
 *   FIXTURE_CONTACT      plugin_get_contact                default text
 *   plugin_init / plugin_destroy / plugin_get_last_error
 *   Any of the string knobs may be defined as NULL.
 *   OMIT_GET_REQUIRED_API_VERSION OMIT_GET_VERSION OMIT_GET_NAME
 *   OMIT_GET_DESCRIPTION OMIT_GET_CONTACT OMIT_INIT OMIT_DESTROY
 *   OMIT_GET_LAST_ERROR
 *
 * Capabilities (opt in):
 *   FIXTURE_SOURCING     get_id, get_event_source, open, close, next_batch
 *                        FIXTURE_ID (default 999), FIXTURE_EVENT_SOURCE
 *                        (default "fixture_src"); OMIT_GET_ID,
 *                        OMIT_GET_EVENT_SOURCE, OMIT_OPEN, OMIT_CLOSE,
 *                        OMIT_NEXT_BATCH.
 *                        FIXTURE_SOURCING_EXTRAS adds list_open_params,
 *                        get_progress and event_to_string.
 *   FIXTURE_EXTRACTION   get_fields, extract_fields; FIXTURE_FIELDS (default
 *                        FX_DEFAULT_FIELDS); FIXTURE_EXTRACT_SOURCES adds
 *                        get_extract_event_sources; OMIT_GET_FIELDS,
 *                        OMIT_EXTRACT_FIELDS.
 *   FIXTURE_PARSING      parse_event; FIXTURE_PARSE_SOURCES adds
 *                        get_parse_event_sources; OMIT_PARSE_EVENT.
 *   FIXTURE_ASYNC        get_async_events, set_async_event_handler;
 *                        FIXTURE_ASYNC_EVENTS (default ["fixture_async"]);
 *                        FIXTURE_ASYNC_SOURCES adds get_async_event_sources;
 *                        OMIT_GET_ASYNC_EVENTS, OMIT_SET_ASYNC_EVENT_HANDLER.
 *   FIXTURE_CAPTURE_LISTEN capture_open, capture_close; OMIT_CAPTURE_OPEN,
 *                        OMIT_CAPTURE_CLOSE.
 *
 * Other optional symbols:
 *   FIXTURE_INIT_SCHEMA  adds get_init_schema returning this string, with
 *                        FIXTURE_INIT_SCHEMA_TYPE (default SS_PLUGIN_SCHEMA_JSON)
 *   FIXTURE_SET_CONFIG   adds set_config (stores the new config)
 *   FIXTURE_METRICS      adds get_metrics (two metrics, see below)
 *   FIXTURE_REQUIRED_EVENT_SCHEMA_VERSION  adds the API 3.12 symbol
 *                        plugin_get_required_event_schema_version
 *
 * Hooks (the fixture defines the function after the #include):
 *   FIXTURE_INIT_HOOK    static ss_plugin_rc fixture_init_hook(
 *                            fx_state *st, const ss_plugin_init_input *in);
 *                        called by plugin_init after the state is set up;
 *                        its rc is returned by plugin_init (the state is
 *                        returned too, even on failure).
 *   FIXTURE_EXTRACT_HOOK static int fixture_extract_hook(
 *                            fx_state *st, fx_slot *slot,
 *                            ss_plugin_extract_field *f);
 *                        return 1 when it filled f, 0 to use the defaults.
 *   FIXTURE_EVENT_HOOK   static ss_plugin_rc fixture_event_hook(
 *                            fx_state *st, fx_slot *slot,
 *                            ss_plugin_extract_field *f, int idx);
 *                        fills f for the source_only event "evt-<idx>"
 *                        (extract_fields fails with "unexpected event" on
 *                        any other event); a rc other than SS_PLUGIN_SUCCESS
 *                        fails the whole extract_fields call. st->evtnum is
 *                        the call's evt->evtnum and st->n_extract_calls
 *                        counts the calls, this one included.
 *   FIXTURE_SET_CONFIG_HOOK static ss_plugin_rc fixture_set_config_hook(
 *                            fx_state *st, const char *config);
 *                        called by set_config after the config is stored.
 *   FIXTURE_STATE_EXTRA  extra members pasted at the end of fx_state.
 */
#ifndef PLUGHOST_FIXTURE_H
#define PLUGHOST_FIXTURE_H

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "plugin_api.h"

#define FX_API __attribute__((visibility("default")))
#define FX_HELPER static __attribute__((unused))
#define FX_UNUSED(x) ((void)(x))

/* ------------------------------------------------------------------ */
/* Defaults                                                            */
/* ------------------------------------------------------------------ */

#ifndef FIXTURE_API_VERSION
#define FIXTURE_API_VERSION "3.12.0"
#endif
#ifndef FIXTURE_VERSION
#define FIXTURE_VERSION "0.1.0"
#endif
#ifndef FIXTURE_NAME
#define FIXTURE_NAME "fixture"
#endif
#ifndef FIXTURE_DESCRIPTION
#define FIXTURE_DESCRIPTION "plughost test fixture"
#endif
#ifndef FIXTURE_CONTACT
#define FIXTURE_CONTACT "https://github.com/plughost/plughost"
#endif
#ifndef FIXTURE_ID
#define FIXTURE_ID 999
#endif
#ifndef FIXTURE_EVENT_SOURCE
#define FIXTURE_EVENT_SOURCE "fixture_src"
#endif
#ifndef FIXTURE_ASYNC_EVENTS
#define FIXTURE_ASYNC_EVENTS "[\"fixture_async\"]"
#endif
#ifndef FIXTURE_INIT_SCHEMA_TYPE
#define FIXTURE_INIT_SCHEMA_TYPE SS_PLUGIN_SCHEMA_JSON
#endif

/* Number of events an open() without params produces. */
#define FX_DEFAULT_NUM_EVENTS 3u
/* Upper bound accepted in open params. */
#define FX_MAX_NUM_EVENTS 1000000u
/* Timestamp of event i is FX_EVT_TS_BASE + i; the thread id is -1. */
#define FX_EVT_TS_BASE 1700000000000000000ull
/* Event type of a plugin event (PPME_PLUGINEVENT_E). */
#define FX_PLUGIN_EVENT_TYPE 322
/* Size of the packed ss_plugin_event header. */
#define FX_EVT_HDR_LEN 26u

/*
 * The default field list: one field of every type plus every flag. The
 * default extract_fields answers these by field_id (see fx_extract_default).
 */
#define FX_DEFAULT_FIELDS                                                      \
	"["                                                                        \
	"{\"type\":\"string\",\"name\":\"fixture.str\",\"desc\":\"a constant "    \
	"string\",\"display\":\"Fixture String\",\"addOutput\":true},"            \
	"{\"type\":\"uint64\",\"name\":\"fixture.u64\",\"desc\":\"a constant "    \
	"uint64\"},"                                                              \
	"{\"type\":\"reltime\",\"name\":\"fixture.reltime\",\"desc\":\"a "        \
	"constant relative time\"},"                                              \
	"{\"type\":\"abstime\",\"name\":\"fixture.abstime\",\"desc\":\"a "        \
	"constant absolute time\"},"                                              \
	"{\"type\":\"bool\",\"name\":\"fixture.bool\",\"desc\":\"a constant "     \
	"bool\"},"                                                                \
	"{\"type\":\"ipaddr\",\"name\":\"fixture.ipaddr\",\"desc\":\"a constant " \
	"IPv4 address\"},"                                                        \
	"{\"type\":\"ipnet\",\"name\":\"fixture.ipnet\",\"desc\":\"a constant "   \
	"IPv4 network\"},"                                                        \
	"{\"type\":\"string\",\"name\":\"fixture.list\",\"desc\":\"a constant "   \
	"list of strings\",\"isList\":true},"                                     \
	"{\"type\":\"uint64\",\"name\":\"fixture.idx\",\"desc\":\"echoes its "    \
	"index argument\",\"arg\":{\"isIndex\":true,\"isRequired\":true}},"       \
	"{\"type\":\"string\",\"name\":\"fixture.key\",\"desc\":\"echoes its "    \
	"key argument\",\"arg\":{\"isKey\":true}},"                               \
	"{\"type\":\"string\",\"name\":\"fixture.props\",\"desc\":\"a field "     \
	"with properties\",\"properties\":[\"hidden\",\"info\","                  \
	"\"conversation\"]}"                                                      \
	"]"

#ifndef FIXTURE_FIELDS
#define FIXTURE_FIELDS FX_DEFAULT_FIELDS
#define FX_USING_DEFAULT_FIELDS 1
#endif

/* ------------------------------------------------------------------ */
/* State                                                               */
/* ------------------------------------------------------------------ */

/* Per-field result storage for one extract_fields call. */
typedef struct fx_slot {
	const char *strs[3];
	uint64_t u64s[3];
	ss_plugin_bool bools[3];
	ss_plugin_byte_buffer bufs[3];
	char text[256];
} fx_slot;

typedef struct fx_state {
	char lasterr[PLUGIN_MAX_ERRLEN];

	/* What plugin_init received. config is a heap copy (NULL if the host
	 * passed NULL; config_was_null tells the two cases apart). */
	char *config;
	int config_was_null;
	ss_plugin_owner_t *owner;
	const char *(*get_owner_last_error)(ss_plugin_owner_t *o);
	const ss_plugin_init_tables_input *tables;
	ss_plugin_log_fn_t log_fn;

	/* Last config passed to set_config (heap copy). */
	char *set_config;

	/* Scratch for string-returning calls (event_to_string). */
	char strbuf[PLUGIN_MAX_ERRLEN];

	/* extract_fields result storage. */
	fx_slot *slots;
	uint32_t nslots;

	/* evt->evtnum of the current extract_fields call. */
	uint64_t evtnum;

	/* Counters. */
	uint64_t n_extract_calls;
	uint64_t n_parse_calls;
	uint64_t n_capture_open;
	uint64_t n_capture_close;
	uint64_t n_open;
	uint64_t n_close;

	/* Async handler registered by the host. */
	ss_plugin_owner_t *async_owner;
	ss_plugin_async_event_handler_t async_handler;

	ss_plugin_metric metrics[2];

#ifdef FIXTURE_STATE_EXTRA
	FIXTURE_STATE_EXTRA
#endif
} fx_state;

FX_HELPER void fx_set_error(fx_state *st, const char *fmt, ...) {
	va_list ap;
	if(st == NULL) {
		return;
	}
	va_start(ap, fmt);
	vsnprintf(st->lasterr, sizeof(st->lasterr), fmt, ap);
	va_end(ap);
}

FX_HELPER char *fx_strdup(const char *s) {
	size_t n;
	char *p;
	if(s == NULL) {
		return NULL;
	}
	n = strlen(s) + 1;
	p = (char *)malloc(n);
	if(p != NULL) {
		memcpy(p, s, n);
	}
	return p;
}

#ifdef FIXTURE_INIT_HOOK
static ss_plugin_rc fixture_init_hook(fx_state *st, const ss_plugin_init_input *in);
#endif
#ifdef FIXTURE_EXTRACT_HOOK
static int fixture_extract_hook(fx_state *st, fx_slot *slot, ss_plugin_extract_field *f);
#endif
#ifdef FIXTURE_EVENT_HOOK
static ss_plugin_rc fixture_event_hook(fx_state *st, fx_slot *slot, ss_plugin_extract_field *f, int idx);
#endif
#ifdef FIXTURE_SET_CONFIG_HOOK
static ss_plugin_rc fixture_set_config_hook(fx_state *st, const char *config);
#endif

/* ------------------------------------------------------------------ */
/* Required symbols                                                    */
/* ------------------------------------------------------------------ */

#ifndef OMIT_GET_REQUIRED_API_VERSION
FX_API const char *plugin_get_required_api_version(void) {
	return FIXTURE_API_VERSION;
}
#endif

#ifndef OMIT_GET_VERSION
FX_API const char *plugin_get_version(void) {
	return FIXTURE_VERSION;
}
#endif

#ifndef OMIT_GET_NAME
FX_API const char *plugin_get_name(void) {
	return FIXTURE_NAME;
}
#endif

#ifndef OMIT_GET_DESCRIPTION
FX_API const char *plugin_get_description(void) {
	return FIXTURE_DESCRIPTION;
}
#endif

#ifndef OMIT_GET_CONTACT
FX_API const char *plugin_get_contact(void) {
	return FIXTURE_CONTACT;
}
#endif

#ifndef OMIT_INIT
FX_API ss_plugin_t *plugin_init(const ss_plugin_init_input *in, ss_plugin_rc *rc) {
	fx_state *st = (fx_state *)calloc(1, sizeof(fx_state));
	if(st == NULL) {
		*rc = SS_PLUGIN_FAILURE;
		return NULL;
	}
	*rc = SS_PLUGIN_SUCCESS;
	if(in != NULL) {
		st->config_was_null = in->config == NULL;
		st->config = fx_strdup(in->config);
		st->owner = in->owner;
		st->get_owner_last_error = in->get_owner_last_error;
		st->tables = in->tables;
		st->log_fn = in->log_fn;
	} else {
		st->config_was_null = 1;
	}
#ifdef FIXTURE_INIT_HOOK
	*rc = fixture_init_hook(st, in);
#endif
	return st;
}
#endif

#ifndef OMIT_DESTROY
FX_API void plugin_destroy(ss_plugin_t *s) {
	fx_state *st = (fx_state *)s;
	if(st == NULL) {
		return;
	}
	free(st->config);
	free(st->set_config);
	free(st->slots);
	free(st);
}
#endif

#ifndef OMIT_GET_LAST_ERROR
FX_API const char *plugin_get_last_error(ss_plugin_t *s) {
	fx_state *st = (fx_state *)s;
	if(st == NULL) {
		return NULL;
	}
	return st->lasterr;
}
#endif

/* ------------------------------------------------------------------ */
/* Optional common symbols                                             */
/* ------------------------------------------------------------------ */

#ifdef FIXTURE_INIT_SCHEMA
FX_API const char *plugin_get_init_schema(ss_plugin_schema_type *schema_type) {
	if(schema_type != NULL) {
		*schema_type = FIXTURE_INIT_SCHEMA_TYPE;
	}
	return FIXTURE_INIT_SCHEMA;
}
#endif

#ifdef FIXTURE_REQUIRED_EVENT_SCHEMA_VERSION
/* API 3.12 addition; not in the 3.11 header, so declared here. */
FX_API const char *plugin_get_required_event_schema_version(ss_plugin_t *s);
FX_API const char *plugin_get_required_event_schema_version(ss_plugin_t *s) {
	FX_UNUSED(s);
	return FIXTURE_REQUIRED_EVENT_SCHEMA_VERSION;
}
#endif

#ifdef FIXTURE_SET_CONFIG
FX_API ss_plugin_rc plugin_set_config(ss_plugin_t *s, const ss_plugin_set_config_input *i) {
	fx_state *st = (fx_state *)s;
	if(st == NULL) {
		return SS_PLUGIN_FAILURE;
	}
	free(st->set_config);
	st->set_config = fx_strdup(i != NULL ? i->config : NULL);
#ifdef FIXTURE_SET_CONFIG_HOOK
	return fixture_set_config_hook(st, st->set_config);
#else
	return SS_PLUGIN_SUCCESS;
#endif
}
#endif

#ifdef FIXTURE_METRICS
/*
 * Two metrics: "fixture.extract_calls" (u64, monotonic: number of
 * extract_fields calls) and "fixture.ratio" (double, non-monotonic: 0.5).
 */
FX_API ss_plugin_metric *plugin_get_metrics(ss_plugin_t *s, uint32_t *num_metrics) {
	fx_state *st = (fx_state *)s;
	if(st == NULL) {
		*num_metrics = 0;
		return NULL;
	}
	st->metrics[0].name = "fixture.extract_calls";
	st->metrics[0].type = SS_PLUGIN_METRIC_TYPE_MONOTONIC;
	st->metrics[0].value_type = SS_PLUGIN_METRIC_VALUE_TYPE_U64;
	st->metrics[0].value.u64 = st->n_extract_calls;
	st->metrics[1].name = "fixture.ratio";
	st->metrics[1].type = SS_PLUGIN_METRIC_TYPE_NON_MONOTONIC;
	st->metrics[1].value_type = SS_PLUGIN_METRIC_VALUE_TYPE_D;
	st->metrics[1].value.d = 0.5;
	*num_metrics = 2;
	return st->metrics;
}
#endif

/* ------------------------------------------------------------------ */
/* Event sourcing                                                      */
/* ------------------------------------------------------------------ */

#ifdef FIXTURE_SOURCING

typedef struct fx_instance {
	uint32_t total;
	uint32_t next;
	uint8_t **bufs;
	ss_plugin_event **evts;
	char progress[32];
} fx_instance;

FX_HELPER void fx_put_u32(uint8_t *p, uint32_t v) {
	memcpy(p, &v, sizeof(v));
}

FX_HELPER uint32_t fx_get_u32(const uint8_t *p) {
	uint32_t v;
	memcpy(&v, p, sizeof(v));
	return v;
}

/*
 * Builds plugin event i: the 26-byte packed header, two u32 param lengths,
 * the u32 plugin id (0, for the host to fill) and the payload "evt-<i>"
 * (no terminating NUL).
 */
FX_HELPER uint8_t *fx_build_event(uint32_t i) {
	char data[32];
	int n = snprintf(data, sizeof(data), "evt-%u", (unsigned)i);
	uint32_t dlen = (uint32_t)n;
	uint32_t total = FX_EVT_HDR_LEN + 2 * 4 + 4 + dlen;
	ss_plugin_event hdr;
	uint8_t *buf = (uint8_t *)calloc(1, total);
	if(buf == NULL) {
		return NULL;
	}
	hdr.ts = FX_EVT_TS_BASE + i;
	hdr.tid = (uint64_t)-1;
	hdr.len = total;
	hdr.type = FX_PLUGIN_EVENT_TYPE;
	hdr.nparams = 2;
	memcpy(buf, &hdr, FX_EVT_HDR_LEN);
	fx_put_u32(buf + FX_EVT_HDR_LEN, 4);        /* len of param 1: plugin id */
	fx_put_u32(buf + FX_EVT_HDR_LEN + 4, dlen); /* len of param 2: payload */
	fx_put_u32(buf + FX_EVT_HDR_LEN + 8, 0);    /* plugin id */
	memcpy(buf + FX_EVT_HDR_LEN + 12, data, dlen);
	return buf;
}

FX_HELPER void fx_free_instance(fx_instance *inst) {
	uint32_t i;
	if(inst == NULL) {
		return;
	}
	if(inst->bufs != NULL) {
		for(i = 0; i < inst->total; i++) {
			free(inst->bufs[i]);
		}
	}
	free(inst->bufs);
	free(inst->evts);
	free(inst);
}

#ifndef OMIT_GET_ID
FX_API uint32_t plugin_get_id(void) {
	return FIXTURE_ID;
}
#endif

#ifndef OMIT_GET_EVENT_SOURCE
FX_API const char *plugin_get_event_source(void) {
	return FIXTURE_EVENT_SOURCE;
}
#endif

#ifndef OMIT_OPEN
/* params: NULL or "" -> 3 events; otherwise a decimal number of events. */
FX_API ss_instance_t *plugin_open(ss_plugin_t *s, const char *params, ss_plugin_rc *rc) {
	fx_state *st = (fx_state *)s;
	fx_instance *inst;
	unsigned long n = FX_DEFAULT_NUM_EVENTS;
	uint32_t i;

	if(params != NULL && params[0] != '\0') {
		const char *p;
		n = 0;
		for(p = params; *p != '\0'; p++) {
			if(*p < '0' || *p > '9' || n > FX_MAX_NUM_EVENTS) {
				fx_set_error(st, "invalid open params '%s': want a decimal number of events",
				             params);
				*rc = SS_PLUGIN_FAILURE;
				return NULL;
			}
			n = n * 10 + (unsigned long)(*p - '0');
		}
		if(n > FX_MAX_NUM_EVENTS) {
			fx_set_error(st, "invalid open params '%s': too many events", params);
			*rc = SS_PLUGIN_FAILURE;
			return NULL;
		}
	}

	inst = (fx_instance *)calloc(1, sizeof(fx_instance));
	if(inst == NULL) {
		fx_set_error(st, "out of memory");
		*rc = SS_PLUGIN_FAILURE;
		return NULL;
	}
	inst->total = (uint32_t)n;
	inst->bufs = (uint8_t **)calloc(n > 0 ? n : 1, sizeof(uint8_t *));
	inst->evts = (ss_plugin_event **)calloc(n > 0 ? n : 1, sizeof(ss_plugin_event *));
	if(inst->bufs == NULL || inst->evts == NULL) {
		fx_free_instance(inst);
		fx_set_error(st, "out of memory");
		*rc = SS_PLUGIN_FAILURE;
		return NULL;
	}
	for(i = 0; i < inst->total; i++) {
		inst->bufs[i] = fx_build_event(i);
		if(inst->bufs[i] == NULL) {
			fx_free_instance(inst);
			fx_set_error(st, "out of memory");
			*rc = SS_PLUGIN_FAILURE;
			return NULL;
		}
		inst->evts[i] = (ss_plugin_event *)inst->bufs[i];
	}
	if(st != NULL) {
		st->n_open++;
	}
	*rc = SS_PLUGIN_SUCCESS;
	return inst;
}
#endif

#ifndef OMIT_CLOSE
FX_API void plugin_close(ss_plugin_t *s, ss_instance_t *h) {
	fx_state *st = (fx_state *)s;
	if(st != NULL) {
		st->n_close++;
	}
	fx_free_instance((fx_instance *)h);
}
#endif

#ifndef OMIT_NEXT_BATCH
/*
 * The first call returns every remaining event with SS_PLUGIN_SUCCESS; once
 * nothing is left it returns 0 events with SS_PLUGIN_EOF.
 */
FX_API ss_plugin_rc plugin_next_batch(ss_plugin_t *s,
                                      ss_instance_t *h,
                                      uint32_t *nevts,
                                      ss_plugin_event ***evts) {
	fx_instance *inst = (fx_instance *)h;
	FX_UNUSED(s);
	if(inst == NULL || inst->next >= inst->total) {
		*nevts = 0;
		*evts = inst != NULL ? inst->evts : NULL;
		return SS_PLUGIN_EOF;
	}
	*nevts = inst->total - inst->next;
	*evts = &inst->evts[inst->next];
	inst->next = inst->total;
	return SS_PLUGIN_SUCCESS;
}
#endif

#ifdef FIXTURE_SOURCING_EXTRAS
FX_API const char *plugin_list_open_params(ss_plugin_t *s, ss_plugin_rc *rc) {
	FX_UNUSED(s);
	*rc = SS_PLUGIN_SUCCESS;
	return "[{\"value\":\"3\",\"desc\":\"three events\"}]";
}

/* progress_pct is in hundredths of a percent (0..10000). */
FX_API const char *plugin_get_progress(ss_plugin_t *s, ss_instance_t *h, uint32_t *progress_pct) {
	fx_instance *inst = (fx_instance *)h;
	uint32_t pct = 10000;
	FX_UNUSED(s);
	if(inst == NULL) {
		*progress_pct = 0;
		return "0.00%";
	}
	if(inst->total > 0) {
		pct = (uint32_t)(((uint64_t)inst->next * 10000u) / inst->total);
	}
	*progress_pct = pct;
	snprintf(inst->progress, sizeof(inst->progress), "%u.%02u%%", (unsigned)(pct / 100),
	         (unsigned)(pct % 100));
	return inst->progress;
}

/* Returns the payload of a plugin event verbatim (e.g. "evt-0"). */
FX_API const char *plugin_event_to_string(ss_plugin_t *s, const ss_plugin_event_input *evt) {
	fx_state *st = (fx_state *)s;
	const uint8_t *raw;
	uint32_t len, dlen;
	if(st == NULL) {
		return "";
	}
	if(evt == NULL || evt->evt == NULL) {
		snprintf(st->strbuf, sizeof(st->strbuf), "<no event>");
		return st->strbuf;
	}
	raw = (const uint8_t *)evt->evt;
	len = evt->evt->len;
	if(evt->evt->type != FX_PLUGIN_EVENT_TYPE || len < FX_EVT_HDR_LEN + 12) {
		snprintf(st->strbuf, sizeof(st->strbuf), "<not a plugin event>");
		return st->strbuf;
	}
	dlen = fx_get_u32(raw + FX_EVT_HDR_LEN + 4);
	if(dlen > len - (FX_EVT_HDR_LEN + 12)) {
		dlen = len - (FX_EVT_HDR_LEN + 12);
	}
	if(dlen >= sizeof(st->strbuf)) {
		dlen = sizeof(st->strbuf) - 1;
	}
	memcpy(st->strbuf, raw + FX_EVT_HDR_LEN + 12, dlen);
	st->strbuf[dlen] = '\0';
	return st->strbuf;
}
#endif /* FIXTURE_SOURCING_EXTRAS */

#endif /* FIXTURE_SOURCING */

/*
 * Index i of a source_only event "evt-<i>" (payload "evt-" then decimal
 * digits), or -1 for any other event. Extraction fixtures that misbehave on
 * one chosen event use it.
 */
FX_HELPER int fx_evt_index(const ss_plugin_event_input *evt) {
	const uint8_t *raw;
	uint32_t len, k;
	int n = 0;
	if(evt == NULL || evt->evt == NULL || evt->evt->type != FX_PLUGIN_EVENT_TYPE) {
		return -1;
	}
	raw = (const uint8_t *)evt->evt;
	len = evt->evt->len;
	if(len <= 42 || len > 50 || memcmp(raw + 38, "evt-", 4) != 0) {
		return -1;
	}
	for(k = 42; k < len; k++) {
		if(raw[k] < '0' || raw[k] > '9') {
			return -1;
		}
		n = n * 10 + (raw[k] - '0');
	}
	return n;
}

/* ------------------------------------------------------------------ */
/* Field extraction                                                    */
/* ------------------------------------------------------------------ */

#ifdef FIXTURE_EXTRACTION

static const uint8_t fx_ipaddr_value[4] __attribute__((unused)) = {192, 168, 0, 1};
static const uint8_t fx_ipnet_value[4] __attribute__((unused)) = {10, 0, 0, 0};

#define FX_STR_VALUE "fixture-string"
#define FX_U64_VALUE 42u
#define FX_RELTIME_VALUE 1500000000ull
#define FX_ABSTIME_VALUE 1700000000000000000ull

FX_HELPER void fx_set_str(fx_slot *slot, ss_plugin_extract_field *f, const char *v) {
	slot->strs[0] = v;
	f->res.str = slot->strs;
	f->res_len = 1;
}

FX_HELPER void fx_set_u64(fx_slot *slot, ss_plugin_extract_field *f, uint64_t v) {
	slot->u64s[0] = v;
	f->res.u64 = slot->u64s;
	f->res_len = 1;
}

FX_HELPER void fx_set_bool(fx_slot *slot, ss_plugin_extract_field *f, int v) {
	slot->bools[0] = v ? 1 : 0;
	f->res.boolean = slot->bools;
	f->res_len = 1;
}

FX_HELPER void fx_set_buf(fx_slot *slot, ss_plugin_extract_field *f, const uint8_t *p, uint32_t n) {
	slot->bufs[0].ptr = p;
	slot->bufs[0].len = n;
	f->res.buf = slot->bufs;
	f->res_len = 1;
}

/* A constant for each field type, regardless of field_id. */
FX_HELPER void fx_extract_by_type(fx_slot *slot, ss_plugin_extract_field *f) {
	switch(f->ftype) {
	case FTYPE_STRING:
		fx_set_str(slot, f, FX_STR_VALUE);
		break;
	case FTYPE_UINT64:
		fx_set_u64(slot, f, FX_U64_VALUE);
		break;
	case FTYPE_RELTIME:
		fx_set_u64(slot, f, FX_RELTIME_VALUE);
		break;
	case FTYPE_ABSTIME:
		fx_set_u64(slot, f, FX_ABSTIME_VALUE);
		break;
	case FTYPE_BOOL:
		fx_set_bool(slot, f, 1);
		break;
	case FTYPE_IPADDR:
		fx_set_buf(slot, f, fx_ipaddr_value, 4);
		break;
	case FTYPE_IPNET:
		fx_set_buf(slot, f, fx_ipnet_value, 4);
		break;
	default:
		f->res_len = 0;
		break;
	}
}

/*
 * Default extraction. With the default field list, values are chosen by
 * field_id:
 *   0 fixture.str     "fixture-string"
 *   1 fixture.u64     42
 *   2 fixture.reltime 1500000000
 *   3 fixture.abstime 1700000000000000000
 *   4 fixture.bool    true
 *   5 fixture.ipaddr  192.168.0.1 (4 bytes)
 *   6 fixture.ipnet   10.0.0.0 (4 bytes)
 *   7 fixture.list    ["a","b","c"]
 *   8 fixture.idx     the index argument (no value when absent)
 *   9 fixture.key     the key argument ("no-key" when absent)
 *  10 fixture.props   "props"
 * With any other field list, the constant for the field's type is returned.
 */
FX_HELPER void fx_extract_default(fx_slot *slot, ss_plugin_extract_field *f) {
#ifdef FX_USING_DEFAULT_FIELDS
	switch(f->field_id) {
	case 7:
		slot->strs[0] = "a";
		slot->strs[1] = "b";
		slot->strs[2] = "c";
		f->res.str = slot->strs;
		f->res_len = 3;
		return;
	case 8:
		if(f->arg_present) {
			fx_set_u64(slot, f, f->arg_index);
		} else {
			f->res_len = 0;
		}
		return;
	case 9:
		if(f->arg_present && f->arg_key != NULL) {
			snprintf(slot->text, sizeof(slot->text), "%s", f->arg_key);
			fx_set_str(slot, f, slot->text);
		} else {
			fx_set_str(slot, f, "no-key");
		}
		return;
	case 10:
		fx_set_str(slot, f, "props");
		return;
	default:
		break;
	}
#endif
	fx_extract_by_type(slot, f);
}

#ifndef OMIT_GET_FIELDS
FX_API const char *plugin_get_fields(void) {
	return FIXTURE_FIELDS;
}
#endif

#ifdef FIXTURE_EXTRACT_SOURCES
FX_API const char *plugin_get_extract_event_sources(void) {
	return FIXTURE_EXTRACT_SOURCES;
}
#endif

#ifndef OMIT_EXTRACT_FIELDS
FX_API ss_plugin_rc plugin_extract_fields(ss_plugin_t *s,
                                          const ss_plugin_event_input *evt,
                                          const ss_plugin_field_extract_input *in) {
	fx_state *st = (fx_state *)s;
	uint32_t i;
#ifdef FIXTURE_EVENT_HOOK
	int idx = fx_evt_index(evt);
	if(st != NULL && idx < 0) {
		fx_set_error(st, "unexpected event");
		return SS_PLUGIN_FAILURE;
	}
#endif
	if(st == NULL || in == NULL) {
		return SS_PLUGIN_FAILURE;
	}
	st->n_extract_calls++;
	st->evtnum = evt != NULL ? evt->evtnum : 0;
	if(in->num_fields > st->nslots) {
		fx_slot *slots = (fx_slot *)realloc(st->slots, in->num_fields * sizeof(fx_slot));
		if(slots == NULL) {
			fx_set_error(st, "out of memory");
			return SS_PLUGIN_FAILURE;
		}
		st->slots = slots;
		st->nslots = in->num_fields;
	}
	for(i = 0; i < in->num_fields; i++) {
		ss_plugin_extract_field *f = &in->fields[i];
		fx_slot *slot = &st->slots[i];
		memset(slot, 0, sizeof(*slot));
		f->res_len = 0;
#ifdef FIXTURE_EVENT_HOOK
		{
			ss_plugin_rc rc = fixture_event_hook(st, slot, f, idx);
			if(rc != SS_PLUGIN_SUCCESS) {
				return rc;
			}
			continue;
		}
#endif
#ifdef FIXTURE_EXTRACT_HOOK
		if(fixture_extract_hook(st, slot, f)) {
			continue;
		}
#endif
		fx_extract_default(slot, f);
	}
	return SS_PLUGIN_SUCCESS;
}
#endif

#endif /* FIXTURE_EXTRACTION */

/* ------------------------------------------------------------------ */
/* Event parsing                                                       */
/* ------------------------------------------------------------------ */

#ifdef FIXTURE_PARSING

#ifdef FIXTURE_PARSE_SOURCES
FX_API const char *plugin_get_parse_event_sources(void) {
	return FIXTURE_PARSE_SOURCES;
}
#endif

#ifndef OMIT_PARSE_EVENT
FX_API ss_plugin_rc plugin_parse_event(ss_plugin_t *s,
                                       const ss_plugin_event_input *evt,
                                       const ss_plugin_event_parse_input *in) {
	fx_state *st = (fx_state *)s;
	FX_UNUSED(evt);
	FX_UNUSED(in);
	if(st == NULL) {
		return SS_PLUGIN_FAILURE;
	}
	st->n_parse_calls++;
	return SS_PLUGIN_SUCCESS;
}
#endif

#endif /* FIXTURE_PARSING */

/* ------------------------------------------------------------------ */
/* Async events                                                        */
/* ------------------------------------------------------------------ */

#ifdef FIXTURE_ASYNC

#ifdef FIXTURE_ASYNC_SOURCES
FX_API const char *plugin_get_async_event_sources(void) {
	return FIXTURE_ASYNC_SOURCES;
}
#endif

#ifndef OMIT_GET_ASYNC_EVENTS
FX_API const char *plugin_get_async_events(void) {
	return FIXTURE_ASYNC_EVENTS;
}
#endif

#ifndef OMIT_SET_ASYNC_EVENT_HANDLER
/* Stores the handler (NULL clears it); never emits events by itself. */
FX_API ss_plugin_rc plugin_set_async_event_handler(ss_plugin_t *s,
                                                   ss_plugin_owner_t *owner,
                                                   const ss_plugin_async_event_handler_t handler) {
	fx_state *st = (fx_state *)s;
	if(st == NULL) {
		return SS_PLUGIN_FAILURE;
	}
	st->async_owner = owner;
	st->async_handler = handler;
	return SS_PLUGIN_SUCCESS;
}
#endif

#endif /* FIXTURE_ASYNC */

/* ------------------------------------------------------------------ */
/* Capture listening                                                   */
/* ------------------------------------------------------------------ */

#ifdef FIXTURE_CAPTURE_LISTEN

#ifndef OMIT_CAPTURE_OPEN
FX_API ss_plugin_rc plugin_capture_open(ss_plugin_t *s, const ss_plugin_capture_listen_input *i) {
	fx_state *st = (fx_state *)s;
	FX_UNUSED(i);
	if(st == NULL) {
		return SS_PLUGIN_FAILURE;
	}
	st->n_capture_open++;
	return SS_PLUGIN_SUCCESS;
}
#endif

#ifndef OMIT_CAPTURE_CLOSE
FX_API ss_plugin_rc plugin_capture_close(ss_plugin_t *s, const ss_plugin_capture_listen_input *i) {
	fx_state *st = (fx_state *)s;
	FX_UNUSED(i);
	if(st == NULL) {
		return SS_PLUGIN_FAILURE;
	}
	st->n_capture_close++;
	return SS_PLUGIN_SUCCESS;
}
#endif

#endif /* FIXTURE_CAPTURE_LISTEN */

#endif /* PLUGHOST_FIXTURE_H */
