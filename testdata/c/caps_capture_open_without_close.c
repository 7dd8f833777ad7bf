/* caps_capture_open_without_close: capture_open without capture_close. Expected: rejected, capture listening capability incomplete (capture_close missing). */
#define FIXTURE_NAME "caps_capture_open_without_close"
#define FIXTURE_CAPTURE_LISTEN
#define OMIT_CAPTURE_CLOSE
#include "fixture.h"
