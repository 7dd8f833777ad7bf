/* reg_overlap: registry tests: extractor for fixture_src declaring fixture.str, a field extract_only also declares. Expected: valid alone; the registry rejects the overlap once fixture_src has a source plugin. */
#define FIXTURE_NAME "reg_overlap"
#define FIXTURE_EXTRACTION
#define FIXTURE_EXTRACT_SOURCES "[\"fixture_src\"]"
#define FIXTURE_FIELDS "[{\"type\":\"string\",\"name\":\"fixture.str\",\"desc\":\"same name as extract_only's\"}]"
#include "fixture.h"
