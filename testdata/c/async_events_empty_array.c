/* async_events_empty_array: get_async_events returns []. Expected: rejected, async capability declares no event names. */
#define FIXTURE_NAME "async_events_empty_array"
#define FIXTURE_ASYNC
#define FIXTURE_ASYNC_EVENTS "[]"
#include "fixture.h"
