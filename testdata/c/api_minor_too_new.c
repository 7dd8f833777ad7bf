/* api_minor_too_new: required API version 3.99.0. Expected: rejected: required API minor 99 > host minor 12. */
#define FIXTURE_NAME "api_minor_too_new"
#define FIXTURE_EXTRACTION
#define FIXTURE_API_VERSION "3.99.0"
#include "fixture.h"
