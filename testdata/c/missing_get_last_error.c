/* missing_get_last_error: extraction plugin without plugin_get_last_error. Expected: rejected, required symbol plugin_get_last_error missing. */
#define FIXTURE_NAME "missing_get_last_error"
#define FIXTURE_EXTRACTION
#define OMIT_GET_LAST_ERROR
#include "fixture.h"
