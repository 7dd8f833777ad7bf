/* caps_id_without_source: sourcing with open/close/next_batch and get_id 5 but no get_event_source. Expected: rejected, non-zero id requires an event source. */
#define FIXTURE_NAME "caps_id_without_source"
#define FIXTURE_SOURCING
#define FIXTURE_ID 5
#define OMIT_GET_EVENT_SOURCE
#include "fixture.h"
