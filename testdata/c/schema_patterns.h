/*
 * schema_patterns.h: the body of the schema_patterns fixtures. The fixture
 * defines PAT_FIXTURE (its name), PAT_ENTRY (a printf format of one
 * property, taking its index) and PAT_WIDTH (bytes per property at most);
 * get_init_schema returns an object schema of PAT_N (20,000) such
 * properties.
 */
#include <stdio.h>
#include <stdlib.h>
#define PAT_N 20000
static char *pat_json;
static const char *pattern_schema(void) {
	size_t cap = (size_t)PAT_N * PAT_WIDTH + 64, n = 0;
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
		n += (size_t)snprintf(pat_json + n, cap - n, i ? "," PAT_ENTRY : PAT_ENTRY, i);
	}
	snprintf(pat_json + n, cap - n, "}}");
	return pat_json;
}
#define FIXTURE_NAME PAT_FIXTURE
#define FIXTURE_EXTRACTION
#define FIXTURE_INIT_SCHEMA pattern_schema()
#include "fixture.h"
