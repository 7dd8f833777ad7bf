/* fields_duplicate_name: field list (get_fields) declares dup.field twice. Expected: rejected, duplicate field name dup.field. */
#define FIXTURE_NAME "fields_duplicate_name"
#define FIXTURE_EXTRACTION
#define FIXTURE_FIELDS "[{\"type\":\"string\",\"name\":\"dup.field\",\"desc\":\"first\"},{\"type\":\"uint64\",\"name\":\"dup.field\",\"desc\":\"second\"}]"
#include "fixture.h"
