/* schema_patterns_small: get_init_schema returns 20,000 properties each with the pattern "^a+$" (about 0.5 MB, under the size limit). Expected: rejected before compiling, more patterns than the limit of 100. */
#define PAT_FIXTURE "schema_patterns_small"
#define PAT_ENTRY "\"p%d\":{\"pattern\":\"^a+$\"}"
#define PAT_WIDTH 40
#include "schema_patterns.h"
