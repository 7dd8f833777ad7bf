/* api_patch_too_new: required API version 3.12.7. Expected: rejected: same minor as host but required patch 7 > host patch 0. */
#define FIXTURE_NAME "api_patch_too_new"
#define FIXTURE_EXTRACTION
#define FIXTURE_API_VERSION "3.12.7"
#include "fixture.h"
