/* reg_all_overlap: registry tests: extractor for every source (no extract source list) declaring fixture.u64, a default fixture field. Expected: valid alone; overlaps with full on fixture_full and with extract_only on fixture_src. */
#define FIXTURE_NAME "reg_all_overlap"
#define FIXTURE_EXTRACTION
#define FIXTURE_FIELDS "[{\"type\":\"uint64\",\"name\":\"fixture.u64\",\"desc\":\"same name as the default fixture field\"}]"
#include "fixture.h"
