/* version_invalid: plugin version "1.2" (two components). Expected: rejected, invalid plugin version. */
#define FIXTURE_NAME "version_invalid"
#define FIXTURE_EXTRACTION
#define FIXTURE_VERSION "1.2"
#include "fixture.h"
