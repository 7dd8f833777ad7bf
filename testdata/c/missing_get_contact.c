/* missing_get_contact: extraction plugin without plugin_get_contact. Expected: rejected, required symbol plugin_get_contact missing. */
#define FIXTURE_NAME "missing_get_contact"
#define FIXTURE_EXTRACTION
#define OMIT_GET_CONTACT
#include "fixture.h"
