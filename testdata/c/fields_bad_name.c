/* fields_bad_name: field list (get_fields) has a field named nodot. Expected: rejected, field name has no dot. */
#define FIXTURE_NAME "fields_bad_name"
#define FIXTURE_EXTRACTION
#define FIXTURE_FIELDS "[{\"type\":\"string\",\"name\":\"fixture.ok\",\"desc\":\"a valid field\"},{\"type\":\"string\",\"name\":\"nodot\",\"desc\":\"no dot\"}]"
#include "fixture.h"
