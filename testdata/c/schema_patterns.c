/* schema_patterns: get_init_schema returns 20,000 properties each with a pattern (about 1.6 MB). Expected: rejected before compiling, the schema is over the 1 MiB size limit; memory stays small. */
#define PAT_FIXTURE "schema_patterns"
#define PAT_ENTRY "\"p%d\":{\"type\":\"string\",\"pattern\":\"^[a-z]{1,40}(-[a-z0-9]{1,20}){0,9}$\"}"
#define PAT_WIDTH 96
#include "schema_patterns.h"
