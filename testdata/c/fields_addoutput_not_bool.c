/* fields_addoutput_not_bool: field list (get_fields) has addOutput 1. Expected: rejected, addOutput is not a bool. */
#define FIXTURE_NAME "fields_addoutput_not_bool"
#define FIXTURE_EXTRACTION
#define FIXTURE_FIELDS "[{\"type\":\"string\",\"name\":\"fixture.ok\",\"desc\":\"a valid field\"},{\"type\":\"string\",\"name\":\"fixture.out\",\"desc\":\"bad addOutput\",\"addOutput\":1}]"
#include "fixture.h"
