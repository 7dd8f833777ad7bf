/*
 * floor_harness - measures the cost of driving a plugin straight from C,
 * with no host in between: the "floor" that a host's per-event overhead is
 * compared with. Not a plugin fixture (hence its own folder).
 *
 * Usage:
 *
 *   floor_harness PLUGIN.so MODE EVENTS [OPEN_PARAMS] [CONFIG]
 *
 * It dlopen()s PLUGIN.so (RTLD_NOW|RTLD_LOCAL), calls plugin_init(CONFIG)
 * (default "") with a non-NULL owner, a log function that drops everything,
 * a get_owner_last_error returning NULL and a zeroed (non-NULL) tables
 * input, then plugin_open(OPEN_PARAMS) (default ""), and calls
 * plugin_next_batch until EVENTS events were consumed or it returns EOF.
 * Events returned along with SS_PLUGIN_TIMEOUT or SS_PLUGIN_EOF are
 * consumed too; after a timeout next_batch is simply called again. MODE:
 *
 *   batch     next_batch only
 *   extract1  plus one plugin_extract_fields call per event, for 1 field
 *   extract2  plus one plugin_extract_fields call per event, for 2 fields
 *   extract4  plus one plugin_extract_fields call per event, for 4 fields
 *   filter1   a one-clause filter: per event, one plugin_extract_fields call
 *             for field 1 and check 1 applied to its values
 *   filter5   a five-clause filter, c1 and (c2 or c3) and c4 and c5, where
 *             clause k is check k on field k, evaluated left to right with
 *             short-circuit: per event, one plugin_extract_fields call per
 *             field that a clause still needs (at most once per event: a
 *             field listed twice is extracted once), as libsinsp evaluates
 *   output3   a 3-field output line: per event, ONE plugin_extract_fields
 *             call for the 3 fields, then "V1 V2 V3" rendered with snprintf
 *             (one call per value) into a reused buffer
 *
 * After each extraction in the extract modes the values are read (u64
 * values, string lengths, ...) into a volatile sink, so that nothing can be
 * optimized away, and the fields with at least one value are counted (as
 * plugincheck counts them).
 *
 * Checks (filter modes) come from $FLOOR_CHECKS, a ';'-separated list of
 * "OP VALUE" (one space), one per clause, OP one of = != < <= > >=
 * startswith. VALUE is a decimal for uint64/reltime/abstime fields, true or
 * false for bool fields, the bytes to compare with for string fields (<,
 * <=, >, >= compare strings bytewise; startswith is for strings only). A
 * clause is true when some value of its field satisfies the check; a field
 * with no value makes it false, whatever the operator (as in libsinsp).
 *
 * Values in the output line (output3): uint64/reltime/abstime in decimal,
 * bool as true/false, strings as they are, a list as (V,V,...), ipaddr and
 * ipnet as <ADDR>/<NET> (not rendered); a field with no value ends the line
 * there, separator included (libsinsp's text format without a leading '*').
 * $FLOOR_PRINT=N writes the first N lines on stderr, each as
 * "floor_harness: line: LINE".
 *
 * Fields come from $FLOOR_FIELDS, a comma-separated list whose entries are
 * either "ID:FTYPE:FLIST:NAME" (field_id, numeric ss_plugin_field_type,
 * 0/1, field name: get_fields is not looked at) or just "NAME" (looked up
 * in get_fields). NAME may end with "[ARG]": an all-digits ARG is passed as
 * an index argument, any other ARG as a key argument. extract1 uses the
 * first entry, extract2 the first two, extract4, filter5 and output3 the
 * first four, five or three (cycling through the list when it has fewer).
 * Without $FLOOR_FIELDS, the fields of get_fields that do not require an
 * argument are used in order.
 *
 * The loop from the first next_batch to the last event is timed with
 * CLOCK_MONOTONIC, and exactly one line is printed on stdout:
 *
 *   events=N ns_per_event=X.XX batches=B[ matched=M][ bytes=L]
 *
 * where B counts the next_batch calls that returned at least one event, M
 * (filter modes) the events that matched and L (output3) the total length
 * of the lines.
 * Any failure prints a message on stderr and exits with status 1 (2 for a
 * usage error).
 *
 * Build: cc -O2 -Wall -Werror -I <sdk>/pkg/sdk -o floor_harness floor_harness.c -ldl
 */
#define _POSIX_C_SOURCE 200809L

#include <dlfcn.h>
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "plugin_api.h"

/* ------------------------------------------------------------------ */
/* Errors                                                              */
/* ------------------------------------------------------------------ */

static void die(const char *fmt, ...) __attribute__((noreturn, format(printf, 1, 2)));

