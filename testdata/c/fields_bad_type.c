/* fields_bad_type: field list (get_fields) has a field of type int32. Expected: rejected, field 1 has an unknown type. */
#define FIXTURE_NAME "fields_bad_type"
#define FIXTURE_EXTRACTION
#define FIXTURE_FIELDS "[{\"type\":\"string\",\"name\":\"fixture.ok\",\"desc\":\"a valid field\"},{\"type\":\"int32\",\"name\":\"fixture.badtype\",\"desc\":\"bad type\"}]"
#include "fixture.h"
