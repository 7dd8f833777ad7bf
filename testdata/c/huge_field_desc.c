/* huge_field_desc: extraction of one string field huge.desc whose description is 50000000 'd's (50 MB). Expected: valid; the report shows the description cut to 64 KiB with a marker giving its length, isolated and in process alike. */
#define FIXTURE_NAME "huge_field_desc"
#define FIXTURE_EXTRACTION
#define FIXTURE_FIELDS hf_fields()
static const char *hf_fields(void);
#include "fixture.h"

#define HF_LEN 50000000

static const char *hf_fields(void) {
	static char *json;
	const char *head = "[{\"type\":\"string\",\"name\":\"huge.desc\",\"desc\":\"";
	const char *tail = "\"}]";
	size_t hl = strlen(head), tl = strlen(tail);
	if(json != NULL) {
		return json;
	}
	json = (char *)malloc(hl + HF_LEN + tl + 1);
	if(json == NULL) {
		return NULL;
	}
	memcpy(json, head, hl);
	memset(json + hl, 'd', HF_LEN);
	memcpy(json + hl + HF_LEN, tail, tl + 1);
	return json;
}
