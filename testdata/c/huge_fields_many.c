/* huge_fields_many: extraction of 7000 uint64 fields many.f0 .. many.f6999 (the field list is about 400 KB of JSON). Expected: valid; isolated and in-process reports are the same. */
#define FIXTURE_NAME "huge_fields_many"
#define FIXTURE_EXTRACTION
#define FIXTURE_FIELDS hf_fields()
static const char *hf_fields(void);
#include "fixture.h"

#define HF_N 7000

static const char *hf_fields(void) {
	static char *json;
	size_t cap = (size_t)HF_N * 64 + 16, n = 0;
	int i;
	if(json != NULL) {
		return json;
	}
	json = (char *)malloc(cap);
	if(json == NULL) {
		return NULL;
	}
	json[n++] = '[';
	for(i = 0; i < HF_N; i++) {
		n += (size_t)snprintf(json + n, cap - n, "%s{\"type\":\"uint64\",\"name\":\"many.f%d\",\"desc\":\"field %d\"}",
		                      i > 0 ? "," : "", i, i);
	}
	json[n++] = ']';
	json[n] = '\0';
	return json;
}
