/* source_id_changes: get_id returns 997 on its first call and 0 after; get_event_source returns "fixture_src" on its first call and "syscall" after. Expected: valid, each read once: id 997, source fixture_src. */
#include <stdint.h>
static int id_calls, src_calls;
static uint32_t changing_id(void) { return id_calls++ ? 0 : 997; }
static const char *changing_source(void) { return src_calls++ ? "syscall" : "fixture_src"; }
#define FIXTURE_NAME "source_id_changes"
#define FIXTURE_SOURCING
#define FIXTURE_ID changing_id()
#define FIXTURE_EVENT_SOURCE changing_source()
#include "fixture.h"
