/* async_events_not_array: get_async_events returns {}. Expected: rejected, async event list is not an array. */
#define FIXTURE_NAME "async_events_not_array"
#define FIXTURE_ASYNC
#define FIXTURE_ASYNC_EVENTS "{}"
#include "fixture.h"
