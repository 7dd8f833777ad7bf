/* conform: the filter/format conformance fixture: sourcing (id 980, source "conform") of events whose payloads, given in the open params, decide every field value, and extraction of one field per type, list and argument kind (see testdata/c/README.md). Expected: valid, and loadable by libsinsp's sinsp-example too. */
/*
 * Open params: the events, one per line; every line ends with '\n' (a last
 * line without one counts too), so "" is no event and "\n" is one event
 * with an empty payload. A payload is a ';'-separated list of entries
 * KEY=VALUE. Keys and values are percent-encoded: %HH (two hex digits)
 * stands for the byte 0xHH, any other byte but '%' stands for itself, so
 * ';', '|', '=', '%', line breaks and NUL must be written %3B %7C %3D %25
 * %0A %00 in a value. The value of a list field is split at '|' into items
 * before decoding; an empty value is an empty list. A field whose key is
 * absent (or whose list is empty) has no value (res_len 0); when a key
 * appears twice, the last entry wins.
 *
 *   key        field            type     value
 *   num        conform.num      uint64   decimal, 0..2^64-1
 *   num2       conform.num2     uint64   decimal
 *   str        conform.str      string   the decoded bytes (up to a NUL)
 *   str2       conform.str2     string
 *   flag       conform.flag     bool     true | false
 *   rel        conform.rel      reltime  decimal nanoseconds
 *   abs        conform.abs      abstime  decimal nanoseconds since epoch
 *   ip         conform.ip       ipaddr   IPv4 (4 bytes) or, with a ':', IPv6
 *                                        (16 bytes), as inet_pton reads them
 *   ip2        conform.ip2      ipaddr
 *   net        conform.net      ipnet    an address, like ip (libsinsp
 *                                        compares it with the CIDR on the
 *                                        right of the operator)
 *   nums       conform.nums     uint64 list    items as for num
 *   strs       conform.strs     string list
 *   strs2      conform.strs2    string list
 *   flags      conform.flags    bool list
 *   ips        conform.ips      ipaddr list
 *   nets       conform.nets     ipnet list
 *   idx        conform.idx[N]   string, index argument: item N of the list
 *                               idx (no value without an argument or past
 *                               the end)
 *   key.K      conform.key[K]   string, key argument: the entry whose
 *                               decoded key is "key." followed by K (no
 *                               value without an argument)
 *   req.K      conform.req[K]   string, required key argument: the entry
 *                               "req.K"
 *   -          conform.payload  string, addOutput: the raw payload, always
 *                               present (even when empty)
 *
 * Any other key, a malformed entry or value, or a bad %-escape makes open
 * fail with "event <i>: <reason>" (i counts from 0). Event i is a plugin
 * event (type 322) with ts 1700000000000000000 + i and tid -1; the first
 * next_batch returns every event, the next one EOF. event_to_string returns
 * the raw payload.
 */
#include <arpa/inet.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "plugin_api.h"

#define CF_API __attribute__((visibility("default")))
#define CF_ID 980
#define CF_SOURCE "conform"
#define CF_EVT_TYPE 322
#define CF_HDR_LEN 26u
#define CF_TS_BASE 1700000000000000000ull

enum {
	CF_NUM,
	CF_NUM2,
	CF_STR,
	CF_STR2,
	CF_FLAG,
	CF_REL,
	CF_ABS,
	CF_IP,
	CF_IP2,
	CF_NET,
	CF_NUMS,
	CF_STRS,
	CF_STRS2,
	CF_FLAGS,
	CF_IPS,
	CF_NETS,
	CF_IDX,
	CF_KEY,
	CF_REQ,
	CF_PAYLOAD,
	CF_NFIELDS
};

/* Value kinds. */
enum { K_U64, K_STR, K_BOOL, K_IP };

typedef struct cf_field {
	const char *key; /* payload key; NULL for idx/key/req/payload */
	int kind;
	int list;
} cf_field;

