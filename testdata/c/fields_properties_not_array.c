/* fields_properties_not_array: field list (get_fields) has properties "hidden" (a string). Expected: rejected, properties is not an array. */
#define FIXTURE_NAME "fields_properties_not_array"
#define FIXTURE_EXTRACTION
#define FIXTURE_FIELDS "[{\"type\":\"string\",\"name\":\"fixture.ok\",\"desc\":\"a valid field\"},{\"type\":\"string\",\"name\":\"fixture.props\",\"desc\":\"bad properties\",\"properties\":\"hidden\"}]"
#include "fixture.h"
