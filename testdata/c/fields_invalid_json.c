/* fields_invalid_json: field list (get_fields) is truncated JSON. Expected: rejected, field list is not valid JSON. */
#define FIXTURE_NAME "fields_invalid_json"
#define FIXTURE_EXTRACTION
#define FIXTURE_FIELDS "[{\"type\":\"string\",\"name\":\"fixture.ok\",\"desc\":\"a valid field\""
#include "fixture.h"
