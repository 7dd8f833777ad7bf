/* fields_no_name: field list (get_fields) has a field without name. Expected: rejected, field 1 has no name. */
#define FIXTURE_NAME "fields_no_name"
#define FIXTURE_EXTRACTION
#define FIXTURE_FIELDS "[{\"type\":\"string\",\"name\":\"fixture.ok\",\"desc\":\"a valid field\"},{\"type\":\"string\",\"desc\":\"no name\"}]"
#include "fixture.h"
