/* huge_field_name: extraction of one string field whose name is "huge." followed by 1000000 'a's (1 MB). Expected: valid; the report shows the name cut to 64 KiB with a marker giving its length (1000005 bytes), isolated and in process alike. */
#define HF_NAME "huge_field_name"
#define HF_HEAD "[{\"type\":\"string\",\"name\":\"huge."
#define HF_TAIL "\",\"desc\":\"a field with a long name\"}]"
#define HF_LEN 1000000
#define HF_FILL 'a'
#include "huge_field.h"
