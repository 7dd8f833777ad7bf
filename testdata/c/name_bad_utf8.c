/* name_bad_utf8: get_name returns "bad" 0xff "name", invalid UTF-8 at byte 3. Expected: rejected at the info check with the byte offset. */
#define FIXTURE_NAME "bad\xff" "name"
#define FIXTURE_EXTRACTION
#include "fixture.h"
