/* fields_property_not_string: field list (get_fields) has properties ["hidden",1]. Expected: rejected, a property is not a string. */
#define FIXTURE_NAME "fields_property_not_string"
#define FIXTURE_EXTRACTION
#define FIXTURE_FIELDS "[{\"type\":\"string\",\"name\":\"fixture.ok\",\"desc\":\"a valid field\"},{\"type\":\"string\",\"name\":\"fixture.props\",\"desc\":\"bad property\",\"properties\":[\"hidden\",1]}]"
#include "fixture.h"
