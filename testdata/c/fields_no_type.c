/* fields_no_type: field list (get_fields) has a field without type. Expected: rejected, field 1 has no type. */
#define FIXTURE_NAME "fields_no_type"
#define FIXTURE_EXTRACTION
#define FIXTURE_FIELDS "[{\"type\":\"string\",\"name\":\"fixture.ok\",\"desc\":\"a valid field\"},{\"name\":\"fixture.notype\",\"desc\":\"no type\"}]"
#include "fixture.h"
