/* caps_none: only the required symbols plus a lone get_fields (not a capability). Expected: rejected, plugin has no capability. */
#define FIXTURE_NAME "caps_none"
#define FIXTURE_EXTRACTION
#define OMIT_EXTRACT_FIELDS
#include "fixture.h"
