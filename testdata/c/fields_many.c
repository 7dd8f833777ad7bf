/* fields_many: get_fields returns 100,000 uint64 fields many.f0 ... many.f99999 (built at first call). Expected: valid; looking every field up by name is linear in total, not quadratic. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#define MANY_N 100000
static char *many_json;
static const char *many_fields(void) {
	size_t cap = (size_t)MANY_N * 64 + 16, n = 0;
	int i;
	if(many_json != NULL) {
		return many_json;
	}
	many_json = (char *)malloc(cap);
	if(many_json == NULL) {
		return NULL;
	}
	many_json[n++] = '[';
	for(i = 0; i < MANY_N; i++) {
		n += (size_t)snprintf(many_json + n, cap - n, "%s{\"type\":\"uint64\",\"name\":\"many.f%d\",\"desc\":\"f\"}", i ? "," : "", i);
	}
	many_json[n++] = ']';
	many_json[n] = '\0';
	return many_json;
}
#define FIXTURE_NAME "fields_many"
#define FIXTURE_EXTRACTION
#define FIXTURE_FIELDS many_fields()
#include "fixture.h"
