/* reg_dup_id: registry tests: source plugin reusing source_only's id 991 with another source (reg_dup_src). Expected: valid alone; rejected by the registry next to source_only (duplicate id). */
#define FIXTURE_NAME "reg_dup_id"
#define FIXTURE_SOURCING
#define FIXTURE_ID 991
#define FIXTURE_EVENT_SOURCE "reg_dup_src"
#include "fixture.h"
