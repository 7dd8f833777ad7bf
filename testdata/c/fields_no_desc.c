/* fields_no_desc: field list (get_fields) has a field without desc. Expected: rejected, field 1 has no desc. */
#define FIXTURE_NAME "fields_no_desc"
#define FIXTURE_EXTRACTION
#define FIXTURE_FIELDS "[{\"type\":\"string\",\"name\":\"fixture.ok\",\"desc\":\"a valid field\"},{\"type\":\"string\",\"name\":\"fixture.nodesc\"}]"
#include "fixture.h"
