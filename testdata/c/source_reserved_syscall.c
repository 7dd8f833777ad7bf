/* source_reserved_syscall: sourcing plugin (id 992) whose event source is "syscall". Expected: rejected, event source name is reserved. */
#define FIXTURE_NAME "source_reserved_syscall"
#define FIXTURE_SOURCING
#define FIXTURE_ID 992
#define FIXTURE_EVENT_SOURCE "syscall"
#include "fixture.h"
