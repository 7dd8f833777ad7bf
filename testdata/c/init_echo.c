/* init_echo: init schema requires "name"; field echo.config returns the exact config string init received ("<null>" if NULL). Expected: valid. */
#define FIXTURE_NAME "init_echo"
#define FIXTURE_EXTRACTION
#define FIXTURE_INIT_SCHEMA \
	"{\"type\":\"object\",\"properties\":{\"name\":{\"type\":\"string\"}},\"required\":[\"name\"]}"
#define FIXTURE_FIELDS \
	"[{\"type\":\"string\",\"name\":\"echo.config\",\"desc\":\"the config string given to init\"}]"
#define FIXTURE_EXTRACT_HOOK
#include "fixture.h"

static int fixture_extract_hook(fx_state *st, fx_slot *slot, ss_plugin_extract_field *f) {
	if(f->field_id != 0) {
		return 0;
	}
	if(st->config_was_null) {
		fx_set_str(slot, f, "<null>");
	} else {
		fx_set_str(slot, f, st->config != NULL ? st->config : "");
	}
	return 1;
}
