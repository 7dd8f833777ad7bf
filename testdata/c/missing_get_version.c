/* missing_get_version: extraction plugin without plugin_get_version. Expected: rejected, required symbol plugin_get_version missing. */
#define FIXTURE_NAME "missing_get_version"
#define FIXTURE_EXTRACTION
#define OMIT_GET_VERSION
#include "fixture.h"
