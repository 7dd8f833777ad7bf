/* caps_async_handler_without_events: set_async_event_handler without get_async_events. Expected: rejected, async capability incomplete (get_async_events missing). */
#define FIXTURE_NAME "caps_async_handler_without_events"
#define FIXTURE_ASYNC
#define OMIT_GET_ASYNC_EVENTS
#include "fixture.h"
