/* fields_iskey_not_bool: field list (get_fields) has arg.isKey "yes". Expected: rejected, arg.isKey is not a bool. */
#define FIXTURE_NAME "fields_iskey_not_bool"
#define FIXTURE_EXTRACTION
#define FIXTURE_FIELDS "[{\"type\":\"string\",\"name\":\"fixture.ok\",\"desc\":\"a valid field\"},{\"type\":\"string\",\"name\":\"fixture.key\",\"desc\":\"bad isKey\",\"arg\":{\"isKey\":\"yes\"}}]"
#include "fixture.h"
