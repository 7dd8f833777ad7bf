/* schema_deep: get_init_schema returns a 100 KB schema nested 4,900 deep ({"properties":{"a": ... {}}}). Expected: rejected at once, init schema nested deeper than the limit. */
#include <stdlib.h>
#include <string.h>
#define DEEP_N 4900
static char *deep_json;
static const char *deep_schema(void) {
	static const char open[] = "{\"properties\":{\"a\":";
	size_t n = 0;
	int i;
	if(deep_json != NULL) {
		return deep_json;
	}
	deep_json = (char *)malloc((size_t)DEEP_N * (sizeof(open) + 2) + 8);
	if(deep_json == NULL) {
		return NULL;
	}
	for(i = 0; i < DEEP_N; i++) {
		memcpy(deep_json + n, open, sizeof(open) - 1);
		n += sizeof(open) - 1;
	}
	deep_json[n++] = '{';
	deep_json[n++] = '}';
	for(i = 0; i < DEEP_N; i++) {
		deep_json[n++] = '}';
		deep_json[n++] = '}';
	}
	deep_json[n] = '\0';
	return deep_json;
}
#define FIXTURE_NAME "schema_deep"
#define FIXTURE_EXTRACTION
#define FIXTURE_INIT_SCHEMA deep_schema()
#include "fixture.h"
