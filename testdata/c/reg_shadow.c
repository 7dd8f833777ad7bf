/* reg_shadow: registry tests: a second source plugin for fixture_src (id 2002, source_only has 991). Expected: valid; next to source_only it is kept but shadowed (a warning). */
#define FIXTURE_NAME "reg_shadow"
#define FIXTURE_SOURCING
#define FIXTURE_ID 2002
#define FIXTURE_EVENT_SOURCE "fixture_src"
#include "fixture.h"
