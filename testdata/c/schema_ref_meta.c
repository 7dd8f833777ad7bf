/* schema_ref_meta: get_init_schema has $schema file:///proc/self/fd/0. Expected: rejected at load, the metaschema is not read. */
#define FIXTURE_NAME "schema_ref_meta"
#define FIXTURE_EXTRACTION
#define FIXTURE_INIT_SCHEMA "{\"$schema\":\"file:///proc/self/fd/0\",\"type\":\"object\"}"
#include "fixture.h"
