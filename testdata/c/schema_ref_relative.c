/* schema_ref_relative: get_init_schema has a relative $ref other.json#/x. Expected: rejected at load whatever the working directory, the ref points outside the schema. */
#define FIXTURE_NAME "schema_ref_relative"
#define FIXTURE_EXTRACTION
#define FIXTURE_INIT_SCHEMA "{\"type\":\"object\",\"properties\":{\"a\":{\"$ref\":\"other.json#/x\"}}}"
#include "fixture.h"
