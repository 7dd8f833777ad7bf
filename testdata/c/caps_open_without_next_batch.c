/* caps_open_without_next_batch: sourcing with open+close only (no next_batch, no get_id/get_event_source). Expected: rejected, sourcing capability incomplete (next_batch missing). */
#define FIXTURE_NAME "caps_open_without_next_batch"
#define FIXTURE_SOURCING
#define OMIT_NEXT_BATCH
#define OMIT_GET_ID
#define OMIT_GET_EVENT_SOURCE
#include "fixture.h"
