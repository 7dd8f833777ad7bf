/* schema_ref_file: get_init_schema has a $ref to file:///proc/self/fd/0. Expected: rejected at load, the ref points outside the schema; nothing is read. */
#define FIXTURE_NAME "schema_ref_file"
#define FIXTURE_EXTRACTION
#define FIXTURE_INIT_SCHEMA "{\"type\":\"object\",\"properties\":{\"a\":{\"$ref\":\"file:///proc/self/fd/0\"}}}"
#include "fixture.h"