static const cf_field cf_fields[CF_NFIELDS] = {
        [CF_NUM] = {"num", K_U64, 0},     [CF_NUM2] = {"num2", K_U64, 0},
        [CF_STR] = {"str", K_STR, 0},     [CF_STR2] = {"str2", K_STR, 0},
        [CF_FLAG] = {"flag", K_BOOL, 0},  [CF_REL] = {"rel", K_U64, 0},
        [CF_ABS] = {"abs", K_U64, 0},     [CF_IP] = {"ip", K_IP, 0},
        [CF_IP2] = {"ip2", K_IP, 0},      [CF_NET] = {"net", K_IP, 0},
        [CF_NUMS] = {"nums", K_U64, 1},   [CF_STRS] = {"strs", K_STR, 1},
        [CF_STRS2] = {"strs2", K_STR, 1}, [CF_FLAGS] = {"flags", K_BOOL, 1},
        [CF_IPS] = {"ips", K_IP, 1},      [CF_NETS] = {"nets", K_IP, 1},
        [CF_IDX] = {"idx", K_STR, 1},     [CF_KEY] = {NULL, K_STR, 0},
        [CF_REQ] = {NULL, K_STR, 0},      [CF_PAYLOAD] = {NULL, K_STR, 0},
};

#define CF_FIELDS_JSON                                                                           \
	"["                                                                                          \
	"{\"type\":\"uint64\",\"name\":\"conform.num\",\"desc\":\"payload key num\"},"               \
	"{\"type\":\"uint64\",\"name\":\"conform.num2\",\"desc\":\"payload key num2\"},"             \
	"{\"type\":\"string\",\"name\":\"conform.str\",\"desc\":\"payload key str\"},"               \
	"{\"type\":\"string\",\"name\":\"conform.str2\",\"desc\":\"payload key str2\"},"             \
	"{\"type\":\"bool\",\"name\":\"conform.flag\",\"desc\":\"payload key flag\"},"               \
	"{\"type\":\"reltime\",\"name\":\"conform.rel\",\"desc\":\"payload key rel\"},"              \
	"{\"type\":\"abstime\",\"name\":\"conform.abs\",\"desc\":\"payload key abs\"},"              \
	"{\"type\":\"ipaddr\",\"name\":\"conform.ip\",\"desc\":\"payload key ip\"},"                 \
	"{\"type\":\"ipaddr\",\"name\":\"conform.ip2\",\"desc\":\"payload key ip2\"},"               \
	"{\"type\":\"ipnet\",\"name\":\"conform.net\",\"desc\":\"payload key net\"},"                \
	"{\"type\":\"uint64\",\"name\":\"conform.nums\",\"desc\":\"payload key nums\","              \
	"\"isList\":true},"                                                                          \
	"{\"type\":\"string\",\"name\":\"conform.strs\",\"desc\":\"payload key strs\","              \
	"\"isList\":true},"                                                                          \
	"{\"type\":\"string\",\"name\":\"conform.strs2\",\"desc\":\"payload key strs2\","            \
	"\"isList\":true},"                                                                          \
	"{\"type\":\"bool\",\"name\":\"conform.flags\",\"desc\":\"payload key flags\","              \
	"\"isList\":true},"                                                                          \
	"{\"type\":\"ipaddr\",\"name\":\"conform.ips\",\"desc\":\"payload key ips\","                \
	"\"isList\":true},"                                                                          \
	"{\"type\":\"ipnet\",\"name\":\"conform.nets\",\"desc\":\"payload key nets\","               \
	"\"isList\":true},"                                                                          \
	"{\"type\":\"string\",\"name\":\"conform.idx\",\"desc\":\"item N of payload list idx\","     \
	"\"arg\":{\"isIndex\":true}},"                                                               \
	"{\"type\":\"string\",\"name\":\"conform.key\",\"desc\":\"payload key key.K\","              \
	"\"arg\":{\"isKey\":true}},"                                                                 \
	"{\"type\":\"string\",\"name\":\"conform.req\",\"desc\":\"payload key req.K\","              \
	"\"arg\":{\"isKey\":true,\"isRequired\":true}},"                                             \
	"{\"type\":\"string\",\"name\":\"conform.payload\",\"desc\":\"the raw payload\","            \
	"\"display\":\"Payload\",\"addOutput\":true}"                                                \
	"]"

/* Growable storage for the results of one field in one extract call. */
typedef struct cf_slot {
	char *text; /* decoded strings, NUL-terminated, back to back */
	size_t text_len, text_cap;
	size_t *offs; /* start of each string in text */
	const char **strs;
	uint64_t *u64s;
	ss_plugin_bool *bools;
	uint8_t *ipbytes; /* 16 bytes per item */
	ss_plugin_byte_buffer *bufs;
	size_t cap; /* capacity of the per-item arrays */
	size_t n;
} cf_slot;

