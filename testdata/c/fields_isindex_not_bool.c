/* fields_isindex_not_bool: field list (get_fields) has arg.isIndex 1. Expected: rejected, arg.isIndex is not a bool. */
#define FIXTURE_NAME "fields_isindex_not_bool"
#define FIXTURE_EXTRACTION
#define FIXTURE_FIELDS "[{\"type\":\"string\",\"name\":\"fixture.ok\",\"desc\":\"a valid field\"},{\"type\":\"uint64\",\"name\":\"fixture.idx\",\"desc\":\"bad isIndex\",\"arg\":{\"isIndex\":1}}]"
#include "fixture.h"
