/* name_changes: get_name returns "name_changes" on its first call and "other_name" after. Expected: valid, read once: name name_changes. */
static int name_calls;
static const char *changing_name(void) { return name_calls++ ? "other_name" : "name_changes"; }
#define FIXTURE_NAME changing_name()
#define FIXTURE_EXTRACTION
#include "fixture.h"