typedef struct cf_state {
	char lasterr[PLUGIN_MAX_ERRLEN];
	cf_slot *slots;
	uint32_t nslots;
	char *strbuf; /* event_to_string result */
	size_t strbuf_cap;
} cf_state;

typedef struct cf_instance {
	uint32_t total;
	uint32_t next;
	uint8_t **bufs;
	ss_plugin_event **evts;
} cf_instance;

static void cf_error(cf_state *st, const char *fmt, ...) {
	va_list ap;
	if(st == NULL) {
		return;
	}
	va_start(ap, fmt);
	vsnprintf(st->lasterr, sizeof(st->lasterr), fmt, ap);
	va_end(ap);
}

/* ------------------------------------------------------------------ */
/* Payload decoding                                                    */
/* ------------------------------------------------------------------ */

static int cf_hexval(char c) {
	if(c >= '0' && c <= '9') {
		return c - '0';
	}
	if(c >= 'a' && c <= 'f') {
		return c - 'a' + 10;
	}
	if(c >= 'A' && c <= 'F') {
		return c - 'A' + 10;
	}
	return -1;
}

/*
 * Percent-decodes p[0..n) into out (which has room for n+1 bytes) and
 * NUL-terminates it. Returns the decoded length, or -1 on a bad escape.
 */
static long cf_decode(const char *p, size_t n, char *out) {
	size_t i, o = 0;
	for(i = 0; i < n; i++) {
		if(p[i] == '%') {
			int hi, lo;
			if(i + 2 >= n) {
				return -1;
			}
			hi = cf_hexval(p[i + 1]);
			lo = cf_hexval(p[i + 2]);
			if(hi < 0 || lo < 0) {
				return -1;
			}
			out[o++] = (char)(hi * 16 + lo);
			i += 2;
		} else {
			out[o++] = p[i];
		}
	}
	out[o] = '\0';
	return (long)o;
}

/* One entry of a payload: raw (still encoded) key and value. */
typedef struct cf_entry {
	const char *key;
	size_t key_len;
	const char *val;
	size_t val_len;
} cf_entry;

/*
 * Reads the entry starting at *pos of p[0..n), advancing *pos past it and
 * its ';'. Returns 1 with *e filled, 0 at the end, -1 if the entry has no
 * '='.
 */
static int cf_next_entry(const char *p, size_t n, size_t *pos, cf_entry *e) {
	size_t start = *pos, end, eq;
	if(start >= n) {
		return 0;
	}
	end = start;
	while(end < n && p[end] != ';') {
		end++;
	}
	*pos = end < n ? end + 1 : n;
	eq = start;
	while(eq < end && p[eq] != '=') {
		eq++;
	}
	e->key = p + start;
	if(eq == end) {
		e->key_len = end - start;
		e->val = NULL;
		e->val_len = 0;
		return -1;
	}
	e->key_len = eq - start;
	e->val = p + eq + 1;
	e->val_len = end - eq - 1;
	return 1;
}

/* Whether the raw key k[0..n) decodes to want (prefix + suffix). */
static int cf_key_is(const char *k, size_t n, const char *prefix, const char *suffix) {
	char stackbuf[256];
	char *buf = n < sizeof(stackbuf) ? stackbuf : (char *)malloc(n + 1);
	long len;
	size_t plen = strlen(prefix), slen = suffix ? strlen(suffix) : 0;
	int ok = 0;
	if(buf == NULL) {
		return 0;
	}
	len = cf_decode(k, n, buf);
	if(len >= 0 && (size_t)len == plen + slen && memcmp(buf, prefix, plen) == 0 &&
	   (slen == 0 || memcmp(buf + plen, suffix, slen) == 0)) {
		ok = 1;
	}
	if(buf != stackbuf) {
		free(buf);
	}
	return ok;
}

/* Finds the entry whose decoded key is prefix+suffix; the last one wins. */
static int cf_find(const char *p, size_t n, const char *prefix, const char *suffix, cf_entry *out) {
	size_t pos = 0;
	cf_entry e;
	int r, found = 0;
	while((r = cf_next_entry(p, n, &pos, &e)) != 0) {
		if(r > 0 && cf_key_is(e.key, e.key_len, prefix, suffix)) {
			*out = e;
			found = 1;
		}
	}
	return found;
}

