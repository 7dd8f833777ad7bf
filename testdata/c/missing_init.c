/* missing_init: extraction plugin without plugin_init. Expected: rejected, required symbol plugin_init missing. */
#define FIXTURE_NAME "missing_init"
#define FIXTURE_EXTRACTION
#define OMIT_INIT
#include "fixture.h"
