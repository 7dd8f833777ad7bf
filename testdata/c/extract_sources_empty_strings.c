/* extract_sources_empty_strings: get_extract_event_sources returns ["","fixture_src"]. Expected: valid, the empty name is dropped (sources = [fixture_src]). */
#define FIXTURE_NAME "extract_sources_empty_strings"
#define FIXTURE_EXTRACTION
#define FIXTURE_EXTRACT_SOURCES "[\"\",\"fixture_src\"]"
#include "fixture.h"
