/* version_null: get_version returns NULL. Expected: rejected, invalid plugin version. */
#define FIXTURE_NAME "version_null"
#define FIXTURE_EXTRACTION
#define FIXTURE_VERSION NULL
#include "fixture.h"
