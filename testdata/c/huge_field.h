/*
 * huge_field.h: the body of the huge_field_* fixtures, one string field
 * with a huge name or description. The fixture defines HF_NAME (its name),
 * HF_HEAD and HF_TAIL (the fields JSON around the long part), HF_LEN and
 * HF_FILL (the long part: HF_LEN copies of the byte HF_FILL).
 */
#define FIXTURE_NAME HF_NAME
#define FIXTURE_EXTRACTION
#define FIXTURE_FIELDS hf_fields()
static const char *hf_fields(void);
#include "fixture.h"

static const char *hf_fields(void) {
	static char *json;
	const char *head = HF_HEAD;
	const char *tail = HF_TAIL;
	size_t hl = strlen(head), tl = strlen(tail);
	if(json != NULL) {
		return json;
	}
	json = (char *)malloc(hl + HF_LEN + tl + 1);
	if(json == NULL) {
		return NULL;
	}
	memcpy(json, head, hl);
	memset(json + hl, HF_FILL, HF_LEN);
	memcpy(json + hl + HF_LEN, tail, tl + 1);
	return json;
}
