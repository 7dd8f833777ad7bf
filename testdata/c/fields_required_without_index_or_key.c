/* fields_required_without_index_or_key: field list (get_fields) has arg {isRequired:true} without isIndex/isKey. Expected: rejected, a required argument must be an index or a key. */
#define FIXTURE_NAME "fields_required_without_index_or_key"
#define FIXTURE_EXTRACTION
#define FIXTURE_FIELDS "[{\"type\":\"string\",\"name\":\"fixture.ok\",\"desc\":\"a valid field\"},{\"type\":\"string\",\"name\":\"fixture.req\",\"desc\":\"required arg of no kind\",\"arg\":{\"isRequired\":true}}]"
#include "fixture.h"
