/* schema_not_object: get_init_schema returns [1] with SS_PLUGIN_SCHEMA_JSON. Expected: rejected, init schema is not a JSON object. */
#define FIXTURE_NAME "schema_not_object"
#define FIXTURE_EXTRACTION
#define FIXTURE_INIT_SCHEMA "[1]"
#include "fixture.h"