static int cf_parse_u64(const char *s, uint64_t *v) {
	uint64_t r = 0;
	if(*s == '\0') {
		return -1;
	}
	for(; *s != '\0'; s++) {
		if(*s < '0' || *s > '9') {
			return -1;
		}
		if(r > (UINT64_MAX - (uint64_t)(*s - '0')) / 10) {
			return -1;
		}
		r = r * 10 + (uint64_t)(*s - '0');
	}
	*v = r;
	return 0;
}

/* Parses an address into out (16 bytes of room); returns its length or -1. */
static int cf_parse_ip(const char *s, uint8_t *out) {
	if(strchr(s, ':') != NULL) {
		return inet_pton(AF_INET6, s, out) == 1 ? 16 : -1;
	}
	return inet_pton(AF_INET, s, out) == 1 ? 4 : -1;
}

static int cf_slot_reserve(cf_slot *s, size_t items, size_t text) {
	if(items > s->cap) {
		size_t cap = s->cap ? s->cap : 8;
		while(cap < items) {
			cap *= 2;
		}
		s->offs = (size_t *)realloc(s->offs, cap * sizeof(size_t));
		s->strs = (const char **)realloc(s->strs, cap * sizeof(char *));
		s->u64s = (uint64_t *)realloc(s->u64s, cap * sizeof(uint64_t));
		s->bools = (ss_plugin_bool *)realloc(s->bools, cap * sizeof(ss_plugin_bool));
		s->ipbytes = (uint8_t *)realloc(s->ipbytes, cap * 16);
		s->bufs = (ss_plugin_byte_buffer *)realloc(s->bufs, cap * sizeof(ss_plugin_byte_buffer));
		if(!s->offs || !s->strs || !s->u64s || !s->bools || !s->ipbytes || !s->bufs) {
			return -1;
		}
		s->cap = cap;
	}
	if(text > s->text_cap) {
		size_t cap = s->text_cap ? s->text_cap : 256;
		while(cap < text) {
			cap *= 2;
		}
		s->text = (char *)realloc(s->text, cap);
		if(s->text == NULL) {
			return -1;
		}
		s->text_cap = cap;
	}
	return 0;
}

static void cf_slot_free(cf_slot *s) {
	free(s->text);
	free(s->offs);
	free(s->strs);
	free(s->u64s);
	free(s->bools);
	free(s->ipbytes);
	free(s->bufs);
}

/*
 * Decodes the raw value v[0..n) of a field of the given kind into slot
 * (one item, or the '|'-separated items of a list). Returns 0, or -1 with
 * an error in err.
 */
static int cf_decode_value(cf_slot *s, int kind, int list, const char *v, size_t n, char *err, size_t errlen) {
	size_t items = 1, i, start, k;
	if(list) {
		if(n == 0) {
			s->n = 0;
			return 0;
		}
		for(i = 0; i < n; i++) {
			if(v[i] == '|') {
				items++;
			}
		}
	}
	if(cf_slot_reserve(s, items, n + items) != 0) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	s->n = items;
	s->text_len = 0;
	start = 0;
	for(k = 0; k < items; k++) {
		size_t end = start;
		long dlen;
		char *t;
		while(list && end < n && v[end] != '|') {
			end++;
		}
		if(!list) {
			end = n;
		}
		t = s->text + s->text_len;
		dlen = cf_decode(v + start, end - start, t);
		if(dlen < 0) {
			snprintf(err, errlen, "bad %%-escape in '%.*s'", (int)(end - start), v + start);
			return -1;
		}
		s->offs[k] = s->text_len;
		s->text_len += (size_t)dlen + 1;
		switch(kind) {
		case K_U64:
			if(cf_parse_u64(t, &s->u64s[k]) != 0) {
				snprintf(err, errlen, "'%s' is not a decimal uint64", t);
				return -1;
			}
			break;
		case K_BOOL:
			if(strcmp(t, "true") == 0) {
				s->bools[k] = 1;
			} else if(strcmp(t, "false") == 0) {
				s->bools[k] = 0;
			} else {
				snprintf(err, errlen, "'%s' is not true or false", t);
				return -1;
			}
			break;
		case K_IP: {
			int len = cf_parse_ip(t, s->ipbytes + 16 * k);
			if(len < 0) {
				snprintf(err, errlen, "'%s' is not an IP address", t);
				return -1;
			}
			s->bufs[k].len = (uint32_t)len;
			break;
		}
		default:
			break;
		}
		start = end + 1;
	}
	/* Pointers last: the text buffer no longer moves. */
	for(k = 0; k < items; k++) {
		s->strs[k] = s->text + s->offs[k];
		s->bufs[k].ptr = s->ipbytes + 16 * k;
	}
	return 0;
}

