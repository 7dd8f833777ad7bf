/* capture_listen_only: capture listening only (capture_open + capture_close). Expected: valid. */
#define FIXTURE_NAME "capture_listen_only"
#define FIXTURE_CAPTURE_LISTEN
#include "fixture.h"
