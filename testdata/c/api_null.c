/* api_null: required API version NULL. Expected: rejected: get_required_api_version returns NULL. */
#define FIXTURE_NAME "api_null"
#define FIXTURE_EXTRACTION
#define FIXTURE_API_VERSION NULL
#include "fixture.h"