static void cf_set_result(cf_slot *s, ss_plugin_extract_field *f, int kind) {
	f->res_len = s->n;
	switch(kind) {
	case K_U64:
		f->res.u64 = s->u64s;
		break;
	case K_BOOL:
		f->res.boolean = s->bools;
		break;
	case K_IP:
		f->res.buf = s->bufs;
		break;
	default:
		f->res.str = s->strs;
		break;
	}
}

/* The payload of a plugin event, or NULL for any other event. */
static const char *cf_payload(const ss_plugin_event *evt, uint32_t *len) {
	const uint8_t *raw = (const uint8_t *)evt;
	uint32_t dlen;
	if(evt == NULL || evt->type != CF_EVT_TYPE || evt->nparams != 2 || evt->len < CF_HDR_LEN + 12) {
		return NULL;
	}
	memcpy(&dlen, raw + CF_HDR_LEN + 4, sizeof(dlen));
	if(dlen > evt->len - (CF_HDR_LEN + 12)) {
		return NULL;
	}
	*len = dlen;
	return (const char *)(raw + CF_HDR_LEN + 12);
}

/* Validates one payload at open time. */
static int cf_validate(const char *p, size_t n, char *err, size_t errlen) {
	size_t pos = 0;
	cf_entry e;
	cf_slot tmp;
	int r;
	memset(&tmp, 0, sizeof(tmp));
	while((r = cf_next_entry(p, n, &pos, &e)) != 0) {
		char *key;
		long klen;
		int id, kind = K_STR, list = 0, known = 0;
		if(r < 0) {
			snprintf(err, errlen, "entry '%.*s' has no '='", (int)e.key_len, e.key);
			cf_slot_free(&tmp);
			return -1;
		}
		key = (char *)malloc(e.key_len + 1);
		if(key == NULL) {
			snprintf(err, errlen, "out of memory");
			cf_slot_free(&tmp);
			return -1;
		}
		klen = cf_decode(e.key, e.key_len, key);
		if(klen < 0) {
			snprintf(err, errlen, "bad %%-escape in key '%.*s'", (int)e.key_len, e.key);
			free(key);
			cf_slot_free(&tmp);
			return -1;
		}
		if(strncmp(key, "key.", 4) == 0 || strncmp(key, "req.", 4) == 0) {
			known = 1;
		} else {
			for(id = 0; id < CF_NFIELDS; id++) {
				if(cf_fields[id].key != NULL && strcmp(cf_fields[id].key, key) == 0) {
					kind = cf_fields[id].kind;
					list = cf_fields[id].list;
					known = 1;
					break;
				}
			}
		}
		if(!known) {
			snprintf(err, errlen, "unknown key '%s'", key);
			free(key);
			cf_slot_free(&tmp);
			return -1;
		}
		if(cf_decode_value(&tmp, kind, list, e.val, e.val_len, err, errlen) != 0) {
			char inner[PLUGIN_MAX_ERRLEN];
			snprintf(inner, sizeof(inner), "%s", err);
			snprintf(err, errlen, "key '%.200s': %.700s", key, inner);
			free(key);
			cf_slot_free(&tmp);
			return -1;
		}
		free(key);
	}
	cf_slot_free(&tmp);
	return 0;
}

/* ------------------------------------------------------------------ */
/* Required symbols                                                    */
/* ------------------------------------------------------------------ */

CF_API const char *plugin_get_required_api_version(void) {
	return "3.12.0";
}

CF_API const char *plugin_get_version(void) {
	return "0.1.0";
}

CF_API const char *plugin_get_name(void) {
	return "conform";
}

CF_API const char *plugin_get_description(void) {
	return "filter and format conformance fixture: field values come from the event payloads";
}

CF_API const char *plugin_get_contact(void) {
	return "https://github.com/plughost/plughost";
}

CF_API ss_plugin_t *plugin_init(const ss_plugin_init_input *in, ss_plugin_rc *rc) {
	cf_state *st = (cf_state *)calloc(1, sizeof(cf_state));
	(void)in;
	*rc = st != NULL ? SS_PLUGIN_SUCCESS : SS_PLUGIN_FAILURE;
	return st;
}

