/* fields_bad_utf8: field fixture.x has desc "caf" 0xe9 (Latin-1, invalid UTF-8 at byte 3 of the desc). Expected: rejected at the fields check naming the field and the byte offset. */
#define FIXTURE_NAME "fields_bad_utf8"
#define FIXTURE_EXTRACTION
#define FIXTURE_FIELDS "[{\"type\":\"string\",\"name\":\"fixture.x\",\"desc\":\"caf\xe9\"}]"
#include "fixture.h"
