/* extract_args: extraction (sources ["fixture_src"]) reporting the argument it was handed: args.index_seen (uint64, key argument) = arg_index, args.key_seen (string, index argument) = arg_key or "<null>". Expected: valid plugin; the host passes arguments as libsinsp does (arg_index UINT64_MAX without an index, arg_key NULL for index-only fields). */
#define FIXTURE_NAME "extract_args"
#define FIXTURE_EXTRACTION
#define FIXTURE_EXTRACT_SOURCES "[\"fixture_src\"]"
#define FIXTURE_EVENT_HOOK
#define FIXTURE_FIELDS                                                                                  \
	"[{\"type\":\"uint64\",\"name\":\"args.index_seen\",\"desc\":\"arg_index\",\"arg\":{\"isKey\":true}}," \
	"{\"type\":\"string\",\"name\":\"args.key_seen\",\"desc\":\"arg_key\",\"arg\":{\"isIndex\":true}}]"
#include "fixture.h"

static ss_plugin_rc fixture_event_hook(fx_state *st, fx_slot *slot, ss_plugin_extract_field *f, int idx) {
	FX_UNUSED(st);
	FX_UNUSED(idx);
	if(f->field_id == 0) {
		fx_set_u64(slot, f, f->arg_index);
	} else {
		fx_set_str(slot, f, f->arg_key == NULL ? "<null>" : f->arg_key);
	}
	return SS_PLUGIN_SUCCESS;
}
