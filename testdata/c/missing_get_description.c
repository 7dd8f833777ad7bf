/* missing_get_description: extraction plugin without plugin_get_description. Expected: rejected, required symbol plugin_get_description missing. */
#define FIXTURE_NAME "missing_get_description"
#define FIXTURE_EXTRACTION
#define OMIT_GET_DESCRIPTION
#include "fixture.h"
