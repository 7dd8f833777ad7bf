/* fields_isrequired_not_bool: field list (get_fields) has arg.isRequired "true" (with isIndex). Expected: rejected, arg.isRequired is not a bool. */
#define FIXTURE_NAME "fields_isrequired_not_bool"
#define FIXTURE_EXTRACTION
#define FIXTURE_FIELDS "[{\"type\":\"string\",\"name\":\"fixture.ok\",\"desc\":\"a valid field\"},{\"type\":\"uint64\",\"name\":\"fixture.idx\",\"desc\":\"bad isRequired\",\"arg\":{\"isIndex\":true,\"isRequired\":\"true\"}}]"
#include "fixture.h"
