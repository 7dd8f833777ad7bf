/* fields_bad_name_chars: field list (get_fields) has a field named bad.na-me. Expected: rejected, field name has a character outside [A-Za-z0-9_.]. */
#define FIXTURE_NAME "fields_bad_name_chars"
#define FIXTURE_EXTRACTION
#define FIXTURE_FIELDS "[{\"type\":\"string\",\"name\":\"fixture.ok\",\"desc\":\"a valid field\"},{\"type\":\"string\",\"name\":\"bad.na-me\",\"desc\":\"dash in name\"}]"
#include "fixture.h"
