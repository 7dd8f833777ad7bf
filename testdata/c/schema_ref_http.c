/* schema_ref_http: get_init_schema has a $ref to http://127.0.0.1:9/s.json. Expected: rejected at load, the ref points outside the schema; no request is made. */
#define FIXTURE_NAME "schema_ref_http"
#define FIXTURE_EXTRACTION
#define FIXTURE_INIT_SCHEMA "{\"type\":\"object\",\"items\":[{\"$ref\":\"http://127.0.0.1:9/s.json\"}]}"
#include "fixture.h"
