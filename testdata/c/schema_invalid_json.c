/* schema_invalid_json: get_init_schema returns truncated JSON with SS_PLUGIN_SCHEMA_JSON. Expected: rejected, init schema is not valid JSON. */
#define FIXTURE_NAME "schema_invalid_json"
#define FIXTURE_EXTRACTION
#define FIXTURE_INIT_SCHEMA "{\"type\":\"object\","
#include "fixture.h"