static void die(const char *fmt, ...) {
	va_list ap;
	fputs("floor_harness: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(1);
}

static void *xcalloc(size_t n, size_t size) {
	void *p = calloc(n > 0 ? n : 1, size);
	if(p == NULL) {
		die("out of memory");
	}
	return p;
}

/* ------------------------------------------------------------------ */
/* Plugin symbols                                                      */
/* ------------------------------------------------------------------ */

typedef ss_plugin_t *(*init_fn)(const ss_plugin_init_input *, ss_plugin_rc *);
typedef void (*destroy_fn)(ss_plugin_t *);
typedef const char *(*last_error_fn)(ss_plugin_t *);
typedef const char *(*get_str_fn)(void);
typedef ss_instance_t *(*open_fn)(ss_plugin_t *, const char *, ss_plugin_rc *);
typedef void (*close_fn)(ss_plugin_t *, ss_instance_t *);
typedef ss_plugin_rc (*next_batch_fn)(ss_plugin_t *, ss_instance_t *, uint32_t *, ss_plugin_event ***);
typedef ss_plugin_rc (*extract_fn)(ss_plugin_t *,
                                   const ss_plugin_event_input *,
                                   const ss_plugin_field_extract_input *);

static void *lib;
static const char *lib_path;

static void *sym(const char *name, int required) {
	void *p;
	dlerror();
	p = dlsym(lib, name);
	if(p == NULL && required) {
		const char *err = dlerror();
		die("%s: missing symbol %s%s%s", lib_path, name, err != NULL ? ": " : "", err != NULL ? err : "");
	}
	return p;
}

/* ------------------------------------------------------------------ */
/* Host side of plugin_init                                            */
/* ------------------------------------------------------------------ */

static int owner_storage;

static const char *owner_last_error(ss_plugin_owner_t *o) {
	(void)o;
	return NULL;
}

static void log_nothing(ss_plugin_owner_t *o,
                        const char *component,
                        const char *msg,
                        ss_plugin_log_severity sev) {
	(void)o;
	(void)component;
	(void)msg;
	(void)sev;
}

static ss_plugin_init_tables_input zero_tables;

/* ------------------------------------------------------------------ */
/* A minimal reader of the get_fields JSON                             */
/* ------------------------------------------------------------------ */

typedef struct field_info {
	char *name;
	uint32_t ftype;
	int flist;
	int arg_required;
} field_info;

typedef struct json_reader {
	const char *p;
} json_reader;

static void j_ws(json_reader *j) {
	while(*j->p == ' ' || *j->p == '\t' || *j->p == '\n' || *j->p == '\r') {
		j->p++;
	}
}

static int j_eat(json_reader *j, char c) {
	j_ws(j);
	if(*j->p != c) {
		return 0;
	}
	j->p++;
	return 1;
}

/* Reads a string into a new buffer (escapes other than \" and \\ are kept
 * approximately: \uXXXX becomes '?'); returns NULL on a syntax error. */
static char *j_string(json_reader *j) {
	const char *s;
	char *out;
	size_t n = 0;
	j_ws(j);
	if(*j->p != '"') {
		return NULL;
	}
	s = ++j->p;
	out = (char *)xcalloc(strlen(s) + 1, 1);
	for(;;) {
		char c = *j->p++;
		if(c == '\0') {
			free(out);
			return NULL;
		}
		if(c == '"') {
			break;
		}
		if(c == '\\') {
			c = *j->p++;
			switch(c) {
			case 'n': c = '\n'; break;
			case 't': c = '\t'; break;
			case 'r': c = '\r'; break;
			case 'b': c = '\b'; break;
			case 'f': c = '\f'; break;
			case 'u':
				if(strlen(j->p) < 4) {
					free(out);
					return NULL;
				}
				j->p += 4;
				c = '?';
				break;
			case '"':
			case '\\':
			case '/':
				break;
			default:
				free(out);
				return NULL;
			}
		}
		out[n++] = c;
	}
	out[n] = '\0';
	return out;
}

/* Reads true or false; returns 0/1, or -1 if the value is something else
 * (which is then skipped). */
static int j_skip(json_reader *j);

static int j_bool(json_reader *j) {
	j_ws(j);
	if(strncmp(j->p, "true", 4) == 0) {
		j->p += 4;
		return 1;
	}
	if(strncmp(j->p, "false", 5) == 0) {
		j->p += 5;
		return 0;
	}
	return j_skip(j) ? -1 : -2;
}

/* Skips any value; returns 0 on a syntax error. */
static int j_skip(json_reader *j) {
	j_ws(j);
	switch(*j->p) {
	case '"': {
		char *s = j_string(j);
		free(s);
		return s != NULL;
	}
	case '{':
		j->p++;
		if(j_eat(j, '}')) {
			return 1;
		}
		do {
			char *k = j_string(j);
			if(k == NULL) {
				return 0;
			}
			free(k);
			if(!j_eat(j, ':') || !j_skip(j)) {
				return 0;
			}
		} while(j_eat(j, ','));
		return j_eat(j, '}');
	case '[':
		j->p++;
		if(j_eat(j, ']')) {
			return 1;
		}
		do {
			if(!j_skip(j)) {
				return 0;
			}
		} while(j_eat(j, ','));
		return j_eat(j, ']');
	default: {
		/* number, true, false, null */
		const char *start = j->p;
		while(*j->p != '\0' && strchr(",]} \t\r\n", *j->p) == NULL) {
			j->p++;
		}
		return j->p != start;
	}
	}
}

static uint32_t ftype_of(const char *type) {
	static const struct {
		const char *name;
		uint32_t ftype;
	} types[] = {
	        {"uint64", FTYPE_UINT64},   {"string", FTYPE_STRING}, {"reltime", FTYPE_RELTIME},
	        {"abstime", FTYPE_ABSTIME}, {"bool", FTYPE_BOOL},     {"ipaddr", FTYPE_IPADDR},
	        {"ipnet", FTYPE_IPNET},
	};
	size_t i;
	for(i = 0; i < sizeof(types) / sizeof(types[0]); i++) {
		if(strcmp(type, types[i].name) == 0) {
			return types[i].ftype;
		}
	}
	return 0;
}

/* Parses the field list; returns the number of fields (dies on errors). */
static size_t parse_fields(const char *json, field_info **out) {
	json_reader j = {json};
	field_info *fields = NULL;
	size_t n = 0, cap = 0;

	if(json == NULL) {
		die("plugin_get_fields returned NULL");
	}
	if(!j_eat(&j, '[')) {
		goto bad;
	}
	if(j_eat(&j, ']')) {
		goto done;
	}
	do {
		field_info f = {NULL, 0, 0, 0};
		char *type = NULL;
		if(!j_eat(&j, '{')) {
			goto bad;
		}
		if(!j_eat(&j, '}')) {
			do {
				char *key = j_string(&j);
				int ok;
				if(key == NULL || !j_eat(&j, ':')) {
					goto bad;
				}
				if(strcmp(key, "name") == 0) {
					free(f.name);
					ok = (f.name = j_string(&j)) != NULL;
				} else if(strcmp(key, "type") == 0) {
					free(type);
					ok = (type = j_string(&j)) != NULL;
				} else if(strcmp(key, "isList") == 0) {
					int b = j_bool(&j);
					ok = b >= -1;
					f.flist = b == 1;
				} else if(strcmp(key, "arg") == 0) {
					j_ws(&j);
					if(*j.p == '{') {
						j.p++;
						ok = 1;
						if(!j_eat(&j, '}')) {
							do {
								char *akey = j_string(&j);
								if(akey == NULL || !j_eat(&j, ':')) {
									goto bad;
								}
								if(strcmp(akey, "isRequired") == 0) {
									int b = j_bool(&j);
									ok = b >= -1;
									f.arg_required = b == 1;
								} else {
									ok = j_skip(&j);
								}
								free(akey);
							} while(ok && j_eat(&j, ','));
							ok = ok && j_eat(&j, '}');
						}
					} else {
						ok = j_skip(&j);
					}
				} else {
					ok = j_skip(&j);
				}
				free(key);
				if(!ok) {
					goto bad;
				}
			} while(j_eat(&j, ','));
			if(!j_eat(&j, '}')) {
				goto bad;
			}
		}
		if(f.name == NULL || type == NULL) {
			goto bad;
		}
		f.ftype = ftype_of(type);
		if(f.ftype == 0) {
			die("get_fields: field %s has unknown type \"%s\"", f.name, type);
		}
		free(type);
		if(n == cap) {
			cap = cap ? 2 * cap : 16;
			fields = (field_info *)realloc(fields, cap * sizeof(*fields));
			if(fields == NULL) {
				die("out of memory");
			}
		}
		fields[n++] = f;
	} while(j_eat(&j, ','));
	if(!j_eat(&j, ']')) {
		goto bad;
	}
done:
	*out = fields;
	return n;
bad:
	die("cannot parse the get_fields JSON near offset %ld: %s", (long)(j.p - json), json);
}

/* ------------------------------------------------------------------ */
/* Field selection                                                     */
/* ------------------------------------------------------------------ */

/* Sets the argument of f from a trailing "[ARG]" of name (modified). */
static void take_arg(char *name, ss_plugin_extract_field *f) {
	char *open = strchr(name, '[');
	size_t len = strlen(name);
	char *arg, *p;
	if(open == NULL) {
		return;
	}
	if(len < 2 || name[len - 1] != ']' || open == name) {
		die("bad field name \"%s\": want NAME or NAME[ARG]", name);
	}
	name[len - 1] = '\0';
	*open = '\0';
	arg = open + 1;
	f->arg_present = 1;
	for(p = arg; *p >= '0' && *p <= '9'; p++) {
	}
	if(*arg != '\0' && *p == '\0') {
		errno = 0;
		f->arg_index = strtoull(arg, NULL, 10);
		if(errno != 0) {
			die("bad index argument \"%s\"", arg);
		}
	} else {
		f->arg_key = arg;
	}
}

static const field_info *find_field(const field_info *fields, size_t n, const char *name, uint32_t *id) {
	size_t i;
	for(i = 0; i < n; i++) {
		if(strcmp(fields[i].name, name) == 0) {
			*id = (uint32_t)i;
			return &fields[i];
		}
	}
	return NULL;
}

/* Fills want requests (zeroed beforehand). */
static void select_fields(get_str_fn get_fields, ss_plugin_extract_field *req, size_t want) {
	const char *env = getenv("FLOOR_FIELDS");
	field_info *fields = NULL;
	size_t nfields = 0, i, nspec = 0;
	ss_plugin_extract_field *spec;
	int parsed = 0;

	if(env == NULL || env[0] == '\0') {
		size_t *usable;
		size_t nusable = 0;
		nfields = parse_fields(get_fields(), &fields);
		usable = (size_t *)xcalloc(nfields, sizeof(size_t));
		for(i = 0; i < nfields; i++) {
			if(!fields[i].arg_required) {
				usable[nusable++] = i;
			}
		}
		if(nusable == 0) {
			die("the plugin has no field without a required argument: set FLOOR_FIELDS");
		}
		for(i = 0; i < want; i++) {
			const field_info *f = &fields[usable[i % nusable]];
			req[i].field_id = (uint32_t)usable[i % nusable];
			req[i].field = f->name;
			req[i].ftype = f->ftype;
			req[i].flist = f->flist ? 1 : 0;
		}
		free(usable);
		return;
	}

	/* One spec per comma-separated entry. */
	spec = (ss_plugin_extract_field *)xcalloc(strlen(env) + 1, sizeof(*spec));
	{
		char *list = strdup(env), *save = NULL, *entry;
		if(list == NULL) {
			die("out of memory");
		}
		for(entry = strtok_r(list, ",", &save); entry != NULL; entry = strtok_r(NULL, ",", &save)) {
			ss_plugin_extract_field *f = &spec[nspec++];
			unsigned long id, ftype, flist;
			int used = 0;
			if(sscanf(entry, "%lu:%lu:%lu:%n", &id, &ftype, &flist, &used) == 3 && used > 0) {
				if(flist > 1 || entry[used] == '\0') {
					die("bad FLOOR_FIELDS entry \"%s\": want ID:FTYPE:FLIST:NAME or NAME", entry);
				}
				f->field_id = (uint32_t)id;
				f->ftype = (uint32_t)ftype;
				f->flist = (ss_plugin_bool)flist;
				f->field = entry + used;
				take_arg(entry + used, f);
			} else {
				const field_info *fi;
				uint32_t fid = 0;
				take_arg(entry, f);
				if(!parsed) {
					nfields = parse_fields(get_fields(), &fields);
					parsed = 1;
				}
				fi = find_field(fields, nfields, entry, &fid);
				if(fi == NULL) {
					die("FLOOR_FIELDS: the plugin has no field \"%s\"", entry);
				}
				f->field_id = fid;
				f->field = fi->name;
				f->ftype = fi->ftype;
				f->flist = fi->flist ? 1 : 0;
			}
		}
		/* list and fields stay allocated: the requests point into them. */
	}
	if(nspec == 0) {
		die("FLOOR_FIELDS has no field");
	}
	for(i = 0; i < want; i++) {
		req[i] = spec[i % nspec];
	}
	free(spec);
}

/* Reads every value of an extracted field. */
static inline uint64_t touch(const ss_plugin_extract_field *f) {
	uint64_t s = f->res_len, j;
	for(j = 0; j < f->res_len; j++) {
		switch(f->ftype) {
		case FTYPE_UINT64:
		case FTYPE_RELTIME:
		case FTYPE_ABSTIME:
			s += f->res.u64[j];
			break;
		case FTYPE_STRING:
			s += strlen(f->res.str[j]);
			break;
		case FTYPE_BOOL:
			s += f->res.boolean[j];
			break;
		case FTYPE_IPADDR:
		case FTYPE_IPNET:
			s += f->res.buf[j].len;
			break;
		default:
			s += (uintptr_t)f->res.str;
			break;
		}
	}
	return s;
}

static volatile uint64_t sink;
static volatile uint64_t present;

/* ------------------------------------------------------------------ */
/* Filter checks and output lines                                      */
/* ------------------------------------------------------------------ */

#define MAX_REQ 5

enum { OP_EQ, OP_NE, OP_LT, OP_LE, OP_GT, OP_GE, OP_STARTSWITH };

typedef struct check {
	int op;
	uint64_t num;    /* numeric and bool fields */
	const char *str; /* string fields */
	size_t len;
} check;

static int is_num(uint32_t ftype) {
	return ftype == FTYPE_UINT64 || ftype == FTYPE_RELTIME || ftype == FTYPE_ABSTIME;
}

/* Parses $FLOOR_CHECKS into n checks against the types of req. */
static void parse_checks(const ss_plugin_extract_field *req, check *checks, size_t n) {
	static const struct {
		const char *name;
		int op;
	} opnames[] = {
	        {"=", OP_EQ},  {"!=", OP_NE}, {"<", OP_LT},           {"<=", OP_LE},
	        {">", OP_GT},  {">=", OP_GE}, {"startswith", OP_STARTSWITH},
	};
	const char *env = getenv("FLOOR_CHECKS");
	char *list, *save = NULL, *entry;
	size_t k = 0, i;
	if(env == NULL || env[0] == '\0') {
		die("filter modes need $FLOOR_CHECKS");
	}
	list = strdup(env); /* stays allocated: the checks point into it */
	if(list == NULL) {
		die("out of memory");
	}
	for(entry = strtok_r(list, ";", &save); entry != NULL; entry = strtok_r(NULL, ";", &save)) {
		char *value = strchr(entry, ' ');
		check *c = &checks[k];
		uint32_t ftype;
		if(k == n) {
			die("FLOOR_CHECKS has more than %zu checks", n);
		}
		if(value == NULL) {
			die("bad FLOOR_CHECKS entry \"%s\": want \"OP VALUE\"", entry);
		}
		*value++ = '\0';
		c->op = -1;
		for(i = 0; i < sizeof(opnames) / sizeof(opnames[0]); i++) {
			if(strcmp(entry, opnames[i].name) == 0) {
				c->op = opnames[i].op;
			}
		}
		if(c->op < 0) {
			die("FLOOR_CHECKS: unknown operator \"%s\"", entry);
		}
		ftype = req[k].ftype;
		if(is_num(ftype)) {
			char *end;
			errno = 0;
			c->num = strtoull(value, &end, 10);
			if(errno != 0 || end == value || *end != '\0' || value[0] == '-') {
				die("FLOOR_CHECKS: \"%s\" is not a number (field %s)", value, req[k].field);
			}
		} else if(ftype == FTYPE_BOOL) {
			if(strcmp(value, "true") != 0 && strcmp(value, "false") != 0) {
				die("FLOOR_CHECKS: \"%s\" is not true or false (field %s)", value, req[k].field);
			}
			c->num = value[0] == 't';
		} else if(ftype == FTYPE_STRING) {
			c->str = value;
			c->len = strlen(value);
		} else {
			die("FLOOR_CHECKS: field %s: type %u is not supported", req[k].field, (unsigned)ftype);
		}
		if(c->op == OP_STARTSWITH && ftype != FTYPE_STRING) {
			die("FLOOR_CHECKS: startswith needs a string field, not %s", req[k].field);
		}
		k++;
	}
	if(k != n) {
		die("FLOOR_CHECKS has %zu checks, want %zu", k, n);
	}
}

static inline int cmp_ok(int op, int cmp) {
	switch(op) {
	case OP_EQ: return cmp == 0;
	case OP_NE: return cmp != 0;
	case OP_LT: return cmp < 0;
	case OP_LE: return cmp <= 0;
	case OP_GT: return cmp > 0;
	case OP_GE: return cmp >= 0;
	}
	return 0;
}

/* Whether some value of f satisfies c. */
static inline int matches(const ss_plugin_extract_field *f, const check *c) {
	uint64_t j;
	for(j = 0; j < f->res_len; j++) {
		if(is_num(f->ftype)) {
			uint64_t v = f->res.u64[j];
			if(cmp_ok(c->op, v < c->num ? -1 : v > c->num)) {
				return 1;
			}
		} else if(f->ftype == FTYPE_BOOL) {
			uint64_t v = f->res.boolean[j] != 0;
			if(cmp_ok(c->op, v < c->num ? -1 : v > c->num)) {
				return 1;
			}
		} else if(c->op == OP_STARTSWITH) {
			if(strncmp(f->res.str[j], c->str, c->len) == 0) {
				return 1;
			}
		} else if(cmp_ok(c->op, strcmp(f->res.str[j], c->str))) {
			return 1;
		}
	}
	return 0;
}

/* Appends the values of f to line[*off..size) with snprintf, as "V" or
 * "(V,V,...)" for a list. */
static inline void render(char *line, size_t size, size_t *off, const ss_plugin_extract_field *f) {
	uint64_t j;
	size_t o = *off;
#define PUT(...)                                                            \
	do {                                                                    \
		int w_ = snprintf(line + o, size - o, __VA_ARGS__);                \
		o = w_ < 0 ? o : (o + (size_t)w_ < size ? o + (size_t)w_ : size - 1); \
	} while(0)
	if(f->flist) {
		PUT("(");
	}
	for(j = 0; j < f->res_len; j++) {
		if(j > 0) {
			PUT(",");
		}
		switch(f->ftype) {
		case FTYPE_UINT64:
		case FTYPE_RELTIME:
		case FTYPE_ABSTIME:
			PUT("%" PRIu64, f->res.u64[j]);
			break;
		case FTYPE_STRING:
			PUT("%s", f->res.str[j]);
			break;
		case FTYPE_BOOL:
			PUT("%s", f->res.boolean[j] ? "true" : "false");
			break;
		case FTYPE_IPADDR:
			PUT("<ADDR>");
			break;
		default:
			PUT("<NET>");
			break;
		}
	}
	if(f->flist) {
		PUT(")");
	}
#undef PUT
	*off = o;
}

/* What the filter modes evaluate an event with. */
typedef struct filter_ctx {
	extract_fn extract;
	last_error_fn last_error;
	ss_plugin_t *state;
	const ss_plugin_event_input *evt;
	ss_plugin_field_extract_input *in;
	ss_plugin_extract_field *req;
	const check *checks;
	const size_t *clause_req; /* clause -> request (a field listed twice shares one) */
	unsigned done;            /* requests already extracted for this event */
} filter_ctx;

/* Clause k: check k on request clause_req[k], which is extracted on first
 * use in the event with one plugin_extract_fields call (res_len cleared
 * first). */
static inline int clause(filter_ctx *c, size_t k) {
	size_t r = c->clause_req[k];
	ss_plugin_extract_field *f = &c->req[r];
	if((c->done & (1u << r)) == 0) {
		ss_plugin_rc rc;
		c->done |= 1u << r;
		f->res_len = 0;
		c->in->num_fields = 1;
		c->in->fields = f;
		rc = c->extract(c->state, c->evt, c->in);
		if(rc != SS_PLUGIN_SUCCESS) {
			const char *err = c->last_error(c->state);
			die("plugin_extract_fields(%s) failed (rc %d) on event %llu: %s", f->field, (int)rc,
			    (unsigned long long)c->evt->evtnum, err != NULL ? err : "(no error)");
		}
	}
	return matches(f, &c->checks[k]);
}

/* Two requests for the same field and argument. */
static int same_request(const ss_plugin_extract_field *a, const ss_plugin_extract_field *b) {
	if(a->field_id != b->field_id || a->arg_present != b->arg_present || a->arg_index != b->arg_index) {
		return 0;
	}
	if(a->arg_key == NULL || b->arg_key == NULL) {
		return a->arg_key == b->arg_key;
	}
	return strcmp(a->arg_key, b->arg_key) == 0;
}

/* ------------------------------------------------------------------ */
/* Main                                                                */
/* ------------------------------------------------------------------ */

static void usage(void) {
	fprintf(stderr,
	        "usage: floor_harness PLUGIN.so batch|extract1|extract2|extract4|filter1|filter5|output3 EVENTS "
	        "[OPEN_PARAMS] [CONFIG]\n");
	exit(2);
}

int main(int argc, char **argv) {
	const char *mode, *open_params = "", *config = "", *evtsrc = "";
	unsigned long long events, consumed = 0, batches = 0, timeouts = 0, evtnum = 0;
	unsigned long long matched = 0, bytes = 0, print_lines = 0;
	size_t nreq = 0;
	enum { KIND_EXTRACT, KIND_FILTER1, KIND_FILTER5, KIND_OUTPUT } kind = KIND_EXTRACT;
	check checks[MAX_REQ];
	size_t clause_req[MAX_REQ];
	char line[4096];
	char *end;
	init_fn p_init;
	destroy_fn p_destroy;
	last_error_fn p_last_error;
	open_fn p_open;
	close_fn p_close;
	next_batch_fn p_next_batch;
	extract_fn p_extract = NULL;
	get_str_fn p_get_fields = NULL, p_get_event_source;
	ss_plugin_init_input init_in;
	ss_plugin_field_extract_input ext_in;
	ss_plugin_extract_field req[MAX_REQ];
	ss_plugin_event_input evt_in;
	ss_plugin_t *state;
	ss_instance_t *inst;
	ss_plugin_rc rc;
	struct timespec t0, t1;
	double ns;
	int done = 0;

	if(argc < 4 || argc > 6) {
		usage();
	}
	lib_path = argv[1];
	mode = argv[2];
	if(strcmp(mode, "batch") == 0) {
		nreq = 0;
	} else if(strcmp(mode, "extract1") == 0) {
		nreq = 1;
	} else if(strcmp(mode, "extract2") == 0) {
		nreq = 2;
	} else if(strcmp(mode, "extract4") == 0) {
		nreq = 4;
	} else if(strcmp(mode, "filter1") == 0) {
		nreq = 1;
		kind = KIND_FILTER1;
	} else if(strcmp(mode, "filter5") == 0) {
		nreq = 5;
		kind = KIND_FILTER5;
	} else if(strcmp(mode, "output3") == 0) {
		nreq = 3;
		kind = KIND_OUTPUT;
	} else {
		fprintf(stderr, "floor_harness: unknown mode \"%s\"\n", mode);
		usage();
	}
	errno = 0;
	events = strtoull(argv[3], &end, 10);
	if(errno != 0 || end == argv[3] || *end != '\0' || argv[3][0] == '-' || events == 0) {
		fprintf(stderr, "floor_harness: bad EVENTS \"%s\": want a positive decimal\n", argv[3]);
		usage();
	}
	if(argc > 4) {
		open_params = argv[4];
	}
	if(argc > 5) {
		config = argv[5];
	}

	lib = dlopen(lib_path, RTLD_NOW | RTLD_LOCAL);
	if(lib == NULL) {
		die("dlopen %s: %s", lib_path, dlerror());
	}
	p_init = (init_fn)sym("plugin_init", 1);
	p_destroy = (destroy_fn)sym("plugin_destroy", 1);
	p_last_error = (last_error_fn)sym("plugin_get_last_error", 1);
	p_open = (open_fn)sym("plugin_open", 1);
	p_close = (close_fn)sym("plugin_close", 1);
	p_next_batch = (next_batch_fn)sym("plugin_next_batch", 1);
	p_get_event_source = (get_str_fn)sym("plugin_get_event_source", 0);
	if(nreq > 0) {
		p_get_fields = (get_str_fn)sym("plugin_get_fields", 1);
		p_extract = (extract_fn)sym("plugin_extract_fields", 1);
	}
	if(p_get_event_source != NULL && p_get_event_source() != NULL) {
		evtsrc = p_get_event_source();
	}

	memset(&init_in, 0, sizeof(init_in));
	init_in.config = config;
	init_in.owner = (ss_plugin_owner_t *)&owner_storage;
	init_in.get_owner_last_error = owner_last_error;
	init_in.tables = &zero_tables;
	init_in.log_fn = log_nothing;
	rc = SS_PLUGIN_FAILURE;
	state = p_init(&init_in, &rc);
	if(state == NULL || rc != SS_PLUGIN_SUCCESS) {
		const char *err = state != NULL ? p_last_error(state) : NULL;
		die("plugin_init(%s) failed (rc %d): %s", config, (int)rc, err != NULL ? err : "(no error)");
	}

	memset(req, 0, sizeof(req));
	if(nreq > 0) {
		size_t i;
		select_fields(p_get_fields, req, nreq);
		fprintf(stderr, "floor_harness: %s: fields", mode);
		for(i = 0; i < nreq; i++) {
			fprintf(stderr, " %s(id=%u,ftype=%u,flist=%u", req[i].field, (unsigned)req[i].field_id,
			        (unsigned)req[i].ftype, (unsigned)req[i].flist);
			if(req[i].arg_present) {
				if(req[i].arg_key != NULL) {
					fprintf(stderr, ",key=%s", req[i].arg_key);
				} else {
					fprintf(stderr, ",index=%llu", (unsigned long long)req[i].arg_index);
				}
			}
			fputc(')', stderr);
		}
		fputc('\n', stderr);
	}
	if(kind == KIND_FILTER1 || kind == KIND_FILTER5) {
		size_t k, j;
		parse_checks(req, checks, nreq);
		for(k = 0; k < nreq; k++) {
			clause_req[k] = k;
			for(j = 0; j < k; j++) {
				if(same_request(&req[j], &req[k])) {
					clause_req[k] = j;
					break;
				}
			}
		}
	}
	if(kind == KIND_OUTPUT && getenv("FLOOR_PRINT") != NULL) {
		print_lines = strtoull(getenv("FLOOR_PRINT"), NULL, 10);
	}
	memset(&ext_in, 0, sizeof(ext_in));
	ext_in.owner = (ss_plugin_owner_t *)&owner_storage;
	ext_in.get_owner_last_error = owner_last_error;
	ext_in.num_fields = (uint32_t)nreq;
	ext_in.fields = req;
	memset(&evt_in, 0, sizeof(evt_in));
	evt_in.evtsrc = evtsrc;

	rc = SS_PLUGIN_FAILURE;
	inst = p_open(state, open_params, &rc);
	if(inst == NULL || rc != SS_PLUGIN_SUCCESS) {
		const char *err = p_last_error(state);
		die("plugin_open(%s) failed (rc %d): %s", open_params, (int)rc, err != NULL ? err : "(no error)");
	}

	clock_gettime(CLOCK_MONOTONIC, &t0);
	while(!done && consumed < events) {
		uint32_t nevts = 0, i;
		ss_plugin_event **evts = NULL;
		rc = p_next_batch(state, inst, &nevts, &evts);
		switch(rc) {
		case SS_PLUGIN_SUCCESS:
			break;
		case SS_PLUGIN_TIMEOUT:
			timeouts++;
			break;
		case SS_PLUGIN_EOF:
			done = 1;
			break;
		default: {
			const char *err = p_last_error(state);
			die("plugin_next_batch failed (rc %d) after %llu events: %s", (int)rc, consumed,
			    err != NULL ? err : "(no error)");
		}
		}
		if(nevts == 0) {
			continue;
		}
		if(evts == NULL) {
			die("plugin_next_batch returned %u events and a NULL array", (unsigned)nevts);
		}
		batches++;
		if(nevts > events - consumed) {
			nevts = (uint32_t)(events - consumed);
		}
		if(kind == KIND_FILTER1 || kind == KIND_FILTER5) {
			filter_ctx c = {p_extract, p_last_error, state, &evt_in, &ext_in, req, checks, clause_req, 0};
			for(i = 0; i < nevts; i++) {
				int m;
				evt_in.evt = evts[i];
				evt_in.evtnum = ++evtnum;
				c.done = 0;
				if(kind == KIND_FILTER1) {
					m = clause(&c, 0);
				} else {
					m = clause(&c, 0) && (clause(&c, 1) || clause(&c, 2)) && clause(&c, 3) && clause(&c, 4);
				}
				matched += m != 0;
			}
		} else if(kind == KIND_OUTPUT) {
			for(i = 0; i < nevts; i++) {
				size_t off = 0, k;
				evt_in.evt = evts[i];
				evt_in.evtnum = ++evtnum;
				rc = p_extract(state, &evt_in, &ext_in);
				if(rc != SS_PLUGIN_SUCCESS) {
					const char *err = p_last_error(state);
					die("plugin_extract_fields failed (rc %d) on event %llu: %s", (int)rc, evtnum,
					    err != NULL ? err : "(no error)");
				}
				for(k = 0; k < nreq; k++) {
					if(k > 0) {
						line[off++] = ' ';
					}
					if(req[k].res_len == 0) {
						break;
					}
					render(line, sizeof(line), &off, &req[k]);
				}
				line[off] = '\0';
				bytes += off;
				sink += (unsigned char)line[0];
				if(print_lines > 0) {
					print_lines--;
					fprintf(stderr, "floor_harness: line: %s\n", line);
				}
			}
		} else if(nreq > 0) {
			for(i = 0; i < nevts; i++) {
				uint64_t s = 0, p = 0;
				size_t k;
				evt_in.evt = evts[i];
				evt_in.evtnum = ++evtnum;
				rc = p_extract(state, &evt_in, &ext_in);
				if(rc != SS_PLUGIN_SUCCESS) {
					const char *err = p_last_error(state);
					die("plugin_extract_fields failed (rc %d) on event %llu: %s", (int)rc, evtnum,
					    err != NULL ? err : "(no error)");
				}
				for(k = 0; k < nreq; k++) {
					s += touch(&req[k]);
					p += req[k].res_len > 0;
				}
				sink += s;
				present += p;
			}
		}
		consumed += nevts;
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);

	p_close(state, inst);
	p_destroy(state);

	ns = (double)(t1.tv_sec - t0.tv_sec) * 1e9 + (double)(t1.tv_nsec - t0.tv_nsec);
	if(timeouts > 0) {
		fprintf(stderr, "floor_harness: %llu next_batch timeouts\n", timeouts);
	}
	printf("events=%llu ns_per_event=%.2f batches=%llu", consumed, consumed > 0 ? ns / (double)consumed : 0.0,
	       batches);
	if(kind == KIND_FILTER1 || kind == KIND_FILTER5) {
		printf(" matched=%llu", matched);
	} else if(kind == KIND_OUTPUT) {
		printf(" bytes=%llu", bytes);
	}
	putchar('\n');
	if(fflush(stdout) != 0) {
		die("writing stdout: %s", strerror(errno));
	}
	return 0;
}
