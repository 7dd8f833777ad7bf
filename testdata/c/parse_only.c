/* parse_only: parsing only, parse sources ["fixture_src"]. Expected: valid. */
#define FIXTURE_NAME "parse_only"
#define FIXTURE_PARSING
#define FIXTURE_PARSE_SOURCES "[\"fixture_src\"]"
#include "fixture.h"
