/* source_id0: sourcing with neither get_id nor get_event_source (an id-0 source plugin). Expected: valid, id 0, empty event source. */
#define FIXTURE_NAME "source_id0"
#define FIXTURE_SOURCING
#define OMIT_GET_ID
#define OMIT_GET_EVENT_SOURCE
#include "fixture.h"
