/* huge_field_name: extraction of one string field whose name is "huge." followed by 1000000 'a's (1 MB). Expected: valid; the report shows the name cut to 64 KiB with a marker giving its length (1000005 bytes), isolated and in process alike. */
#define FIXTURE_NAME "huge_field_name"
#define FIXTURE_EXTRACTION
#define FIXTURE_FIELDS hf_fields()
static const char *hf_fields(void);
#include "fixture.h"

#define HF_LEN 1000000

static const char *hf_fields(void) {
	static char *json;
	const char *head = "[{\"type\":\"string\",\"name\":\"huge.";
	const char *tail = "\",\"desc\":\"a field with a long name\"}]";
	size_t hl = strlen(head), tl = strlen(tail);
	if(json != NULL) {
		return json;
	}
	json = (char *)malloc(hl + HF_LEN + tl + 1);
	if(json == NULL) {
		return NULL;
	}
	memcpy(json, head, hl);
	memset(json + hl, 'a', HF_LEN);
	memcpy(json + hl + HF_LEN, tail, tl + 1);
	return json;
}
