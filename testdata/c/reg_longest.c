/* reg_longest: registry tests: source plugin (id 2001, source reg_src) whose fields reg.a (key arg) and reg.a.b nest, plus reg.idx (required index) and reg.both (index or key). Expected: valid; Resolve picks the longest field name. */
#define FIXTURE_NAME "reg_longest"
#define FIXTURE_SOURCING
#define FIXTURE_ID 2001
#define FIXTURE_EVENT_SOURCE "reg_src"
#define FIXTURE_EXTRACTION
#define FIXTURE_FIELDS \
	"[{\"type\":\"string\",\"name\":\"reg.a\",\"desc\":\"prefix of reg.a.b\",\"arg\":{\"isKey\":true}}," \
	"{\"type\":\"uint64\",\"name\":\"reg.a.b\",\"desc\":\"extends reg.a\"}," \
	"{\"type\":\"uint64\",\"name\":\"reg.idx\",\"desc\":\"required index\",\"arg\":{\"isIndex\":true,\"isRequired\":true}}," \
	"{\"type\":\"string\",\"name\":\"reg.both\",\"desc\":\"index or key\",\"arg\":{\"isIndex\":true,\"isKey\":true}}]"
#include "fixture.h"
