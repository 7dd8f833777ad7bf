/* async_sources_not_array: get_async_event_sources returns {}. Expected: rejected, async event sources is not an array. */
#define FIXTURE_NAME "async_sources_not_array"
#define FIXTURE_ASYNC
#define FIXTURE_ASYNC_SOURCES "{}"
#include "fixture.h"
