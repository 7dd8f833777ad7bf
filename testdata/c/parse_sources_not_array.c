/* parse_sources_not_array: get_parse_event_sources returns {}. Expected: rejected, parse event sources is not an array. */
#define FIXTURE_NAME "parse_sources_not_array"
#define FIXTURE_PARSING
#define FIXTURE_PARSE_SOURCES "{}"
#include "fixture.h"
