/* null_strings: get_description and get_contact return NULL. Expected: valid (both read as empty strings). */
#define FIXTURE_NAME "null_strings"
#define FIXTURE_EXTRACTION
#define FIXTURE_DESCRIPTION NULL
#define FIXTURE_CONTACT NULL
#include "fixture.h"
