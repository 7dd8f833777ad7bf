/* api_trailing_text: required API version 3.12.0-beta. Expected: valid: sscanf-style parsing reads 3.12.0 and ignores the trailing text. */
#define FIXTURE_NAME "api_trailing_text"
#define FIXTURE_EXTRACTION
#define FIXTURE_API_VERSION "3.12.0-beta"
#include "fixture.h"
