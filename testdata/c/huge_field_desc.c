/* huge_field_desc: extraction of one string field huge.desc whose description is 50000000 'd's (50 MB). Expected: valid; the report shows the description cut to 64 KiB with a marker giving its length, isolated and in process alike. */
#define HF_NAME "huge_field_desc"
#define HF_HEAD "[{\"type\":\"string\",\"name\":\"huge.desc\",\"desc\":\""
#define HF_TAIL "\"}]"
#define HF_LEN 50000000
#define HF_FILL 'd'
#include "huge_field.h"
