/* fields_null: field list (get_fields) returns NULL. Expected: rejected, no field list. */
#define FIXTURE_NAME "fields_null"
#define FIXTURE_EXTRACTION
#define FIXTURE_FIELDS NULL
#include "fixture.h"
