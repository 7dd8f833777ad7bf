/* reg_nowhere: registry tests: extractor for a source no fixture provides (reg_missing); field reg.nowhere. Expected: valid; the registry warns it is compatible with no loaded source. */
#define FIXTURE_NAME "reg_nowhere"
#define FIXTURE_EXTRACTION
#define FIXTURE_EXTRACT_SOURCES "[\"reg_missing\"]"
#define FIXTURE_FIELDS "[{\"type\":\"string\",\"name\":\"reg.nowhere\",\"desc\":\"never served\"}]"
#include "fixture.h"
