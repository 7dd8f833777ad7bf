/* extract_sources_not_array: get_extract_event_sources returns {}. Expected: rejected, extract event sources is not an array. */
#define FIXTURE_NAME "extract_sources_not_array"
#define FIXTURE_EXTRACTION
#define FIXTURE_EXTRACT_SOURCES "{}"
#include "fixture.h"
