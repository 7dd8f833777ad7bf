/* schema_wide: get_init_schema returns 20,000 properties {"type":"integer","minimum":0} (about 0.7 MB, no patterns). Expected: rejected at once, more subschemas than the limit of 4096 (compiling them took seconds: the compiler is quadratic in subschemas). */
#include <stdio.h>
#include <stdlib.h>
#define WIDE_N 20000
static char *wide_json;
static const char *wide_schema(void) {
	size_t cap = (size_t)WIDE_N * 48 + 64, n = 0;
	int i;
	if(wide_json != NULL) {
		return wide_json;
	}
	wide_json = (char *)malloc(cap);
	if(wide_json == NULL) {
		return NULL;
	}
	n += (size_t)snprintf(wide_json + n, cap - n, "{\"type\":\"object\",\"properties\":{");
	for(i = 0; i < WIDE_N; i++) {
		n += (size_t)snprintf(wide_json + n, cap - n, "%s\"p%d\":{\"type\":\"integer\",\"minimum\":0}", i ? "," : "", i);
	}
	snprintf(wide_json + n, cap - n, "}}");
	return wide_json;
}
#define FIXTURE_NAME "schema_wide"
#define FIXTURE_EXTRACTION
#define FIXTURE_INIT_SCHEMA wide_schema()
#include "fixture.h"
