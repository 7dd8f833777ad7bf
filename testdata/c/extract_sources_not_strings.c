/* extract_sources_not_strings: get_extract_event_sources returns [1,2]. Expected: rejected, extract event sources are not strings. */
#define FIXTURE_NAME "extract_sources_not_strings"
#define FIXTURE_EXTRACTION
#define FIXTURE_EXTRACT_SOURCES "[1,2]"
#include "fixture.h"
