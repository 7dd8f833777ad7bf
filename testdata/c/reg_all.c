/* reg_all: registry tests: extraction, parsing and async with no source lists, so compatible with every source (like the json plugin); field reg.all. Expected: valid. */
#define FIXTURE_NAME "reg_all"
#define FIXTURE_EXTRACTION
#define FIXTURE_PARSING
#define FIXTURE_ASYNC
#define FIXTURE_FIELDS "[{\"type\":\"string\",\"name\":\"reg.all\",\"desc\":\"served on every source\"}]"
#include "fixture.h"
