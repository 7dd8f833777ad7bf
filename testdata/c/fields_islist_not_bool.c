/* fields_islist_not_bool: field list (get_fields) has isList "yes". Expected: rejected, isList is not a bool. */
#define FIXTURE_NAME "fields_islist_not_bool"
#define FIXTURE_EXTRACTION
#define FIXTURE_FIELDS "[{\"type\":\"string\",\"name\":\"fixture.ok\",\"desc\":\"a valid field\"},{\"type\":\"string\",\"name\":\"fixture.list\",\"desc\":\"bad isList\",\"isList\":\"yes\"}]"
#include "fixture.h"
