/* schema_patterns: get_init_schema returns 20,000 properties each with a pattern (about 1.6 MB). Expected: rejected before compiling, the schema is over the 1 MiB size limit; memory stays small. */
#include <stdio.h>
#include <stdlib.h>
#define PAT_N 20000
static char *pat_json;
static const char *pattern_schema(void) {
	size_t cap = (size_t)PAT_N * 96 + 64, n = 0;
	int i;
	if(pat_json != NULL) {
		return pat_json;
	}
	pat_json = (char *)malloc(cap);
	if(pat_json == NULL) {
		return NULL;
	}
	n += (size_t)snprintf(pat_json + n, cap - n, "{\"type\":\"object\",\"properties\":{");
	for(i = 0; i < PAT_N; i++) {
		n += (size_t)snprintf(pat_json + n, cap - n, "%s\"p%d\":{\"type\":\"string\",\"pattern\":\"^[a-z]{1,40}(-[a-z0-9]{1,20}){0,9}$\"}", i ? "," : "", i);
	}
	snprintf(pat_json + n, cap - n, "}}");
	return pat_json;
}
#define FIXTURE_NAME "schema_patterns"
#define FIXTURE_EXTRACTION
#define FIXTURE_INIT_SCHEMA pattern_schema()
#include "fixture.h"
