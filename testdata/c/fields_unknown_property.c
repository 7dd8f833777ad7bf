/* fields_unknown_property: field list (get_fields) has properties ["hidden","sparkly"]. Expected: valid, the unknown property is ignored. */
#define FIXTURE_NAME "fields_unknown_property"
#define FIXTURE_EXTRACTION
#define FIXTURE_FIELDS "[{\"type\":\"string\",\"name\":\"fixture.ok\",\"desc\":\"a valid field\"},{\"type\":\"string\",\"name\":\"fixture.props\",\"desc\":\"unknown property\",\"properties\":[\"hidden\",\"sparkly\"]}]"
#include "fixture.h"