CF_API void plugin_destroy(ss_plugin_t *s) {
	cf_state *st = (cf_state *)s;
	uint32_t i;
	if(st == NULL) {
		return;
	}
	for(i = 0; i < st->nslots; i++) {
		cf_slot_free(&st->slots[i]);
	}
	free(st->slots);
	free(st->strbuf);
	free(st);
}

CF_API const char *plugin_get_last_error(ss_plugin_t *s) {
	return s != NULL ? ((cf_state *)s)->lasterr : NULL;
}

/* ------------------------------------------------------------------ */
/* Sourcing                                                            */
/* ------------------------------------------------------------------ */

CF_API uint32_t plugin_get_id(void) {
	return CF_ID;
}

CF_API const char *plugin_get_event_source(void) {
	return CF_SOURCE;
}

static void cf_free_instance(cf_instance *inst) {
	uint32_t i;
	if(inst == NULL) {
		return;
	}
	for(i = 0; inst->bufs != NULL && i < inst->total; i++) {
		free(inst->bufs[i]);
	}
	free(inst->bufs);
	free(inst->evts);
	free(inst);
}

static uint8_t *cf_build_event(uint32_t i, const char *data, uint32_t dlen) {
	uint32_t total = CF_HDR_LEN + 12 + dlen, four = 4, zero = 0, nparams = 2;
	uint64_t ts = CF_TS_BASE + i, tid = (uint64_t)-1;
	uint16_t type = CF_EVT_TYPE;
	uint8_t *b = (uint8_t *)calloc(1, total);
	if(b == NULL) {
		return NULL;
	}
	memcpy(b, &ts, 8);
	memcpy(b + 8, &tid, 8);
	memcpy(b + 16, &total, 4);
	memcpy(b + 20, &type, 2);
	memcpy(b + 22, &nparams, 4);
	memcpy(b + 26, &four, 4);
	memcpy(b + 30, &dlen, 4);
	memcpy(b + 34, &zero, 4); /* plugin id: filled by the host */
	memcpy(b + 38, data, dlen);
	return b;
}

CF_API ss_instance_t *plugin_open(ss_plugin_t *s, const char *params, ss_plugin_rc *rc) {
	cf_state *st = (cf_state *)s;
	cf_instance *inst;
	const char *p = params != NULL ? params : "";
	size_t n = strlen(p), pos, count = 0;
	uint32_t i;
	char err[PLUGIN_MAX_ERRLEN];

	for(pos = 0; pos < n; pos++) {
		if(p[pos] == '\n') {
			count++;
		}
	}
	if(n > 0 && p[n - 1] != '\n') {
		count++;
	}
	inst = (cf_instance *)calloc(1, sizeof(cf_instance));
	if(inst == NULL) {
		cf_error(st, "out of memory");
		*rc = SS_PLUGIN_FAILURE;
		return NULL;
	}
	inst->bufs = (uint8_t **)calloc(count + 1, sizeof(uint8_t *));
	inst->evts = (ss_plugin_event **)calloc(count + 1, sizeof(ss_plugin_event *));
	if(inst->bufs == NULL || inst->evts == NULL) {
		cf_free_instance(inst);
		cf_error(st, "out of memory");
		*rc = SS_PLUGIN_FAILURE;
		return NULL;
	}
	pos = 0;
	for(i = 0; i < count; i++) {
		size_t end = pos;
		while(end < n && p[end] != '\n') {
			end++;
		}
		if(cf_validate(p + pos, end - pos, err, sizeof(err)) != 0) {
			cf_error(st, "event %u: %s", (unsigned)i, err);
			cf_free_instance(inst);
			*rc = SS_PLUGIN_FAILURE;
			return NULL;
		}
		inst->bufs[i] = cf_build_event(i, p + pos, (uint32_t)(end - pos));
		inst->total = i + 1;
		if(inst->bufs[i] == NULL) {
			cf_free_instance(inst);
			cf_error(st, "out of memory");
			*rc = SS_PLUGIN_FAILURE;
			return NULL;
		}
		inst->evts[i] = (ss_plugin_event *)inst->bufs[i];
		pos = end + 1;
	}
	*rc = SS_PLUGIN_SUCCESS;
	return inst;
}

CF_API void plugin_close(ss_plugin_t *s, ss_instance_t *h) {
	(void)s;
	cf_free_instance((cf_instance *)h);
}

