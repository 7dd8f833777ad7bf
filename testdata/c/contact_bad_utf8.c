/* contact_bad_utf8: get_contact returns "me" 0xc3 0x28, a truncated two-byte sequence at byte 2. Expected: rejected at the info check with the byte offset. */
#define FIXTURE_NAME "contact_bad_utf8"
#define FIXTURE_CONTACT "me\xc3\x28"
#define FIXTURE_EXTRACTION
#include "fixture.h"
