/* fields_not_array: field list (get_fields) is a JSON object. Expected: rejected, field list is not an array. */
#define FIXTURE_NAME "fields_not_array"
#define FIXTURE_EXTRACTION
#define FIXTURE_FIELDS "{\"type\":\"string\",\"name\":\"fixture.ok\",\"desc\":\"a valid field\"}"
#include "fixture.h"
