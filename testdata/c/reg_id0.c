/* reg_id0: registry tests: a second id-0 source plugin (source_id0 is the first). Expected: valid; id 0 is never a duplicate, and this one is shadowed on the syscall source. */
#define FIXTURE_NAME "reg_id0"
#define FIXTURE_SOURCING
#define OMIT_GET_ID
#define OMIT_GET_EVENT_SOURCE
#include "fixture.h"
