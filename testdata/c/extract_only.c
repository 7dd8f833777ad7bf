/* extract_only: extraction only: every field type and flag, extract sources ["fixture_src"]. Expected: valid. */
#define FIXTURE_NAME "extract_only"
#define FIXTURE_EXTRACTION
#define FIXTURE_EXTRACT_SOURCES "[\"fixture_src\"]"
#include "fixture.h"