CF_API ss_plugin_rc plugin_next_batch(ss_plugin_t *s, ss_instance_t *h, uint32_t *nevts, ss_plugin_event ***evts) {
	cf_instance *inst = (cf_instance *)h;
	(void)s;
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

CF_API const char *plugin_event_to_string(ss_plugin_t *s, const ss_plugin_event_input *evt) {
	cf_state *st = (cf_state *)s;
	const char *data;
	uint32_t len = 0;
	if(st == NULL) {
		return "";
	}
	data = evt != NULL ? cf_payload(evt->evt, &len) : NULL;
	if(data == NULL) {
		return "";
	}
	if(st->strbuf_cap < (size_t)len + 1) {
		char *b = (char *)realloc(st->strbuf, (size_t)len + 1);
		if(b == NULL) {
			return "";
		}
		st->strbuf = b;
		st->strbuf_cap = (size_t)len + 1;
	}
	memcpy(st->strbuf, data, len);
	st->strbuf[len] = '\0';
	return st->strbuf;
}

/* ------------------------------------------------------------------ */
/* Extraction                                                          */
/* ------------------------------------------------------------------ */

CF_API const char *plugin_get_fields(void) {
	return CF_FIELDS_JSON;
}

CF_API const char *plugin_get_extract_event_sources(void) {
	return "[\"" CF_SOURCE "\"]";
}

/* Fills f from the payload p[0..n); leaves res_len 0 when there is no value. */
static int cf_extract_one(cf_state *st, cf_slot *slot, const char *p, uint32_t n, ss_plugin_extract_field *f) {
	cf_entry e;
	char err[PLUGIN_MAX_ERRLEN];
	const cf_field *fd;
	if(f->field_id >= CF_NFIELDS) {
		cf_error(st, "unknown field id %u", (unsigned)f->field_id);
		return -1;
	}
	fd = &cf_fields[f->field_id];
	switch(f->field_id) {
	case CF_PAYLOAD:
		if(cf_slot_reserve(slot, 1, (size_t)n + 1) != 0) {
			cf_error(st, "out of memory");
			return -1;
		}
		memcpy(slot->text, p, n);
		slot->text[n] = '\0';
		slot->strs[0] = slot->text;
		slot->n = 1;
		cf_set_result(slot, f, K_STR);
		return 0;
	case CF_KEY:
	case CF_REQ:
		if(!f->arg_present || f->arg_key == NULL) {
			return 0;
		}
		if(!cf_find(p, n, f->field_id == CF_KEY ? "key." : "req.", f->arg_key, &e)) {
			return 0;
		}
		break;
	default:
		if(!cf_find(p, n, fd->key, NULL, &e)) {
			return 0;
		}
		break;
	}
	if(cf_decode_value(slot, fd->kind, fd->list, e.val, e.val_len, err, sizeof(err)) != 0) {
		cf_error(st, "field %s: %s", f->field, err);
		return -1;
	}
	if(f->field_id == CF_IDX) {
		uint64_t k = f->arg_index;
		if(!f->arg_present || k >= slot->n) {
			return 0;
		}
		slot->strs[0] = slot->strs[k];
		slot->n = 1;
	}
	cf_set_result(slot, f, fd->kind);
	return 0;
}

CF_API ss_plugin_rc plugin_extract_fields(ss_plugin_t *s, const ss_plugin_event_input *evt, const ss_plugin_field_extract_input *in) {
	cf_state *st = (cf_state *)s;
	const char *p;
	uint32_t n = 0, i;
	if(st == NULL || in == NULL) {
		return SS_PLUGIN_FAILURE;
	}
	if(in->num_fields > st->nslots) {
		cf_slot *slots = (cf_slot *)realloc(st->slots, in->num_fields * sizeof(cf_slot));
		if(slots == NULL) {
			cf_error(st, "out of memory");
			return SS_PLUGIN_FAILURE;
		}
		memset(slots + st->nslots, 0, (in->num_fields - st->nslots) * sizeof(cf_slot));
		st->slots = slots;
		st->nslots = in->num_fields;
	}
	p = evt != NULL ? cf_payload(evt->evt, &n) : NULL;
	for(i = 0; i < in->num_fields; i++) {
		ss_plugin_extract_field *f = &in->fields[i];
		f->res_len = 0;
		if(p == NULL) {
			continue;
		}
		if(cf_extract_one(st, &st->slots[i], p, n, f) != 0) {
			return SS_PLUGIN_FAILURE;
		}
	}
	return SS_PLUGIN_SUCCESS;
}
