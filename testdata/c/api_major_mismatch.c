/* api_major_mismatch: required API version 2.0.0. Expected: rejected: required API major 2 != host major 3. */
#define FIXTURE_NAME "api_major_mismatch"
#define FIXTURE_EXTRACTION
#define FIXTURE_API_VERSION "2.0.0"
#include "fixture.h"
