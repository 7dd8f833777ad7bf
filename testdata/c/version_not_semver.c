/* version_not_semver: plugin version "v1.2.3" (chosen over "01.2.3": leading v is not semver and fails sscanf %u.%u.%u). Expected: rejected, invalid plugin version. */
#define FIXTURE_NAME "version_not_semver"
#define FIXTURE_EXTRACTION
#define FIXTURE_VERSION "v1.2.3"
#include "fixture.h"
