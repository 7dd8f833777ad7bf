/* async_events_empty_string: get_async_events returns "". Expected: rejected, async event list is empty / not JSON. */
#define FIXTURE_NAME "async_events_empty_string"
#define FIXTURE_ASYNC
#define FIXTURE_ASYNC_EVENTS ""
#include "fixture.h"
