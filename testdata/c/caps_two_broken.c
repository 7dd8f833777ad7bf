/* caps_two_broken: open/close without next_batch AND extract_fields without get_fields. Expected: rejected with both errors joined. */
#define FIXTURE_NAME "caps_two_broken"
#define FIXTURE_SOURCING
#define OMIT_NEXT_BATCH
#define OMIT_GET_ID
#define OMIT_GET_EVENT_SOURCE
#define FIXTURE_EXTRACTION
#define OMIT_GET_FIELDS
#include "fixture.h"
