/* api_invalid: required API version three. Expected: rejected: required API version is not a version. */
#define FIXTURE_NAME "api_invalid"
#define FIXTURE_EXTRACTION
#define FIXTURE_API_VERSION "three"
#include "fixture.h"
