/* missing_destroy: extraction plugin without plugin_destroy. Expected: rejected, required symbol plugin_destroy missing. */
#define FIXTURE_NAME "missing_destroy"
#define FIXTURE_EXTRACTION
#define OMIT_DESTROY
#include "fixture.h"
