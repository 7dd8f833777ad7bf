/* caps_source_without_id: sourcing with get_event_source "x" but get_id returning 0. Expected: rejected, an event source requires a non-zero id. */
#define FIXTURE_NAME "caps_source_without_id"
#define FIXTURE_SOURCING
#define FIXTURE_ID 0
#define FIXTURE_EVENT_SOURCE "x"
#include "fixture.h"
