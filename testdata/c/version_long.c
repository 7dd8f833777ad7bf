/* version_long: plugin version 1.2.3-<300 x 'a'>, a valid semver of 306 bytes. Expected: rejected with a message naming the 256-byte limit (libsinsp reads only the leading X.Y.Z and has no limit). */
#define FIXTURE_NAME "version_long"
#define FIXTURE_EXTRACTION
#define FIXTURE_VERSION "1.2.3-aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
#include "fixture.h"
