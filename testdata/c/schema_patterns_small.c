/* schema_patterns_small: get_init_schema returns 20,000 properties each with the pattern "^a+$" (about 0.5 MB, under the size limit). Expected: rejected before compiling, more patterns than the limit of 100. */
#include <stdio.h>
#include <stdlib.h>
#define PAT_N 20000
static char *pat_json;
static const char *pattern_schema(void) {
	size_t cap = (size_t)PAT_N * 40 + 64, n = 0;
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
		n += (size_t)snprintf(pat_json + n, cap - n, "%s\"p%d\":{\"pattern\":\"^a+$\"}", i ? "," : "", i);
	}
	snprintf(pat_json + n, cap - n, "}}");
	return pat_json;
}
#define FIXTURE_NAME "schema_patterns_small"
#define FIXTURE_EXTRACTION
#define FIXTURE_INIT_SCHEMA pattern_schema()
#include "fixture.h"
