/* schema_ref_local: get_init_schema uses $ref #/$defs/level (minimum 0) for property level. Expected: valid; init with {"level":-1} fails the config at /level. */
#define FIXTURE_NAME "schema_ref_local"
#define FIXTURE_EXTRACTION
#define FIXTURE_INIT_SCHEMA "{\"$defs\":{\"level\":{\"type\":\"integer\",\"minimum\":0}},\"type\":\"object\",\"properties\":{\"level\":{\"$ref\":\"#/$defs/level\"},\"child\":{\"$ref\":\"#\"}}}"
#include "fixture.h"
