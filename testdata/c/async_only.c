/* async_only: async only: async events ["fixture_async"], async sources ["fixture_src"]. Expected: valid. */
#define FIXTURE_NAME "async_only"
#define FIXTURE_ASYNC
#define FIXTURE_ASYNC_SOURCES "[\"fixture_src\"]"
#include "fixture.h"
