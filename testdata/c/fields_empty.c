/* fields_empty: field list (get_fields) is []. Expected: rejected, field list is empty. */
#define FIXTURE_NAME "fields_empty"
#define FIXTURE_EXTRACTION
#define FIXTURE_FIELDS "[]"
#include "fixture.h"
