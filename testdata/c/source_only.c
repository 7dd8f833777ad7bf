/* source_only: sourcing only (id 991, source fixture_src, N events from open params, list_open_params/get_progress/event_to_string). Expected: valid. */
#define FIXTURE_NAME "source_only"
#define FIXTURE_SOURCING
#define FIXTURE_SOURCING_EXTRAS
#define FIXTURE_ID 991
#define FIXTURE_EVENT_SOURCE "fixture_src"
#include "fixture.h"
