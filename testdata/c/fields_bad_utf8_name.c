/* fields_bad_utf8_name: entry 0 is named "fixture." 0xff "x", invalid UTF-8 at byte 8 of the name. Expected: rejected at the fields check with the entry and byte offset. */
#define FIXTURE_NAME "fields_bad_utf8_name"
#define FIXTURE_EXTRACTION
#define FIXTURE_FIELDS "[{\"type\":\"string\",\"name\":\"fixture.\xff" "x\",\"desc\":\"d\"}]"
#include "fixture.h"
