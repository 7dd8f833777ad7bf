/* missing_get_name: extraction plugin without plugin_get_name. Expected: rejected, required symbol plugin_get_name missing. */
#define FIXTURE_EXTRACTION
#define OMIT_GET_NAME
#include "fixture.h"
