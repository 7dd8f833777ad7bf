/* missing_get_required_api_version: extraction plugin without plugin_get_required_api_version. Expected: rejected, required symbol plugin_get_required_api_version missing. */
#define FIXTURE_NAME "missing_get_required_api_version"
#define FIXTURE_EXTRACTION
#define OMIT_GET_REQUIRED_API_VERSION
#include "fixture.h"
