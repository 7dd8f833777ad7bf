/* schema_cyclic: get_init_schema whose root refs #/$defs/a, a refs b and b is allOf [a]: a ref cycle that never descends into the config. Expected: rejected at load, the init schema check names the cycle. */
#define FIXTURE_NAME "schema_cyclic"
#define FIXTURE_EXTRACTION
#define FIXTURE_INIT_SCHEMA "{\"$ref\":\"#/$defs/a\",\"$defs\":{\"a\":{\"$ref\":\"#/$defs/b\"},\"b\":{\"allOf\":[{\"$ref\":\"#/$defs/a\"}]}}}"
#include "fixture.h"
