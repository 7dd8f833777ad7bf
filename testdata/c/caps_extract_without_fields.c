/* caps_extract_without_fields: extract_fields without get_fields. Expected: rejected, extraction capability incomplete (get_fields missing). */
#define FIXTURE_NAME "caps_extract_without_fields"
#define FIXTURE_EXTRACTION
#define OMIT_GET_FIELDS
#include "fixture.h"
